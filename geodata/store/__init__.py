"""The project store: a versioned register behind one protocol, GeoPackage or PostGIS.

Open it with :func:`open_store` (a path or ``gpkg:`` URL, or ``postgresql://``)
or :func:`open_default_store` (the run's ``CHANGZHI_STORE``; only the embedded
default is created when missing); make one with :func:`create_store`. Every
write names an :class:`Author` and the version it was based on.
"""

from geodata.store._open import (
    backup_store,
    copy_store,
    create_store,
    open_default_store,
    open_store,
    upgrade_store,
)
from geodata.store.base import (
    HISTORY_COLUMNS,
    Action,
    Author,
    Conflict,
    OutsideCountyWarning,
    ProjectStore,
    SchemaMismatch,
    StaleBase,
    StoreBusy,
    StoreError,
    StoreExists,
    StoreNotFound,
)
from geodata.store.gpkg import GpkgStore
from geodata.store.migrations import SCHEMA_VERSION

__all__ = [
    "HISTORY_COLUMNS",
    "SCHEMA_VERSION",
    "Action",
    "Author",
    "Conflict",
    "GpkgStore",
    "OutsideCountyWarning",
    "ProjectStore",
    "SchemaMismatch",
    "StaleBase",
    "StoreBusy",
    "StoreError",
    "StoreExists",
    "StoreNotFound",
    "backup_store",
    "copy_store",
    "create_store",
    "open_default_store",
    "open_store",
    "upgrade_store",
]
