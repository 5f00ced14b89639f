"""The one place the import path talks to the project store.

Reading the register, its version and writing a change set go through these
functions only, so a new store interface is wired in here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geodata.store import Store, StoreError, register_frame

if TYPE_CHECKING:
    from pathlib import Path

    import geopandas as gpd
    import pandas as pd

    from geodata.auth import StaffIdentity

__all__ = [
    "Store",
    "StoreError",
    "current_version",
    "open_store",
    "read_register",
    "register_frame",
    "write_rows",
]


def open_store(path: Path) -> Store:
    """Open (or create from the bundled register) the store at ``path``."""
    return Store(path)


def current_version(store: Store) -> int:
    """Return the store's current version (one small query)."""
    return store.current_version()


def read_register(store: Store) -> gpd.GeoDataFrame:
    """Return the store's current projects, those awaiting a location included."""
    return store.projects(include_unlocated=True)


def write_rows(rows: pd.DataFrame, *, store: Store, identity: StaffIdentity, message: str) -> int:
    """Write added and changed projects as one new version; return it."""
    return store.commit(rows, identity=identity, message=message)
