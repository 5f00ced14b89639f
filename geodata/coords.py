"""Coordinate systems used in China: WGS-84, GCJ-02 and BD-09.

Everything inside the project is WGS-84. Amap and Tencent publish GCJ-02,
Baidu publishes BD-09; points are converted at the edges through
:func:`convert`. The forward transforms are the published obfuscation
formulas; the inverses are solved iteratively (fixed-point on the forward
transform) until the round trip is below ``INVERSE_TOLERANCE_DEG`` (about
1 mm), so a point survives WGS-84 → GCJ-02 → WGS-84 to well below 1 cm.

Points outside mainland China are not shifted by GCJ-02; they are returned
unchanged and :class:`OutsideChinaWarning` is issued once per call. "Mainland
China" is a real land outline (``geodata/data/gcj02_mainland.geojson``, see
:func:`in_china`), not a box: Seoul, Pyongyang, Ulaanbaatar or Hanoi are left
alone. Hong Kong, Macau and Taiwan are outside it, as in Amap's and Baidu's
own data and the common conversion libraries: GCJ-02 is applied on the
mainland only.
"""

from __future__ import annotations

import warnings
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, overload

import numpy as np
import shapely

from geodata.settings import GCJ02_OUTLINE_PATH

if TYPE_CHECKING:
    from collections.abc import Callable

    import geopandas as gpd
    from numpy.typing import ArrayLike, NDArray

# krasovsky 1940 ellipsoid used by the GCJ-02 formulas
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
INVERSE_TOLERANCE_DEG = 1e-8
_MAX_ITERATIONS = 30
# box around the outline, a fast pre-filter
_CHINA_BOX = (72.004, 0.8293, 137.8347, 55.8271)


class CoordSystem(StrEnum):
    """A geographic coordinate system in use in China."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


class OutsideChinaWarning(UserWarning):
    """Some points lie outside China and were returned unchanged."""


@lru_cache(maxsize=1)
def _mainland_outline() -> shapely.Geometry:
    """Load and prepare the mainland China outline once, on first use."""
    outline = shapely.from_geojson(GCJ02_OUTLINE_PATH.read_text("utf-8"))
    if shapely.get_type_id(outline) == shapely.GeometryType.GEOMETRYCOLLECTION.value:
        outline = shapely.union_all(shapely.get_parts(outline))
    shapely.prepare(outline)
    return outline


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Return whether points lie in mainland China, where GCJ-02 applies.

    Points are first checked against a bounding box, then those inside it
    against the bundled land outline of mainland China (simplified to about
    1 km and grown by as much, so points on the mainland coast or borders
    count as inside). Hong Kong, Macau and Taiwan are outside.

    Parameters
    ----------
    lon, lat : array_like
        Degrees (WGS-84 or GCJ-02: the two differ by far less than the
        outline's precision).

    Returns
    -------
    numpy.ndarray of bool
        False also for NaN coordinates.
    """
    lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    x, y = np.atleast_1d(lon).ravel(), np.atleast_1d(lat).ravel()
    min_lon, min_lat, max_lon, max_lat = _CHINA_BOX
    # bounding box first, outline only for the points in it
    inside = (x >= min_lon) & (x <= max_lon) & (y >= min_lat) & (y <= max_lat)
    if inside.any():
        inside[inside] = shapely.contains_xy(_mainland_outline(), x[inside], y[inside])
    return inside.reshape(lon.shape)


