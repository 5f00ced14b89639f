"""Controlled vocabularies of the register, its columns, and the frame that holds them.

Each vocabulary is an enum whose value is the stable English code stored in
files; ``zh`` and ``en`` give the labels shown to planners. Code compares
enum members, never free strings.
"""

from __future__ import annotations

from enum import StrEnum

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.coords import require_wgs84
from geodata.settings import MAJOR_PROJECT_MIN_YI, WGS84


class Category(StrEnum):
    """Project family as the city reports it."""

    ENERGY = "energy"
    INDUSTRY = "industry"
    LIVELIHOOD = "livelihood"

    @property
    def zh(self) -> str:
        """Chinese label."""
        return _CATEGORY_ZH[self]

    @property
    def en(self) -> str:
        """English label."""
        return self.value.capitalize()


_CATEGORY_ZH = {
    Category.ENERGY: "能源",
    Category.INDUSTRY: "产业",
    Category.LIVELIHOOD: "民生",
}


class Stage(StrEnum):
    """Stage in the city's four-pool (四库) management model."""

    PLANNING = "planning"
    RESERVE = "reserve"
    CONSTRUCTION = "construction"
    OPERATION = "operation"
    UNKNOWN = "unknown"

    @property
    def zh(self) -> str:
        """Chinese label in the planners' vocabulary."""
        return _STAGE_ZH[self]

    @property
    def en(self) -> str:
        """English label."""
        return _STAGE_EN[self]


_STAGE_ZH = {
    Stage.PLANNING: "谋划",
    Stage.RESERVE: "储备",
    Stage.CONSTRUCTION: "建设",
    Stage.OPERATION: "达产达效",
    Stage.UNKNOWN: "未知",
}
_STAGE_EN = {
    Stage.PLANNING: "Planning",
    Stage.RESERVE: "Reserve",
    Stage.CONSTRUCTION: "Under construction",
    Stage.OPERATION: "In operation",
    Stage.UNKNOWN: "Unknown",
}


class Precision(StrEnum):
    """How precisely a location is known, best first."""

    EXACT = "exact"
    PLACE = "place"
    COUNTY = "county"
    CITY = "city"

    @property
    def zh(self) -> str:
        """Chinese label."""
        return _PRECISION_ZH[self]

    @property
    def en(self) -> str:
        """English label."""
        return _PRECISION_EN[self]

    @property
    def rank(self) -> int:
        """Order from best (0) to worst."""
        return list(Precision).index(self)

    @property
    def trusted_point(self) -> bool:
        """Whether the point itself is the project's place (exact or a named place).

        County- and city-level locations are a county seat or the city centre:
        maps draw them hollow and joins trust the stated county over the point.
        """
        return self in TRUSTED_POINT_PRECISIONS


TRUSTED_POINT_PRECISIONS: frozenset[Precision] = frozenset({Precision.EXACT, Precision.PLACE})
"""Precisions whose point is the project's place; the others are approximate."""
APPROXIMATE_PRECISIONS: frozenset[Precision] = frozenset(Precision) - TRUSTED_POINT_PRECISIONS
"""Precisions whose point stands for a whole county or the city (drawn hollow)."""

_PRECISION_ZH = {
    Precision.EXACT: "精确",
    Precision.PLACE: "地名级",
    Precision.COUNTY: "县区级",
    Precision.CITY: "市级",
}
_PRECISION_EN = {
    Precision.EXACT: "Exact",
    Precision.PLACE: "Named place",
    Precision.COUNTY: "County",
    Precision.CITY: "City",
}


class CountyKind(StrEnum):
    """Kind of county-level division."""

    DISTRICT = "district"
    COUNTY = "county"

    @property
    def zh(self) -> str:
        """Chinese label (区 or 县)."""
        return "区" if self is CountyKind.DISTRICT else "县"


