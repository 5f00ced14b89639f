"""Lookup tables of the words staff write: stages, categories, precisions, systems, counties."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from geodata.coords import CoordSystem
from geodata.divisions import county_adcode
from geodata.i18n import Lang, label
from geodata.ingest._text import normalise
from geodata.schema import Category, KeyLevel, Precision, Stage, Subcategory

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


def labelled_terms(enum: type[_E]) -> dict[str, _E]:
    """Look-up terms of an enum's members: codes and labels in every language, case-folded."""
    terms: dict[str, _E] = {}
    for member in enum:
        for text in (member.value, *(label(member, lang) for lang in Lang)):
            terms.setdefault(text.casefold(), member)
    return terms


# stage vocabulary used by staff -> stage
STAGE_TERMS: dict[str, Stage] = {
    "谋划": Stage.PLANNING,
    "谋划库": Stage.PLANNING,
    "谋划项目": Stage.PLANNING,
    "规划": Stage.PLANNING,
    "储备": Stage.RESERVE,
    "储备库": Stage.RESERVE,
    "储备项目": Stage.RESERVE,
    "前期": Stage.RESERVE,
    "前期工作": Stage.RESERVE,
    "建设": Stage.CONSTRUCTION,
    "在建": Stage.CONSTRUCTION,
    "建设中": Stage.CONSTRUCTION,
    "开工": Stage.CONSTRUCTION,
    "新开工": Stage.CONSTRUCTION,
    "已开工": Stage.CONSTRUCTION,
    "续建": Stage.CONSTRUCTION,
    "施工": Stage.CONSTRUCTION,
    "开工库": Stage.CONSTRUCTION,
    "under construction": Stage.CONSTRUCTION,
    "达产达效": Stage.OPERATION,
    "达产": Stage.OPERATION,
    "投产": Stage.OPERATION,
    "已投产": Stage.OPERATION,
    "投运": Stage.OPERATION,
    "运营": Stage.OPERATION,
    "建成": Stage.OPERATION,
    "竣工": Stage.OPERATION,
    "完工": Stage.OPERATION,
    "投产库": Stage.OPERATION,
    "in operation": Stage.OPERATION,
    "不详": Stage.UNKNOWN,
    **labelled_terms(Stage),
}

# category vocabulary -> category
CATEGORY_TERMS: dict[str, Category] = {
    "能源类": Category.ENERGY,
    "能源项目": Category.ENERGY,
    "新能源": Category.ENERGY,
    "产业类": Category.INDUSTRY,
    "产业项目": Category.INDUSTRY,
    "工业": Category.INDUSTRY,
    "industrial": Category.INDUSTRY,
    "民生类": Category.LIVELIHOOD,
    "民生项目": Category.LIVELIHOOD,
    "社会民生": Category.LIVELIHOOD,
    **labelled_terms(Category),
}

# subcategory vocabulary (codes and labels) -> subcategory
SUBCATEGORY_TERMS: dict[str, Subcategory] = {
    **labelled_terms(Subcategory),
}

# precision vocabulary (codes and labels, as our extracts write them) -> precision
PRECISION_TERMS: dict[str, Precision] = {
    **labelled_terms(Precision),
}

# key-project levels staff write (codes and labels, as our extracts write them) -> level
KEY_LEVEL_TERMS: dict[str, KeyLevel] = {
    **labelled_terms(KeyLevel),
    "省级重点": KeyLevel.PROVINCIAL,
    "省重点项目": KeyLevel.PROVINCIAL,
    "省重点工程": KeyLevel.PROVINCIAL,
    "省级": KeyLevel.PROVINCIAL,
    "市级重点": KeyLevel.MUNICIPAL,
    "市重点项目": KeyLevel.MUNICIPAL,
    "市重点工程": KeyLevel.MUNICIPAL,
    "市级": KeyLevel.MUNICIPAL,
    "一般项目": KeyLevel.GENERAL,
    "非重点": KeyLevel.GENERAL,
}

