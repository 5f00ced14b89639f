"""Project stores: the embedded GeoPackage (:mod:`.gpkg`) and PostGIS (:mod:`.postgis`).

Re-exports only. The seam shared by both backends is :mod:`geodata.store.base`;
the PostGIS backend is imported on demand (``geodata.store.postgis``) so the
app does not load SQLAlchemy unless a ``postgresql://`` store is used.
"""

from __future__ import annotations

from geodata.store.gpkg import (
    STORE_SCHEMA_VERSION,
    Action,
    OutsideCountyWarning,
    Store,
    StoreBusy,
    StoreError,
    _city_shapes,
    decode_geometries,
    encode_points,
    register_frame,
)

__all__ = [
    "STORE_SCHEMA_VERSION",
    "Action",
    "OutsideCountyWarning",
    "Store",
    "StoreBusy",
    "StoreError",
    "_city_shapes",
    "decode_geometries",
    "encode_points",
    "register_frame",
]
