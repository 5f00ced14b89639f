"""GeoPackage byte codec: point geometry blobs, spatial reference rows, register rows as SQL."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geodata.schema import FLOAT_COLUMNS, REGISTER_COLUMNS

SRS_ID = 4326
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10200
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_POINT_DTYPE = np.dtype(
    [
        ("magic", "S2"),
        ("version", "u1"),
        ("flags", "u1"),
        ("srs_id", "<i4"),
        ("byte_order", "u1"),
        ("wkb_type", "<u4"),
        ("x", "<f8"),
        ("y", "<f8"),
    ]
)


def srs_rows() -> list[tuple[object, ...]]:
    """Mandatory spatial reference rows of a GeoPackage plus WGS-84."""
    wkt = CRS.from_epsg(SRS_ID).to_wkt("WKT1_GDAL")
    return [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
        ("WGS 84 geodetic", SRS_ID, "EPSG", SRS_ID, wkt, "longitude/latitude WGS 84"),
    ]


def encode_points(lon: np.ndarray, lat: np.ndarray) -> list[bytes | None]:
    """Encode points as GeoPackage binary geometries (GP header + WKB).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        WGS-84 degrees; a ``NaN`` pair gives ``None`` (no geometry).

    Returns
    -------
    list
        One ``bytes`` (29 bytes: little-endian header without envelope and a
        WKB point) or ``None`` per point.
    """
    n = len(lon)
    buf = np.zeros(n, dtype=_POINT_DTYPE)
    buf["magic"] = b"GP"
    buf["flags"] = 0b0000_0001
    buf["srs_id"] = SRS_ID
    buf["byte_order"] = 1
    buf["wkb_type"] = 1
    buf["x"] = lon
    buf["y"] = lat
    raw = buf.tobytes()
    size = _POINT_DTYPE.itemsize
    missing = np.isnan(np.asarray(lon, dtype=float)) | np.isnan(np.asarray(lat, dtype=float))
    return [None if missing[i] else raw[i * size : (i + 1) * size] for i in range(n)]


def decode_geometries(blobs: list[bytes | None]) -> np.ndarray:
    """Decode GeoPackage binary geometries into shapely geometries.

    Parameters
    ----------
    blobs : list
        ``geom`` column values (``None`` for no geometry).

    Returns
    -------
    numpy.ndarray
        Shapely geometries (``None`` where there is none or it is empty).
    """
    wkb: list[bytes | None] = []
    for blob in blobs:
        if blob is None or len(blob) < 8 or blob[:2] != b"GP":
            wkb.append(None)
            continue
        flags = blob[3]
        if flags & 0b0001_0000:
            wkb.append(None)
            continue
        wkb.append(bytes(blob[8 + _ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0) :]))
    return shapely.from_wkb(np.array(wkb, dtype=object))


def sql_rows(frame: pd.DataFrame, *, geom: bool) -> list[tuple[object, ...]]:
    """Register rows as SQLite parameters (``NULL`` for missing numbers, geometry first)."""
    columns = []
    for col in REGISTER_COLUMNS:
        values = frame[col].tolist()
        if col in FLOAT_COLUMNS:
            values = [None if (v is None or math.isnan(v)) else v for v in values]
        columns.append(values)
    if geom:
        lon = frame["lon"].to_numpy(dtype=float)
        lat = frame["lat"].to_numpy(dtype=float)
        columns.insert(0, encode_points(lon, lat))
    return list(zip(*columns, strict=True)) if len(frame) else []