class Subcategory(StrEnum):
    """Finer project type; each belongs to one :class:`Category`."""

    PHOTOVOLTAIC = "photovoltaic"
    STORAGE = "storage"
    HYDROGEN = "hydrogen"
    INTEGRATED_ENERGY = "integrated_energy"
    NEW_MATERIALS = "new_materials"
    ELECTRONICS = "electronics"
    PHARMACEUTICALS = "pharmaceuticals"
    HEALTH = "health"
    AGRICULTURE_FOOD = "agriculture_food"
    RECYCLING = "recycling"
    COMMERCE = "commerce"
    CULTURE_TOURISM = "culture_tourism"
    WATER = "water"
    ECOLOGY = "ecology"
    OTHER = "other"

    @property
    def zh(self) -> str:
        """Chinese label."""
        return _SUBCATEGORY[self][0]

    @property
    def en(self) -> str:
        """English label."""
        return _SUBCATEGORY[self][1]

    @property
    def category(self) -> Category | None:
        """The category this subcategory belongs to (``None`` for ``other``)."""
        return _SUBCATEGORY[self][2]


_SUBCATEGORY: dict[Subcategory, tuple[str, str, Category | None]] = {
    Subcategory.PHOTOVOLTAIC: ("光伏", "Photovoltaic", Category.ENERGY),
    Subcategory.STORAGE: ("储能", "Energy storage", Category.ENERGY),
    Subcategory.HYDROGEN: ("氢能", "Hydrogen", Category.ENERGY),
    Subcategory.INTEGRATED_ENERGY: ("综合能源", "Integrated energy", Category.ENERGY),
    Subcategory.NEW_MATERIALS: ("新材料", "New materials", Category.INDUSTRY),
    Subcategory.ELECTRONICS: ("电子信息", "Electronics", Category.INDUSTRY),
    Subcategory.PHARMACEUTICALS: ("医药", "Pharmaceuticals", Category.INDUSTRY),
    Subcategory.HEALTH: ("健康产业", "Health industry", Category.INDUSTRY),
    Subcategory.AGRICULTURE_FOOD: ("农业食品", "Agriculture and food", Category.INDUSTRY),
    Subcategory.RECYCLING: ("资源循环利用", "Recycling", Category.INDUSTRY),
    Subcategory.COMMERCE: ("商贸消费", "Commerce", Category.LIVELIHOOD),
    Subcategory.CULTURE_TOURISM: ("文化旅游", "Culture and tourism", Category.LIVELIHOOD),
    Subcategory.WATER: ("水利供水", "Water", Category.LIVELIHOOD),
    Subcategory.ECOLOGY: ("生态环境", "Ecology", Category.LIVELIHOOD),
    Subcategory.OTHER: ("其他", "Other", None),
}


class KeyLevel(StrEnum):
    """Key-project level (重点工程级别) the report counts its 777 省市重点工程 by."""

    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    GENERAL = "general"

    @property
    def zh(self) -> str:
        """Chinese label."""
        return _KEY_LEVEL_ZH[self]

    @property
    def en(self) -> str:
        """English label."""
        return _KEY_LEVEL_EN[self]

    @property
    def is_key(self) -> bool:
        """Whether the level counts among the 省市重点工程 (provincial or municipal)."""
        return self in (KeyLevel.PROVINCIAL, KeyLevel.MUNICIPAL)


_KEY_LEVEL_ZH = {
    KeyLevel.PROVINCIAL: "省重点",
    KeyLevel.MUNICIPAL: "市重点",
    KeyLevel.GENERAL: "一般",
}
_KEY_LEVEL_EN = {
    KeyLevel.PROVINCIAL: "Provincial key project",
    KeyLevel.MUNICIPAL: "Municipal key project",
    KeyLevel.GENERAL: "General",
}


class Major(StrEnum):
    """Whether a project's stated total investment is 10亿元 or more (``major_10yi``)."""

    YES = "yes"
    NO = "no"

    @property
    def zh(self) -> str:
        """Chinese label."""
        return "10亿元以上" if self is Major.YES else "不足10亿元"

    @property
    def en(self) -> str:
        """English label."""
        return "1 billion yuan or more" if self is Major.YES else "Under 1 billion yuan"


