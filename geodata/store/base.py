"""The store seam: author record, kinds of change, errors, the protocol and shared rules.

Every backend (GeoPackage now, PostGIS next) implements :class:`ProjectStore`
and uses the pure helpers here, so the rules are written once: the row diff
(:func:`diff_rows`), the lost-update check (:func:`stale_conflicts`), what a
version changed (:func:`change_table`) and the review queue
(:func:`review_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from geodata.i18n import Lang, bilingual, by_lang, per_lang, t
from geodata.schema import FLOAT_COLUMNS, REGISTER_COLUMNS, Precision, register_frame
from geodata.store._history_entry import HistoryEntry
from geodata.store._progress_protocol import ProgressStore

if TYPE_CHECKING:
    from pathlib import Path

    import geopandas as gpd

    from geodata.coords import CoordSystem

HISTORY_COLUMNS: tuple[str, ...] = (
    "version",
    "created_at",
    "who",
    "who_name",
    "who_source",
    "action",
    "message",
    "n_projects",
    "added",
    "updated",
    "removed",
    "restored_from",
)
"""Columns of :meth:`ProjectStore.history`, one row per version."""

# most conflicts named in one message (the rest are counted)
_CONFLICTS_NAMED = 8


class Action(StrEnum):
    """Kind of change recorded in the history."""

    CREATE = "create"
    IMPORT = "import"
    EDIT = "edit"
    RESTORE = "restore"
    REVERT = "revert"


@dataclass(frozen=True, slots=True)
class Author:
    """Who made a change, as the history records it.

    Attributes
    ----------
    username : str
        Account name (local), e-mail or subject (OIDC), or the command-line user.
    display_name : str
        Name shown in the history (``王丽``).
    source : str
        Where the identity came from: ``local``, ``oidc`` or ``system``.
    """

    username: str
    display_name: str = ""
    source: str = "local"

    def __post_init__(self) -> None:
        """Refuse an author without a username."""
        if not self.username.strip():
            raise ValueError("an author needs a username")

    @property
    def label(self) -> str:
        """``display name (username)``, or the username alone."""
        if self.display_name and self.display_name != self.username:
            return f"{self.display_name} ({self.username})"
        return self.username


SYSTEM_AUTHOR = Author("system", "system", "system")
"""Author of a store's first version."""


def require_author(author: object) -> Author:
    """Return ``author`` if it is an :class:`Author`, else refuse the write.

    Raises
    ------
    PermissionError
        When ``author`` is ``None`` or not an :class:`Author`.
    """
    if not isinstance(author, Author):
        raise PermissionError(bilingual("auth_author_required"))
    return author


class StoreError(RuntimeError):
    """The store cannot be read or written."""


class StoreBusy(StoreError):  # noqa: N818 (the name the app and issue use)
    """Another program holds the store; nothing was written, try again."""

    def __init__(self, where: str) -> None:
        super().__init__(bilingual("store_busy", where=where))
        self.where = where


class StoreNotFound(StoreError):  # noqa: N818 (named in the contract)
    """No store at the given path or URL (a typo, a volume not mounted).

    ``hint`` (optional) says what to do, e.g. which command creates the store.
    """

    def __init__(self, where: str, *, hint: str = "") -> None:
        text = bilingual("store_not_found", where=where)
        super().__init__(f"{text}; {hint}" if hint else text)
        self.where = where


class StoreExists(StoreError):  # noqa: N818 (pairs with StoreNotFound)
    """A new store was asked for where one already exists; nothing was overwritten."""

    def __init__(self, where: str) -> None:
        super().__init__(bilingual("store_exists", where=where))
        self.where = where


class SchemaMismatch(StoreError):  # noqa: N818 (named in the contract)
    """The store's layout is of another schema version than this code reads."""

    def __init__(self, where: str, found: int | str, expected: int) -> None:
        older = isinstance(found, int) and found < expected
        advice = by_lang("store_upgrade" if older else "store_use_its_app", where=where)
        super().__init__(
            bilingual(
                "store_schema_mismatch", where=where, found=found, expected=expected, hint=advice
            )
        )
        self.found = found
        self.expected = expected


@dataclass(frozen=True, slots=True)
class Conflict:
    """A project changed by a version the writer had not seen."""

    project_id: str
    version: int
    who: str
    created_at: str


class StaleBase(StoreError):  # noqa: N818 (named in the contract)
    """A write based on an old version would overwrite later changes; nothing was written."""

    def __init__(self, conflicts: Iterable[Conflict], *, base_version: int) -> None:
        self.conflicts = tuple(conflicts)
        self.base_version = base_version
        super().__init__(
            bilingual(
                "store_stale",
                base_version=base_version,
                conflicts=per_lang(_conflict_list, self.conflicts),
            )
        )


def _conflict_list(conflicts: tuple[Conflict, ...], lang: Lang) -> str:
    """Name the first conflicts (project, who, version) and how many more there are."""
    named = conflicts[:_CONFLICTS_NAMED]
    parts = [
        t("store_conflict", lang, project_id=c.project_id, who=c.who, version=c.version)
        for c in named
    ]
    if len(conflicts) > len(named):
        parts.append(t("store_conflicts_more", lang, n=len(conflicts) - len(named)))
    return t("store_conflict_separator", lang).join(parts)


