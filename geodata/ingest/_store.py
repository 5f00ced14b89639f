"""The one place the import path talks to the project store.

Opening the store, reading the register and its version and writing a change
set go through these functions only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geodata.schema import register_frame
from geodata.store import ProjectStore, StoreError, open_default_store, open_store

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geodata.store import Author

__all__ = [
    "ProjectStore",
    "StoreError",
    "current_version",
    "open_target",
    "read_register",
    "register_frame",
    "write_rows",
]


def open_target(url: str | None) -> ProjectStore:
    """Open the store at ``url``, or the app's default store when ``url`` is ``None``."""
    return open_store(url) if url else open_default_store()


def current_version(store: ProjectStore) -> int:
    """Return the store's current version (one small query)."""
    return store.current_version()


def read_register(store: ProjectStore) -> gpd.GeoDataFrame:
    """Return the store's current projects, those awaiting a location included."""
    return store.projects(include_unlocated=True)


def write_rows(
    rows: pd.DataFrame, *, store: ProjectStore, author: Author, base_version: int, message: str
) -> int:
    """Write added and changed projects as one new version based on ``base_version``."""
    return store.commit(rows, author=author, base_version=base_version, message=message)