def major_flags(investment_yi: object) -> np.ndarray:
    """Return ``major_10yi`` for total investments in 亿元: ``yes``, ``no`` or ``""``.

    Parameters
    ----------
    investment_yi : array-like of float
        Stated total investment (``NaN`` when not stated).

    Returns
    -------
    numpy.ndarray
        ``yes`` at or above ``settings.MAJOR_PROJECT_MIN_YI``, ``no`` below,
        ``""`` where no investment is stated (never guessed).
    """
    values = pd.to_numeric(pd.Series(np.asarray(investment_yi, dtype=object)), errors="coerce")
    numbers = values.to_numpy(dtype=float)
    out = np.where(numbers >= MAJOR_PROJECT_MIN_YI, Major.YES.value, Major.NO.value)
    return np.where(np.isnan(numbers), "", out).astype(object)


# columns of the register, in file order (documented in geodata/data/SCHEMA.md)
REGISTER_COLUMNS: tuple[str, ...] = (
    "id",
    "name_zh",
    "name_en",
    "category",
    "subcategory",
    "company",
    "county_adcode",
    "location_text",
    "lon",
    "lat",
    "precision",
    "stage",
    "investment_yi",
    "key_level",
    "major_10yi",
    "capacity_value",
    "capacity_unit",
    "capacity_text",
    "source_sentence",
)
ADDED_IN_SCHEMA_3: tuple[str, ...] = ("key_level", "major_10yi")
"""Register columns the stores gained in layout 3 (GeoPackage) / 2 (PostGIS)."""

FLOAT_COLUMNS: frozenset[str] = frozenset({"lon", "lat", "investment_yi", "capacity_value"})
"""Register columns holding numbers (``NaN`` when unknown); the others are text."""


def register_frame(projects: pd.DataFrame) -> gpd.GeoDataFrame:
    """Bring a frame into register shape: the register columns, typed, plus point geometry.

    Parameters
    ----------
    projects : pandas.DataFrame
        Register columns (missing text columns become ``""``, missing numbers
        ``NaN``); a ``geometry`` column, if present, must be EPSG:4326 and
        wins over ``lon``/``lat``.

    Returns
    -------
    geopandas.GeoDataFrame
        Exactly :data:`REGISTER_COLUMNS` plus ``geometry``; ``major_10yi``
        is always derived from ``investment_yi`` (:func:`major_flags`).

    Raises
    ------
    ValueError
        On a CRS other than EPSG:4326, a missing or repeated id.
    """
    frame = pd.DataFrame(index=range(len(projects)))
    src = projects.reset_index(drop=True)
    for col in REGISTER_COLUMNS:
        if col in FLOAT_COLUMNS:
            values = src.get(col, np.nan)
            frame[col] = pd.to_numeric(pd.Series(values, index=frame.index), errors="coerce")
        else:
            values = src.get(col, "")
            frame[col] = pd.Series(values, index=frame.index).fillna("").astype(str)
    if isinstance(projects, gpd.GeoDataFrame) and projects.geometry.name in projects:
        if projects.crs is not None:
            require_wgs84(projects, what="projects")
        geom = np.asarray(projects.geometry.reset_index(drop=True).array, dtype=object)
        has = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
        frame["lon"] = np.where(has, shapely.get_x(np.where(has, geom, None)), np.nan)
        frame["lat"] = np.where(has, shapely.get_y(np.where(has, geom, None)), np.nan)
    # derived, never stated: 10亿元 or more when the investment is known
    frame["major_10yi"] = major_flags(frame["investment_yi"].to_numpy())
    if (frame["id"] == "").any():
        raise ValueError("every project needs an id")
    repeated = frame["id"][frame["id"].duplicated()]
    if len(repeated):
        raise ValueError(f"repeated project ids: {sorted(set(repeated))[:5]}")
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)
    located = ~(np.isnan(lon) | np.isnan(lat))
    points = np.full(len(frame), None, dtype=object)
    points[located] = shapely.points(lon[located], lat[located])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=WGS84), crs=WGS84)