class OutsideCountyWarning(UserWarning):
    """A point was set outside the project's stated county (recorded in the version message)."""


@dataclass(frozen=True)
class ChangeSet:
    """What one write changes: new or modified rows, and removed ids.

    Attributes
    ----------
    rows : geopandas.GeoDataFrame
        Register-shaped rows of the added and updated projects (added first).
    added, updated, removed : tuple of str
        Project ids by kind of change.
    """

    rows: gpd.GeoDataFrame
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id the write changes."""
        return (*self.added, *self.updated, *self.removed)


def _differs(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """Per-cell inequality of two aligned register frames (``NaN`` equals ``NaN``)."""
    out = np.zeros(a.shape, dtype=bool)
    for k, col in enumerate(a.columns):
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if col in FLOAT_COLUMNS:
            x, y = x.astype(float), y.astype(float)
            out[:, k] = ~((x == y) | (np.isnan(x) & np.isnan(y)))
        else:
            out[:, k] = x.astype(str) != y.astype(str)
    return out


def diff_rows(before: pd.DataFrame, after: pd.DataFrame) -> ChangeSet:
    """Compare two register-shaped frames by id.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Register-shaped rows (ids unique in each).

    Returns
    -------
    ChangeSet
        Rows of ``after`` that are new or differ in any register column, and
        the ids missing from ``after``.
    """
    cols = [c for c in REGISTER_COLUMNS if c != "id"]
    b = before.set_index("id")[cols]
    a = after.set_index("id")[cols]
    added = a.index.difference(b.index, sort=False)
    removed = b.index.difference(a.index, sort=False)
    common = a.index.intersection(b.index, sort=False)
    modified = common[_differs(a.loc[common], b.loc[common]).any(axis=1)]
    order = {pid: k for k, pid in enumerate([*added, *modified])}
    rows = after[after["id"].isin(order)].copy()
    rows = rows.iloc[np.argsort(rows["id"].map(order).to_numpy(), kind="stable")]
    return ChangeSet(
        rows=register_frame(rows),
        added=tuple(added),
        updated=tuple(modified),
        removed=tuple(removed),
    )


def merge_incoming(
    current: gpd.GeoDataFrame, incoming: pd.DataFrame, *, replace: bool
) -> gpd.GeoDataFrame:
    """Return the register a commit asks for, sorted by id.

    ``replace=False``: incoming rows update projects of the same id and add the
    others; ``replace=True``: the register becomes exactly ``incoming``.
    """
    rows = register_frame(incoming)
    if not replace:
        kept = current[~current["id"].isin(set(rows["id"]))]
        rows = register_frame(pd.concat([kept, rows], ignore_index=True))
    return rows.sort_values("id").reset_index(drop=True)


def stale_conflicts(ids: Iterable[str], later: pd.DataFrame) -> tuple[Conflict, ...]:
    """Return the changes, made after a writer's base, to the projects it would change.

    Parameters
    ----------
    ids : iterable of str
        Ids the write would change (after diffing against the current register).
    later : pandas.DataFrame
        Every project change of the versions after the base: columns ``id,
        version, who, who_name, created_at``.

    Returns
    -------
    tuple of Conflict
        Sorted by project and version; empty when the write may go through.
    """
    hit = later[later["id"].isin(set(ids))].sort_values(["id", "version"])
    return tuple(
        Conflict(
            project_id=str(row.id),
            version=int(row.version),
            who=Author(str(row.who), str(row.who_name or "")).label,
            created_at=str(row.created_at),
        )
        for row in hit.itertuples(index=False)
    )


def check_base(base_version: int, current: int) -> None:
    """Refuse a base version the store never had (newer than ``current`` or negative).

    Raises
    ------
    ValueError
        Naming the base version and the store's current one.
    """
    if not 0 <= int(base_version) <= int(current):
        raise ValueError(f"base version {base_version} does not exist (the store is at {current})")


def change_table(kinds: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Describe what one version changed, one row per project.

    Parameters
    ----------
    kinds : pandas.DataFrame
        The version's change rows: ``id`` and ``deleted`` (bool).
    before : pandas.DataFrame
        Register rows of those projects just before the version.
    after : pandas.DataFrame
        Register rows the version wrote (not the deleted ones).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``change`` (``added``, ``updated`` or ``removed``), ``fields``
        (the register columns that differ, comma-separated) and, for every
        register column but ``id``, ``before_<column>`` and ``after_<column>``
        (empty or ``NaN`` where the row did not exist). Sorted by id.
    """
    cols = [c for c in REGISTER_COLUMNS if c != "id"]
    ids = sorted(kinds["id"].astype(str))
    deleted = set(kinds.loc[kinds["deleted"].astype(bool), "id"].astype(str))
    b = register_frame(before).set_index("id")[cols].reindex(ids)
    a = register_frame(after).set_index("id")[cols].reindex(ids)
    for frame in (a, b):
        text = [c for c in cols if c not in FLOAT_COLUMNS]
        frame[text] = frame[text].fillna("")
    existed = b.index.isin(register_frame(before)["id"])
    change = np.where([i in deleted for i in ids], "removed", np.where(existed, "updated", "added"))
    differs = _differs(a, b)
    out = pd.DataFrame({"id": ids, "change": change})
    out["fields"] = [",".join(np.array(cols)[row]) for row in differs]
    for col in cols:
        # amounts stay float when no row changed (a plans or progress version)
        dtype = float if col in FLOAT_COLUMNS else None
        out[f"before_{col}"] = b[col].to_numpy(dtype=dtype)
        out[f"after_{col}"] = a[col].to_numpy(dtype=dtype)
    return out


