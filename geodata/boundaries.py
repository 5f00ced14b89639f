"""County boundaries of 长治市 as WGS-84 GeoDataFrames."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geodata.coords import require_wgs84
from geodata.settings import COUNTIES_PATH, WGS84

COUNTY_COLUMNS: tuple[str, ...] = (
    "adcode",
    "name_zh",
    "name_en",
    "pinyin",
    "kind",
    "kind_zh",
    "seat_zh",
    "seat_lon",
    "seat_lat",
)


def load_counties(path: Path = COUNTIES_PATH) -> gpd.GeoDataFrame:
    """Load the 12 county-level divisions.

    Parameters
    ----------
    path : Path
        GeoJSON written by ``python -m geodata._build_boundaries``.

    Returns
    -------
    geopandas.GeoDataFrame
        One polygon row per county in EPSG:4326, sorted by adcode, with the
        columns in :data:`COUNTY_COLUMNS`.

    Raises
    ------
    ValueError
        If the file is not WGS-84 or lacks a column.
    """
    gdf = gpd.read_file(path)
    require_wgs84(gdf, what=f"{path}: boundaries")
    missing = [c for c in COUNTY_COLUMNS if c not in gdf.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    gdf["adcode"] = gdf["adcode"].astype(str)
    return gdf[[*COUNTY_COLUMNS, "geometry"]].sort_values("adcode").reset_index(drop=True)


def county_seats(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the county seats as points.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        Output of :func:`load_counties`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adcode, name_zh, seat_zh, geometry`` (points, EPSG:4326).
    """
    points = gpd.points_from_xy(counties["seat_lon"], counties["seat_lat"], crs=WGS84)
    return gpd.GeoDataFrame(
        counties[["adcode", "name_zh", "seat_zh"]].copy(), geometry=points, crs=WGS84
    )
