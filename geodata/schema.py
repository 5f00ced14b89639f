"""Controlled vocabularies of the register, its columns, and the frame that holds them.

Each vocabulary is an enum whose value is the stable English code stored in
files; :func:`geodata.i18n.label` gives the labels shown to planners. Code
compares enum members, never free strings.
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


class Stage(StrEnum):
    """Stage in the city's four-pool (四库) management model."""

    PLANNING = "planning"
    RESERVE = "reserve"
    CONSTRUCTION = "construction"
    OPERATION = "operation"
    UNKNOWN = "unknown"


class Precision(StrEnum):
    """How precisely a location is known, best first."""

    EXACT = "exact"
    PLACE = "place"
    COUNTY = "county"
    CITY = "city"

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


class CountyKind(StrEnum):
    """Kind of county-level division."""

    DISTRICT = "district"
    COUNTY = "county"


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
    def category(self) -> Category | None:
        """The category this subcategory belongs to (``None`` for ``other``)."""
        return _SUBCATEGORY_OF[self]


_SUBCATEGORY_OF: dict[Subcategory, Category | None] = {
    Subcategory.PHOTOVOLTAIC: Category.ENERGY,
    Subcategory.STORAGE: Category.ENERGY,
    Subcategory.HYDROGEN: Category.ENERGY,
    Subcategory.INTEGRATED_ENERGY: Category.ENERGY,
    Subcategory.NEW_MATERIALS: Category.INDUSTRY,
    Subcategory.ELECTRONICS: Category.INDUSTRY,
    Subcategory.PHARMACEUTICALS: Category.INDUSTRY,
    Subcategory.HEALTH: Category.INDUSTRY,
    Subcategory.AGRICULTURE_FOOD: Category.INDUSTRY,
    Subcategory.RECYCLING: Category.INDUSTRY,
    Subcategory.COMMERCE: Category.LIVELIHOOD,
    Subcategory.CULTURE_TOURISM: Category.LIVELIHOOD,
    Subcategory.WATER: Category.LIVELIHOOD,
    Subcategory.ECOLOGY: Category.LIVELIHOOD,
    Subcategory.OTHER: None,
}


class KeyLevel(StrEnum):
    """Key-project level (重点工程级别) the report counts its 777 省市重点工程 by."""

    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    GENERAL = "general"

    @property
    def is_key(self) -> bool:
        """Whether the level counts among the 省市重点工程 (provincial or municipal)."""
        return self in (KeyLevel.PROVINCIAL, KeyLevel.MUNICIPAL)


class Major(StrEnum):
    """Whether a project's stated total investment is 10亿元 or more (``major_10yi``)."""

    YES = "yes"
    NO = "no"


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
