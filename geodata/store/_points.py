"""Checks of a point set in review: inside 长治市, and in the project's stated county.

Plumbing of :mod:`geodata.store.postgis`; both use the one point-in-county
rule, :func:`geodata.join.county_at`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import geopandas as gpd
import numpy as np

from geodata.boundaries import load_counties
from geodata.coords import CoordSystem, convert
from geodata.divisions import BY_ADCODE
from geodata.join import county_at
from geodata.settings import CITY_NAME_ZH


@lru_cache(maxsize=1)
def _counties() -> gpd.GeoDataFrame:
    """Return the county boundaries, loaded on first use."""
    return load_counties()


def county_mismatch(stated: str, found: str) -> str:
    """Return a note when a point's county differs from the stated one (``""`` when it agrees)."""
    if not stated or stated == found or stated not in BY_ADCODE:
        return ""
    zh = BY_ADCODE[found].name_zh if found in BY_ADCODE else "?"
    en = BY_ADCODE[found].name_en if found in BY_ADCODE else "?"
    return (
        f"注意：位置不在所填县区{BY_ADCODE[stated].name_zh}内，而在{zh} "
        f"(warning: the point lies outside the stated county {BY_ADCODE[stated].name_en}, "
        f"in {en})"
    )


def located(lon: float, lat: float, system: CoordSystem) -> tuple[float, float, str]:
    """Convert a typed point to WGS-84 and return it with its county; raise outside the city."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        raise ValueError(f"not a position: lon={lon}, lat={lat}")
    wlon, wlat = convert(lon=lon, lat=lat, src=system, dst=CoordSystem.WGS84)
    found = str(county_at(np.array([wlon]), np.array([wlat]), _counties())[0])
    if not found:
        given = "" if system is CoordSystem.WGS84 else f"{system.value} {lon:.6f}, {lat:.6f} → "
        raise ValueError(
            f"位置 ({given}WGS-84 {wlon:.6f}, {wlat:.6f}) 不在{CITY_NAME_ZH}范围内，未保存 "
            f"(point lon={wlon:.6f}, lat={wlat:.6f} is outside {CITY_NAME_ZH}; nothing saved)"
        )
    return float(wlon), float(wlat), found
