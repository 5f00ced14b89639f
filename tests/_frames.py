"""Tiny register-shaped frames built from hand-written rows, shared by the tests."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geodata.schema import REGISTER_COLUMNS

# values of the columns a row leaves out
ROW_DEFAULTS: dict[str, object] = {
    "name_en": "",
    "company": "",
    "county_adcode": "140403",
    "location_text": "",
    "precision": "exact",
    "stage": "construction",
    "investment_yi": np.nan,
    "key_level": "",
    "major_10yi": "",
    "capacity_value": np.nan,
    "capacity_unit": "",
    "capacity_text": "",
    "source_sentence": "",
}


def make_projects(rows: list[dict], *, crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """Build a register-shaped frame; missing columns get :data:`ROW_DEFAULTS`.

    Parameters
    ----------
    rows : list of dict
        One dict per project with at least ``id``, ``name_zh``, ``category``,
        ``subcategory``, ``lon`` and ``lat`` (WGS-84).
    crs : str
        CRS of the returned frame (points are converted from WGS-84).

    Returns
    -------
    geopandas.GeoDataFrame
        ``REGISTER_COLUMNS`` plus point geometry.
    """
    frame = pd.DataFrame([{**ROW_DEFAULTS, **r} for r in rows], columns=list(REGISTER_COLUMNS))
    geometry = [Point(lon, lat) for lon, lat in zip(frame["lon"], frame["lat"], strict=True)]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326").to_crs(crs)
