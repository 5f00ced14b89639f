"""The one place the import path talks to the project store.

Opening the store, reading the register and its version and writing a change
set go through these functions only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geodata.progress.frames import plans_frame, reports_frame
from geodata.schema import register_frame
from geodata.store import ProjectStore, StoreError, open_default_store, open_store
from geodata.store._progress_rows import PLANS, PROGRESS, same_row, to_rows

if TYPE_CHECKING:
    import geopandas as gpd

    from geodata.store import Author

__all__ = [
    "ProjectStore",
    "StoreError",
    "current_version",
    "open_target",
    "read_register",
    "register_frame",
    "row_changes",
    "stored_rows",
    "write_kind_rows",
    "write_rows",
]


def open_target(url: str | None) -> ProjectStore:
    """Open the store at ``url``, or the app's default store when ``url`` is ``None``."""
    return open_store(url) if url else open_default_store()


def current_version(store: ProjectStore) -> int:
    """Return the store's current version (one small query)."""
    return store.current_version()


def base_of(store: ProjectStore, *, given: int | None, checked: int | None) -> int:
    """Return the version a commit is based on: given, else the one checked against, else now."""
    if given is not None:
        return given
    return checked if checked is not None else current_version(store)


def read_register(store: ProjectStore) -> gpd.GeoDataFrame:
    """Return the store's current projects, those awaiting a location included."""
    return store.projects(include_unlocated=True)


def write_rows(
    rows: pd.DataFrame, *, store: ProjectStore, author: Author, base_version: int, message: str
) -> int:
    """Write added and changed projects as one new version based on ``base_version``."""
    return store.commit(rows, author=author, base_version=base_version, message=message)


def stored_rows(
    stored: pd.DataFrame | ProjectStore | None, kind: str, rows: pd.DataFrame
) -> pd.DataFrame:
    """Return the stored plans or progress reports a check of ``rows`` compares them with.

    ``stored`` is the store (its current plans, or only the reports
    ``rows`` lead on from: ``store.progress(leading_to=rows)``), those rows
    as a frame, or ``None`` (nothing stored).
    """
    if isinstance(stored, pd.DataFrame):
        return stored
    if stored is None:
        return plans_frame([]) if kind == "plan" else reports_frame([])
    if kind == "plan":
        return stored.plans()
    return stored.progress(leading_to=rows[["project_id", "period"]])


def row_changes(kind: str, stored: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """Return, per row of ``rows``, ``added``, ``updated`` or ``unchanged`` against ``stored``."""
    table = PLANS if kind == "plan" else PROGRESS
    out = np.full(len(rows), "added", dtype=object)
    # only the stored rows of the projects and years or months the file gives
    when = table.key[1]
    same_when = stored[stored[when].isin(rows[when].unique()).to_numpy()]
    ids = pd.Index(same_when["project_id"].to_numpy(dtype=object), dtype=object)
    near = same_when[ids.isin(rows["project_id"].to_numpy(dtype=object))]
    if near.empty:
        return out
    # only the rows whose key is stored are compared, row by row
    keys = pd.MultiIndex.from_arrays([rows["project_id"].to_numpy(dtype=object), rows[when]])
    hit = np.flatnonzero(keys.isin(pd.MultiIndex.from_frame(near[["project_id", when]])))
    before = to_rows(table, near)
    for i, (key, row) in zip(hit.tolist(), to_rows(table, rows.iloc[hit]).items(), strict=True):
        out[i] = "unchanged" if same_row(table, before[key], row) else "updated"
    return out


def write_kind_rows(
    kind: str,
    rows: pd.DataFrame,
    *,
    store: ProjectStore,
    author: Author,
    base_version: int,
    message: str,
) -> int:
    """Write plans or progress reports as one new version based on ``base_version``."""
    commit = store.commit_plans if kind == "plan" else store.commit_progress
    return commit(rows, author=author, base_version=base_version, message=message)