def review_rows(projects: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the review queue of a register read with its unlocated projects.

    Projects awaiting a location or located only to county or city level;
    unlocated ones (``geometry`` ``None``) first, then by id.
    """
    coarse = (
        projects["precision"].isin(["", Precision.COUNTY.value, Precision.CITY.value])
        | projects.geometry.isna()
    )
    queue = projects[coarse].copy()
    queue["_order"] = queue.geometry.notna()
    return queue.sort_values(["_order", "id"]).drop(columns="_order").reset_index(drop=True)


@runtime_checkable
class ProjectStore(ProgressStore, Protocol):
    """A versioned store of the project register (GeoPackage or PostGIS).

    Every write names its :class:`Author` and the version it was based on
    (``base_version``: the version the staff member saw). The ids a write
    would change, after diffing against the current register, that any
    version after ``base_version`` changed make it fail with
    :class:`StaleBase`, nothing written; a write touching only other projects
    goes through. Writes are all or nothing; a store held by another writer
    past the busy timeout raises :class:`StoreBusy`. Plans, progress and the
    demo flag: :class:`~geodata.store._progress_protocol.ProgressStore`.

    Attributes
    ----------
    url : str
        Normalised location: ``gpkg:/abs/path.gpkg`` or ``postgresql://...``.
    """

    url: str

    def current_version(self) -> int:
        """Return the latest version number (one small query; 0 for a store without any)."""
        ...

    def projects(
        self, *, version: int | None = None, include_unlocated: bool = False
    ) -> gpd.GeoDataFrame:
        """Return the register at a version (default current), sorted by id, EPSG:4326.

        Raises ``KeyError`` for a version that does not exist.
        """
        ...

    def review_queue(self) -> gpd.GeoDataFrame:
        """Return projects awaiting a location or located only to county or city."""
        ...

    def history(self) -> pd.DataFrame:
        """Return every version, newest first, with :data:`HISTORY_COLUMNS`.

        ``restored_from`` names the version a restore brought back or a
        revert undid.
        """
        ...

    def version_changes(self, version: int) -> pd.DataFrame:
        """Return what one version changed (see :func:`change_table`)."""
        ...

    def commit(
        self,
        projects: pd.DataFrame,
        *,
        author: Author,
        base_version: int,
        message: str,
        replace: bool = False,
        action: Action = Action.IMPORT,
    ) -> int:
        """Write projects as a new version, all or nothing; return its number.

        ``replace=False``: rows update projects of the same id and add the
        others; ``replace=True``: the register becomes exactly ``projects``.
        """
        ...

    def set_location(
        self,
        project_id: str,
        *,
        lon: float,
        lat: float,
        crs: CoordSystem | str = ...,
        author: Author,
        base_version: int,
        precision: Precision = Precision.EXACT,
        message: str = "",
    ) -> int:
        """Set one project's point (converted to WGS-84) as a new version.

        Raises ``ValueError`` for a point outside 长治市 and ``KeyError`` for an
        unknown id; warns :class:`OutsideCountyWarning` outside the stated county.
        """
        ...

    def restore(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Make an earlier version's register current again, as a new version.

        Only the register: plans and progress stay as they are (restoring the
        projects of an old version never drops the months reported since).
        """
        ...

    def revert(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Undo exactly one version's register changes, as a new version.

        Removed rows come back, updated rows get their previous values, added
        rows go; refused with :class:`StaleBase` when a later version changed
        one of those projects. Plans and progress stay as they are; a plans or
        progress version cannot be reverted (:class:`StoreError` naming it,
        nothing written): import the corrected rows instead.
        """
        ...

    def export_history(self) -> Iterator[HistoryEntry]:
        """Yield every version, oldest first, read as one consistent snapshot.

        Register, plans and progress versions come interleaved in their shared
        numbering, each with the rows it wrote (:class:`HistoryEntry`).
        """
        ...

    def import_history(self, history: Iterable[HistoryEntry]) -> int:
        """Fill a store without versions from :meth:`export_history`, numbers kept.

        Every version keeps its number, author, time, message and rows. Returns
        the last version; raises :class:`StoreError` on a store that has versions.
        """
        ...

    def backup(self, out: Path) -> None:
        """Write a consistent GeoPackage copy of the whole store (every version) to a new file."""
        ...

    def close(self) -> None:
        """Release the store's connections."""
        ...
