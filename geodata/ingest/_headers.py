"""Header row: which of a file's columns hold which register field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.ingest._text import normalise

# register field -> accepted header spellings (compared after normalising, case-folded);
# the Chinese and English headers of our own extracts are among them
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("项目编号", "项目代码", "编号", "项目id", "id", "project id", "project_id", "code"),
    "name_zh": ("项目名称", "名称", "项目名", "name_zh", "name", "project name", "project"),
    "name_en": ("英文名称", "name_en", "english name"),
    "category": ("类别", "项目类别", "分类", "大类", "category", "type"),
    "subcategory": ("子类", "项目子类", "细分类别", "小类", "行业", "subcategory"),
    "company": (
        "企业",
        "建设单位",
        "项目单位",
        "企业名称",
        "业主单位",
        "责任单位",
        "company",
        "owner",
    ),
    "county": (
        "所在县区",
        "县区",
        "县(区)",
        "所属县区",
        "县市区",
        "区县",
        "县区代码",
        "county",
        "district",
        "county_adcode",
        "adcode",
    ),
    "location_text": (
        "建设地点",
        "地点",
        "项目地址",
        "地址",
        "位置",
        "位置描述",
        "location",
        "address",
        "location_text",
    ),
    "investment": (
        "总投资",
        "总投资(亿元)",
        "总投资(万元)",
        "计划总投资",
        "投资额",
        "investment",
        "investment_yi",
        "total investment",
    ),
    "key_level": (
        "重点级别",
        "项目级别",
        "重点项目级别",
        "重点工程级别",
        "级别",
        "key_level",
        "key level",
    ),
    # derived from the investment, never read: recognised so an extract imports back
    "major_10yi": ("10亿元以上", "是否10亿元以上", "major_10yi"),
    "stage": ("建设阶段", "阶段", "项目阶段", "所处阶段", "项目状态", "stage", "status"),
    "lon": ("经度", "lon", "lng", "longitude", "x"),
    "lat": ("纬度", "lat", "latitude", "y"),
    "crs": ("坐标系", "坐标系统", "坐标类型", "crs", "coordinate system"),
    "precision": ("定位精度", "precision"),
    "capacity_value": ("规模数值", "capacity_value"),
    "capacity_unit": ("规模单位", "capacity_unit"),
    "capacity_text": (
        "建设规模",
        "规模",
        "建设内容及规模",
        "规模描述",
        "capacity",
        "capacity_text",
    ),
    "source_sentence": ("原文出处", "原文", "source_sentence"),
}

# fields a file must have (category may come from the subcategory column)
REQUIRED_FIELDS: tuple[str, ...] = ("name_zh", "county")


def _header_key(text: str) -> str:
    """Normalise a header for lookup: NFKC, case-fold, no spaces or stars."""
    return re.sub(r"[\s*＊:：]", "", normalise(str(text)).casefold())


_HEADER_LOOKUP: dict[str, str] = {
    _header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases
}
_UNIT_IN_HEADER = re.compile(r"[(（\[【](亿元|万元|亿|万|元)[)）\]】]")


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """How a file's columns map to register fields.

    Attributes
    ----------
    fields : dict[str, str]
        Register field -> the file's column name.
    investment_unit : str
        ``"亿元"`` unless the investment header names another unit (``总投资（万元）``).
    unknown : tuple[str, ...]
        Columns that map to no field (kept out of the register, listed in the report).
    """

    fields: dict[str, str]
    investment_unit: str
    unknown: tuple[str, ...]


def match_header(text: str) -> str | None:
    """Return the register field a header names, or ``None``.

    Parameters
    ----------
    text : str
        A header cell such as ``总投资（万元）`` or ``Longitude``.

    Returns
    -------
    str or None
        Field name (``"investment"``, ``"lon"``...).
    """
    key = _header_key(text)
    if key in _HEADER_LOOKUP:
        return _HEADER_LOOKUP[key]
    bare = _header_key(_UNIT_IN_HEADER.sub("", normalise(str(text))))
    return _HEADER_LOOKUP.get(bare)


def _header_unit(column: str) -> str:
    """Return the amount unit a header names (``亿元`` when none)."""
    found = _UNIT_IN_HEADER.search(normalise(str(column)))
    if not found:
        return "亿元"
    unit = found.group(1)
    return "万元" if unit.startswith("万") else "亿元" if unit.startswith("亿") else unit


def map_headers(columns: list[str]) -> HeaderMap:
    """Map a file's header row to register fields.

    Parameters
    ----------
    columns : list of str
        Header cells in file order.

    Returns
    -------
    HeaderMap
        The first column naming each field wins.
    """
    fields: dict[str, str] = {}
    unknown: list[str] = []
    for col in columns:
        field = match_header(col)
        if field is None or field in fields:
            if str(col).strip():
                unknown.append(str(col))
            continue
        fields[field] = col
    unit = _header_unit(fields["investment"]) if "investment" in fields else "亿元"
    return HeaderMap(fields=fields, investment_unit=unit, unknown=tuple(unknown))


def missing_fields(header: HeaderMap) -> list[str]:
    """Return the required fields the header lacks (their labels are ``column_<field>``).

    Parameters
    ----------
    header : HeaderMap
        Output of :func:`map_headers`.

    Returns
    -------
    list of str
        Field names (``name_zh``, ``county``, ``category``); empty when every
        required column is present.
    """
    missing = [f for f in REQUIRED_FIELDS if f not in header.fields]
    if "category" not in header.fields and "subcategory" not in header.fields:
        missing.append("category")
    return missing
