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
from geodata.i18n import bilingual, county_name, per_lang
from geodata.join import county_at


@lru_cache(maxsize=1)
def _counties() -> gpd.GeoDataFrame:
    """Return the county boundaries, loaded on first use."""
    return load_counties()


def county_mismatch(stated: str, found: str) -> str:
    """Return a note when a point's county differs from the stated one (``""`` when it agrees)."""
    if not stated or stated == found or stated not in BY_ADCODE:
        return ""
    return bilingual(
        "store_outside_county",
        stated=per_lang(county_name, stated),
        found=per_lang(county_name, found) if found in BY_ADCODE else "?",
    )


def located(lon: float, lat: float, system: CoordSystem) -> tuple[float, float, str]:
    """Convert a typed point to WGS-84 and return it with its county; raise outside the city."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        raise ValueError(f"not a position: lon={lon}, lat={lat}")
    wlon, wlat = convert(lon=lon, lat=lat, src=system, dst=CoordSystem.WGS84)
    found = str(county_at(np.array([wlon]), np.array([wlat]), _counties())[0])
    if not found:
        given = "" if system is CoordSystem.WGS84 else f"{system.value} {lon:.6f}, {lat:.6f} → "
        raise ValueError(bilingual("store_outside_city", given=given, lon=wlon, lat=wlat))
    return float(wlon), float(wlat), found
