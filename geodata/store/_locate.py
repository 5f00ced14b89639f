"""Checks of a review edit's point, shared by every backend: in the city, in which county."""

from __future__ import annotations

import math
from functools import cache

import geopandas as gpd
import numpy as np
import shapely

from geodata.boundaries import load_counties
from geodata.coords import CoordSystem, convert
from geodata.divisions import BY_ADCODE
from geodata.i18n import bilingual, county_name, per_lang
from geodata.join import county_at


@cache
def _counties() -> gpd.GeoDataFrame:
    """Return the county boundaries, loaded on first use."""
    return load_counties()


@cache
def _city_outline() -> shapely.Geometry:
    """Return the city outline (union of the counties), prepared, built on first use."""
    city = shapely.union_all(list(_counties().geometry))
    shapely.prepare(city)
    return city


def locate(lon: float, lat: float, crs: CoordSystem | str) -> tuple[float, float, str]:
    """Convert a typed or clicked point to WGS-84 and find its county.

    Parameters
    ----------
    lon, lat : float
        The point in ``crs``.
    crs : CoordSystem or str
        ``wgs84``, ``gcj02`` or ``bd09``.

    Returns
    -------
    tuple
        WGS-84 longitude and latitude (rounded to 7 decimals) and the adcode
        of the county holding the point.

    Raises
    ------
    ValueError
        When the coordinates are not finite degrees, or the point lies outside
        长治市; the message names the point as given.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        raise ValueError(f"not a position: lon={lon}, lat={lat}")
    system = CoordSystem(crs)
    wlon, wlat = convert(lon=lon, lat=lat, src=system, dst=CoordSystem.WGS84)
    if not shapely.intersects_xy(_city_outline(), wlon, wlat):
        given = "" if system is CoordSystem.WGS84 else f"{system.value} {lon:.6f}, {lat:.6f} → "
        raise ValueError(bilingual("store_outside_city", given=given, lon=wlon, lat=wlat))
    found = county_at(np.array([wlon]), np.array([wlat]), _counties())[0]
    return round(float(wlon), 7), round(float(wlat), 7), str(found)


def county_mismatch(stated: str, found: str) -> str:
    """Return a note when a point's county differs from the stated one (``""`` when it agrees)."""
    if not stated or stated == found or stated not in BY_ADCODE:
        return ""
    return bilingual(
        "store_outside_county",
        stated=per_lang(county_name, stated),
        found=per_lang(county_name, found) if found in BY_ADCODE else "?",
    )


def location_note(
    project_id: str, *, lon: float, lat: float, crs: CoordSystem | str, message: str, mismatch: str
) -> str:
    """Return the version message of a review edit: the staff note or a default, and the warning."""
    note = message or bilingual(
        "store_set_location", project_id=project_id, system=CoordSystem(crs).value, lon=lon, lat=lat
    )
    return f"{note}；{mismatch}" if mismatch else note
