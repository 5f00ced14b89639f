"""The embedded project store: a versioned GeoPackage on local disk.

The store is one GeoPackage (SQLite) file, readable by QGIS, GDAL and
pyogrio, holding

``projects``
    The current register: one point feature per project (geometry ``geom``,
    GeoPackage binary; ``NULL`` for a project awaiting a location) with the
    register columns.
``versions``
    One row per change: version number, when (UTC), who, what kind of change
    (``create``, ``import``, ``edit``, ``restore``, ``revert``), the staff
    member's message and counts.
``project_versions``
    What each version changed: one row per project added or modified in that
    version, and a ``deleted`` row per project removed. The register as it
    stood at version *v* is, for every id, its latest row at or before *v*
    (unless that row is a deletion), so any version can be read, restored or
    reverted while a one-point edit stores one row, not a copy of the register.
``plans``, ``progress`` (with ``plan_versions``, ``progress_versions``)
    Annual plans and monthly progress reports, versioned in the same
    ``versions`` table (:mod:`geodata.store._progress_gpkg`).
``store_meta``
    The layout's schema version (:mod:`geodata.store.migrations`) and
    ``demo`` = ``1`` for a demonstration store.

Every write happens inside one SQLite transaction (``BEGIN IMMEDIATE`` with a
busy timeout): the lost-update check, the current table, the version row and
its changes happen together or not at all. A process killed mid-write leaves
SQLite's rollback journal, which the next reader rolls back, so the previous
version is intact. A store locked by another program raises
:class:`~geodata.store.base.StoreBusy`; nothing is written. A new store is
written to a temporary file and moved into place with ``os.replace`` under a
lock, so a half-created store never exists.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.coords import CoordSystem
from geodata.i18n import bilingual
from geodata.schema import Precision, register_frame
from geodata.settings import STORE_BUSY_TIMEOUT_S
from geodata.store import _gpkg_sql as sql
from geodata.store._gpkg_codec import GPKG_APPLICATION_ID
from geodata.store._gpkg_schema import create_tables, migrate, read_schema
from geodata.store._locate import county_mismatch, locate, location_note
from geodata.store._progress_gpkg import GpkgProgressMixin
from geodata.store._rows_history import (
    export_rows,
    history_rows,
    insert_sql,
    rebuild_current,
    refuse_revert,
    written_tables_sql,
)
from geodata.store._shared import history_entries, plain_values, restore_note, revert_note
from geodata.store.base import (
    Action,
    Author,
    HistoryEntry,
    OutsideCountyWarning,
    StaleBase,
    StoreBusy,
    StoreError,
    StoreExists,
    StoreNotFound,
    change_table,
    check_base,
    diff_rows,
    merge_incoming,
    require_author,
    review_rows,
    stale_conflicts,
)
from geodata.store.migrations import SCHEMA_VERSION, check_schema, parse_schema


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """Return whether an SQLite error means another program holds the store."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<store>.lock`` while a store file is created."""
    with path.with_name(path.name + ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class GpkgStore(GpkgProgressMixin):
    """A versioned GeoPackage store of the project register (see :class:`ProjectStore`).

    Parameters
    ----------
    path : Path or str
        An existing ``.gpkg`` store (:meth:`create` makes a new one).
    busy_timeout : float
        Seconds to wait for another writer before raising :class:`StoreBusy`.

    Raises
    ------
    StoreNotFound
        When there is no file at ``path``.
    SchemaMismatch
        When the file's layout is of another schema version.
    StoreError
        When the file is not a project store.
    """

    def __init__(self, path: Path | str, *, busy_timeout: float = STORE_BUSY_TIMEOUT_S) -> None:
        self.path = Path(path).expanduser().resolve()
        self.url = f"gpkg:{self.path}"
        self.busy_timeout = busy_timeout
        if not self.path.is_file():
            raise StoreNotFound(str(self.path))
        self._check()

    # set-up

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        seed: pd.DataFrame | None = None,
        history: Iterable[HistoryEntry] | None = None,
        busy_timeout: float = STORE_BUSY_TIMEOUT_S,
    ) -> GpkgStore:
        """Write a new store and move it into place; never overwrites.

        Parameters
        ----------
        path : Path or str
            Where the store goes (folders are created).
        seed : pandas.DataFrame, optional
            The register of version 1 (``create``).
        history : iterable, optional
            Versions from :meth:`export_history` of another store, copied with
            their numbers (instead of ``seed``).

        Raises
        ------
        StoreExists
            When a file is already at ``path``.
        """
        target = Path(path).expanduser().resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(target):
            if target.exists():
                raise StoreExists(str(target))
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            tmp = Path(name)
            try:
                con = sqlite3.connect(tmp, isolation_level=None)
                try:
                    create_tables(con)
                finally:
                    con.close()
                store = cls(tmp, busy_timeout=busy_timeout)
                if history is not None:
                    store.import_history(history)
                elif seed is not None:
                    store._seed(register_frame(seed))
                umask = os.umask(0)
                os.umask(umask)
                tmp.chmod(0o666 & ~umask)
                tmp.replace(target)
            finally:
                tmp.unlink(missing_ok=True)
        return cls(target, busy_timeout=busy_timeout)

    def _seed(self, frame: gpd.GeoDataFrame) -> None:
        """Write the first version (``create``) from a register."""
        change = diff_rows(frame.iloc[:0], frame)
        with self._transaction() as con:
            sql.write_changes(
                con,
                change,
                author=Author("system", "system", "system"),
                action=Action.CREATE,
                message=bilingual("store_created"),
            )

    @classmethod
    def upgrade(cls, path: Path | str) -> tuple[int | str, int]:
        """Apply the pending migrations to a store; return its schema before and after.

        Raises
        ------
        StoreNotFound
            When there is no file at ``path``.
        SchemaMismatch
            When the store is newer than this code.
        """
        target = Path(path).expanduser().resolve()
        if not target.is_file():
            raise StoreNotFound(str(target))
        con = sqlite3.connect(target, timeout=STORE_BUSY_TIMEOUT_S, isolation_level=None)
        try:
            _, found = read_schema(con)
            before = parse_schema(found)
            return before, migrate(con, found=before, where=str(target))
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy(str(target)) from exc
            raise StoreError(f"{target} is not a project store: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{target} is not a project store: {exc}") from exc
        finally:
            con.close()

    def _check(self) -> None:
        """Refuse a file that is not a project store of this schema version."""
        try:
            with self._connect() as con:
                app_id, found = read_schema(con)
        except StoreBusy:
            # held by another program: every later call reports busy by itself
            return
        except (StoreError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"{self.path} is not a project store: {exc}") from exc
        if app_id != GPKG_APPLICATION_ID:
            raise StoreError(f"{self.path} is not a GeoPackage project store")
        check_schema(parse_schema(found), where=str(self.path))

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """Open a connection, turning SQLite errors into StoreBusy or StoreError."""
        try:
            con = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        try:
            yield con
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy(self.path.name) from exc
            raise StoreError(f"store {self.path.name}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {self.path.name}: {exc}") from exc
        finally:
            con.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own connection."""

    # reading

    def current_version(self) -> int:
        """Return the latest version number (0 for a store without versions)."""
        with self._connect() as con:
            return int(con.execute("SELECT coalesce(max(fid), 0) FROM versions").fetchone()[0])

    def projects(
        self, *, version: int | None = None, include_unlocated: bool = False
    ) -> gpd.GeoDataFrame:
        """Return the register at a version (see :meth:`ProjectStore.projects`)."""
        with self._connect() as con:
            if version is None:
                gdf = sql.current_rows(con)
            else:
                sql.check_version(con, version)
                gdf = sql.rows_at(con, version)
        if not include_unlocated:
            gdf = gdf[~gdf.geometry.isna()].reset_index(drop=True)
        return gdf

    def review_queue(self) -> gpd.GeoDataFrame:
        """Return projects awaiting a location or located only to county or city."""
        return review_rows(self.projects(include_unlocated=True))

    def history(self) -> pd.DataFrame:
        """Return every version, newest first (see :data:`HISTORY_COLUMNS`)."""
        with self._connect() as con:
            return sql.history(con)

    def version_changes(self, version: int) -> pd.DataFrame:
        """Return what one version changed (see :func:`change_table`)."""
        with self._connect() as con:
            sql.check_version(con, version)
            kinds, written = sql.version_rows(con, version)
            before = sql.rows_at(con, version - 1, changed_in=version)
        return change_table(kinds, before, written)

    # writing

    @staticmethod
    def _refuse_stale(con: sqlite3.Connection, ids: Iterable[str], *, since: int) -> None:
        """Raise StaleBase when a version after ``since`` changed one of ``ids``."""
        current = int(con.execute("SELECT coalesce(max(fid), 0) FROM versions").fetchone()[0])
        check_base(since, current)
        if since == current:
            return
        conflicts = stale_conflicts(ids, sql.later_changes(con, since))
        if conflicts:
            raise StaleBase(conflicts, base_version=since)

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
        """Write projects as a new version (see :meth:`ProjectStore.commit`)."""
        who = require_author(author)
        with self._transaction() as con:
            current = sql.current_rows(con)
            change = diff_rows(current, merge_incoming(current, projects, replace=replace))
            self._refuse_stale(con, change.ids, since=base_version)
            return sql.write_changes(con, change, author=who, action=action, message=message)

    def set_location(
        self,
        project_id: str,
        *,
        lon: float,
        lat: float,
        crs: CoordSystem | str = CoordSystem.WGS84,
        author: Author,
        base_version: int,
        precision: Precision = Precision.EXACT,
        message: str = "",
    ) -> int:
        """Set one project's point (see :meth:`ProjectStore.set_location`); reads one row."""
        who = require_author(author)
        wlon, wlat, found = locate(lon, lat, crs)
        with self._transaction() as con:
            row = sql.current_rows(con, project_id)
            if row.empty:
                raise KeyError(f"no project {project_id!r} in the store")
            mismatch = county_mismatch(str(row["county_adcode"].iloc[0]), found)
            edited = row.drop(columns="geometry").assign(
                lon=wlon, lat=wlat, precision=Precision(precision).value
            )
            change = diff_rows(row, register_frame(edited))
            self._refuse_stale(con, change.ids, since=base_version)
            note = location_note(
                project_id, lon=lon, lat=lat, crs=crs, message=message, mismatch=mismatch
            )
            version = sql.write_changes(con, change, author=who, action=Action.EDIT, message=note)
        if mismatch:
            warnings.warn(f"{project_id}: {mismatch}", OutsideCountyWarning, stacklevel=2)
        return version

    def restore(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Make an earlier version's register current again; plans and progress stay as they are.

        See :meth:`ProjectStore.restore`.
        """
        who = require_author(author)
        with self._transaction() as con:
            sql.check_version(con, version)
            change = diff_rows(sql.current_rows(con), sql.rows_at(con, version))
            self._refuse_stale(con, change.ids, since=base_version)
            return sql.write_changes(
                con,
                change,
                author=who,
                action=Action.RESTORE,
                message=message or restore_note(version),
                restored_from=version,
            )

    def revert(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Undo exactly one version's register changes (see :meth:`ProjectStore.revert`).

        Plans and progress stay as they are; a plans or progress version is
        refused with :class:`StoreError`.
        """
        who = require_author(author)
        with self._transaction() as con:
            sql.check_version(con, version)
            wrote = con.execute(written_tables_sql(marker="?"), (version, version)).fetchall()
            refuse_revert(version, [row[0] for row in wrote])
            kinds, _ = sql.version_rows(con, version)
            ids = kinds["id"].tolist()
            # a later change to one of these projects, or one the writer has not seen, refuses
            self._refuse_stale(con, ids, since=min(version, base_version))
            current = sql.current_rows(con)
            before = sql.rows_at(con, version - 1, changed_in=version)
            change = diff_rows(current[current["id"].isin(ids)], before)
            return sql.write_changes(
                con,
                change,
                author=who,
                action=Action.REVERT,
                message=message or revert_note(version, change.ids),
                restored_from=version,
            )

    # moving and keeping data

    def export_history(self) -> Iterator[HistoryEntry]:
        """Yield every version, oldest first, read as one snapshot."""
        with self._connect() as con:
            con.execute("BEGIN")
            versions = sql.history(con, newest_first=False)
            changes = sql.read_frame(
                con, "SELECT * FROM project_versions ORDER BY version, fid"
            ).drop(columns="fid")
            rows = export_rows(lambda query: con.execute(query).fetchall())
            con.execute("COMMIT")
        yield from history_entries(versions, changes, rows)

    def import_history(self, history: Iterable[HistoryEntry]) -> int:
        """Fill this store, which has no versions, from another store's history."""
        last = 0
        with self._transaction() as con:
            if con.execute("SELECT count(*) FROM versions").fetchone()[0]:
                raise StoreError(f"{self.path} already has versions; copy into a new store")
            for version in history:
                changes = version.changes
                deleted = changes["deleted"].astype(bool).to_numpy()
                rows = register_frame(changes[~deleted])
                removed = changes.loc[deleted, "id"].astype(str).tolist()
                last = sql.record_version(con, plain_values(version.entry))
                sql.apply_current(con, rows, removed)
                sql.record_changes(con, last, rows, removed)
                for table, written in history_rows(version, last):
                    con.executemany(insert_sql(table, marker="?"), written)
            for statement in rebuild_current():
                con.execute(statement)
            sql.touch_contents(con)
        return last

    def backup(self, out: Path) -> None:
        """Write a consistent copy to a new file with SQLite's backup API (writers may go on)."""
        target = Path(out).expanduser().resolve()
        if target.exists():
            raise StoreExists(str(target))
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            with self._connect() as con:
                dst = sqlite3.connect(tmp)
                try:
                    con.backup(dst)
                finally:
                    dst.close()
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)

    def __repr__(self) -> str:
        """Name the store by its URL."""
        return f"GpkgStore({self.url!r}, schema {SCHEMA_VERSION})"