def _delta(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Return the GCJ-02 offset (dlon, dlat) in degrees at WGS-84 points."""
    x = lon - 105.0
    y = lat - 35.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    return dlon, dlat


def _wgs_to_gcj(lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """Forward WGS-84 → GCJ-02 for points already known to be in China."""
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def _gcj_to_bd(lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """Forward GCJ-02 → BD-09."""
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _invert(
    forward: Callable[[NDArray, NDArray], tuple[NDArray, NDArray]],
    lon: NDArray,
    lat: NDArray,
    first: tuple[NDArray, NDArray],
) -> tuple[NDArray, NDArray]:
    """Solve ``forward(x) == (lon, lat)`` by fixed-point iteration from ``first``."""
    x, y = first
    for _ in range(_MAX_ITERATIONS):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        x, y = x - ex, y - ey
        if np.all(np.abs(ex) < INVERSE_TOLERANCE_DEG) and np.all(
            np.abs(ey) < INVERSE_TOLERANCE_DEG
        ):
            break
    return x, y


def _gcj_to_wgs(lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """Exact inverse GCJ-02 → WGS-84 by iteration."""
    dlon, dlat = _delta(lon, lat)
    return _invert(_wgs_to_gcj, lon, lat, (lon - dlon, lat - dlat))


def _bd_to_gcj(lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """Exact inverse BD-09 → GCJ-02 by iteration."""
    return _invert(_gcj_to_bd, lon, lat, (lon - 0.0065, lat - 0.006))


def _to_wgs(system: CoordSystem, lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """Bring points from ``system`` to WGS-84."""
    if system is CoordSystem.GCJ02:
        return _gcj_to_wgs(lon, lat)
    if system is CoordSystem.BD09:
        return _gcj_to_wgs(*_bd_to_gcj(lon, lat))
    return lon, lat


def _from_wgs(system: CoordSystem, lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """Take WGS-84 points to ``system``."""
    if system is CoordSystem.GCJ02:
        return _wgs_to_gcj(lon, lat)
    if system is CoordSystem.BD09:
        return _gcj_to_bd(*_wgs_to_gcj(lon, lat))
    return lon, lat


@overload
def convert(
    *, lon: float, lat: float, src: CoordSystem | str, dst: CoordSystem | str
) -> tuple[float, float]: ...
@overload
def convert(
    *, lon: ArrayLike, lat: ArrayLike, src: CoordSystem | str, dst: CoordSystem | str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
def convert(
    *, lon: ArrayLike, lat: ArrayLike, src: CoordSystem | str, dst: CoordSystem | str
) -> tuple[float, float] | tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Convert points between WGS-84, GCJ-02 and BD-09.

    Parameters
    ----------
    lon, lat : float or array_like
        Longitude and latitude in degrees in ``src``.
    src, dst : CoordSystem or str
        Source and target systems (``"wgs84"``, ``"gcj02"``, ``"bd09"``).

    Returns
    -------
    tuple
        ``(lon, lat)`` in ``dst``: floats for scalar input, arrays otherwise.

    Warns
    -----
    OutsideChinaWarning
        When some points lie outside China; those are returned unchanged.
    """
    src = CoordSystem(src)
    dst = CoordSystem(dst)
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    if x.shape != y.shape:
        raise ValueError(f"lon and lat differ in shape: {x.shape} vs {y.shape}")
    if src is dst:
        out_x, out_y = x.copy(), y.copy()
    else:
        # outside china: unchanged, with a warning
        inside = in_china(x, y) & np.isfinite(x) & np.isfinite(y)
        if not inside.all():
            warnings.warn(
                f"{int((~inside).sum())} point(s) outside China returned unchanged",
                OutsideChinaWarning,
                stacklevel=2,
            )
        out_x, out_y = x.copy(), y.copy()
        if inside.any():
            wx, wy = _to_wgs(src, x[inside], y[inside])
            out_x[inside], out_y[inside] = _from_wgs(dst, wx, wy)
    if scalar:
        return float(out_x[0]), float(out_y[0])
    return out_x, out_y


def convert_geometry(
    geom: shapely.Geometry, *, src: CoordSystem | str, dst: CoordSystem | str
) -> shapely.Geometry:
    """Convert every vertex of a shapely geometry between systems.

    Parameters
    ----------
    geom : shapely.Geometry
        Geometry with (lon, lat) vertices in ``src``.
    src, dst : CoordSystem or str
        Source and target systems.

    Returns
    -------
    shapely.Geometry
    """
    return shapely.transform(geom, _xy_converter(src, dst))


def require_wgs84(gdf: gpd.GeoDataFrame, *, what: str) -> None:
    """Raise unless a frame is in WGS-84 (EPSG:4326).

    The one CRS check of the project: data enters as WGS-84 and a frame in
    any other (or no) CRS is refused rather than guessed at.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Frame to check.
    what : str
        Its name, for the message.

    Raises
    ------
    ValueError
        If the CRS is missing or not EPSG:4326.
    """
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(f"{what} must be in EPSG:4326 (WGS-84), got {gdf.crs}")


def convert_frame(
    gdf: gpd.GeoDataFrame, *, src: CoordSystem | str, dst: CoordSystem | str
) -> gpd.GeoDataFrame:
    """Convert a WGS-84-labelled GeoDataFrame's geometries between systems.

    GCJ-02 and BD-09 have no EPSG code; the frame keeps ``EPSG:4326`` as its
    label, and callers use this only at the edges (reading a GCJ-02 source,
    drawing on GCJ-02 tiles).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Frame in EPSG:4326.
    src, dst : CoordSystem or str
        Source and target systems.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with converted geometries.

    Raises
    ------
    ValueError
        If the frame is not in geographic EPSG:4326.
    """
    require_wgs84(gdf, what="frame")
    out = gdf.copy()
    out.geometry = shapely.transform(out.geometry.values, _xy_converter(src, dst))
    return out


def _xy_converter(
    src: CoordSystem | str, dst: CoordSystem | str
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """Build a shapely.transform callback for an (n, 2) coordinate array."""
    src = CoordSystem(src)
    dst = CoordSystem(dst)

    def _apply(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        """Convert an (n, 2) array of (lon, lat) vertices."""
        x, y = convert(lon=coords[:, 0], lat=coords[:, 1], src=src, dst=dst)
        return np.column_stack([x, y])

    return _apply