# coordinate-system names staff write in a per-row column -> system
CRS_TERMS: dict[str, CoordSystem] = {
    "wgs84": CoordSystem.WGS84,
    "wgs-84": CoordSystem.WGS84,
    "wgs 84": CoordSystem.WGS84,
    "gps": CoordSystem.WGS84,
    "天地图": CoordSystem.WGS84,
    "cgcs2000": CoordSystem.WGS84,
    "gcj02": CoordSystem.GCJ02,
    "gcj-02": CoordSystem.GCJ02,
    "高德": CoordSystem.GCJ02,
    "腾讯": CoordSystem.GCJ02,
    "火星坐标": CoordSystem.GCJ02,
    "bd09": CoordSystem.BD09,
    "bd-09": CoordSystem.BD09,
    "百度": CoordSystem.BD09,
}

# county cells that name the whole city: no county, located at city level
CITY_WIDE_TERMS: frozenset[str] = frozenset({"长治市", "长治", "全市", "市本级", "市直", "市级"})


def _lookup(terms: Mapping[str, _T], text: str) -> _T | None:
    """Find ``text`` in a term table: as written, then with its spaces removed."""
    key = normalise(text).casefold()
    return terms.get(key) or terms.get(key.replace(" ", ""))


def lookup_key_level(text: str) -> KeyLevel | None:
    """Map a key-project level (``省重点``, ``市级重点``, ``municipal``) to a :class:`KeyLevel`.

    Returns ``None`` when empty or unknown.
    """
    return _lookup(KEY_LEVEL_TERMS, text) if normalise(text) else None


def lookup_stage(text: str) -> Stage | None:
    """Map a stage term (``在建``, ``达产达效``, ``Reserve``) to a :class:`Stage`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    Stage or None
        ``Stage.UNKNOWN`` for an empty cell, ``None`` for an unknown term.
    """
    if not normalise(text):
        return Stage.UNKNOWN
    return _lookup(STAGE_TERMS, text)


def lookup_category(text: str) -> Category | None:
    """Map a category term (``能源``, ``民生类``, ``Industry``) to a :class:`Category`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    Category or None
        ``None`` when empty or unknown.
    """
    return _lookup(CATEGORY_TERMS, text)


def lookup_subcategory(text: str) -> Subcategory | None:
    """Map a subcategory code or label (``光伏``, ``storage``) to a :class:`Subcategory`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    Subcategory or None
        ``None`` when empty or unknown.
    """
    return _lookup(SUBCATEGORY_TERMS, text)


def lookup_precision(text: str) -> Precision | None:
    """Map a precision code or label (``exact``, ``县区级``) to a :class:`Precision`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    Precision or None
        ``None`` when empty or unknown.
    """
    return _lookup(PRECISION_TERMS, text)


def lookup_crs(text: str) -> CoordSystem | None:
    """Map a coordinate-system name (``GCJ-02``, ``高德``, ``百度``) to a :class:`CoordSystem`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    CoordSystem or None
        ``None`` when empty or unknown.
    """
    return _lookup(CRS_TERMS, text)


def lookup_county(text: str) -> str | None:
    """Adcode of a county cell, also when written with its province or city (长治市潞州区).

    Parameters
    ----------
    text : str
        Normalised cell text: today's name, a pre-2018 name or an adcode.

    Returns
    -------
    str or None
        The adcode; ``""`` for an empty or city-wide cell (``长治市``, ``全市``);
        ``None`` when the cell names no county of the city.
    """
    if not text or text in CITY_WIDE_TERMS:
        return ""
    found = county_adcode(text)
    rest = text
    for prefix in ("山西省", "山西", "长治市"):
        if found is None and rest.startswith(prefix) and len(rest) > len(prefix):
            rest = rest[len(prefix) :]
            found = county_adcode(rest)
    return found
