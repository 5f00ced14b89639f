"""The PostgreSQL/PostGIS project store: many staff and several app servers on one database.

Same semantics as the GeoPackage store (versions with who/when/what, history,
restore, revert, review edits), tables as described in
:mod:`geodata.store._pgschema`. Access goes through SQLAlchemy 2 with the
psycopg 3 driver.

Writes. Every write is one transaction that first locks the single
``store_head`` row (``SELECT … FOR UPDATE``): writers queue on that lock, so
each one diffs against the register as the previous writer left it and no
update is lost. Under the lock the write checks the lost-update rule (see
:mod:`geodata.store.base`) and raises :class:`StaleBase` before writing
anything. Serialization failures and deadlocks (which the single lock should
not produce, but a DBA's trigger or a manual session might) are retried
inside, a bounded number of times with jitter. A writer that dies mid-write
leaves an uncommitted transaction that the server rolls back, so the previous
version stays whole.

The write path compares row tuples (:func:`geodata.store._pgio.diff`), not
frames, so a one-point edit reads, compares and writes one row without
building a frame; the rules (base version, lost update and its message, the
checks of a review point, default messages) are the shared ones of
:mod:`geodata.store.base` and :mod:`geodata.store._locate`.

Reads. The register is read with one ``COPY … TO STDOUT`` in CSV parsed by
pandas' C parser (250,000 projects in well under 3 s); a one-point edit reads
and writes only that project's row.

Failures. A server that cannot be reached raises :class:`StoreError` with
"数据库无法连接 … (database unreachable)" naming the URL without its password;
the connection pool checks connections before use (``pool_pre_ping``), so the
store works again as soon as the server is back.
"""

from __future__ import annotations

import contextlib
import random
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection

from geodata.coords import CoordSystem
from geodata.i18n import bilingual
from geodata.schema import REGISTER_COLUMNS, Precision, register_frame
from geodata.store import _pgio as pgio
from geodata.store._locate import county_mismatch, locate, location_note
from geodata.store._pgio import LOCK_TIMEOUT_S, display_url, engine_url, make_engine
from geodata.store._pgschema import check_version, create_tables, upgrade
from geodata.store._progress_pg import PostgisProgressMixin
from geodata.store._rows_history import export_rows, refuse_revert, written_tables_sql
from geodata.store._shared import history_entries, restore_note, revert_note
from geodata.store.base import (
    SYSTEM_AUTHOR,
    Action,
    Author,
    HistoryEntry,
    OutsideCountyWarning,
    StoreBusy,
    StoreError,
    StoreNotFound,
    check_base,
    require_author,
)

__all__ = ["PostgisStore", "display_url", "engine_url", "make_engine"]

WRITE_RETRIES = 8
_RETRY_STATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
_COLUMN = {c: i for i, c in enumerate(REGISTER_COLUMNS)}
_COARSE = ("", Precision.COUNTY.value, Precision.CITY.value)
_CREATED = bilingual("store_created")
Seed = pd.DataFrame | Callable[[], pd.DataFrame] | None


def _moved(
    con: Connection, project_id: str, *, point: tuple[float, float, str], precision: Precision
) -> tuple[pgio.Change, str]:
    """Return the change moving one project to ``point`` (lon, lat, county) and a county note."""
    before = pgio.current_rows(con, [project_id])
    if not before:
        raise KeyError(f"no project {project_id!r} in the store")
    lon, lat, county = point
    row = list(before[project_id])
    mismatch = county_mismatch(str(row[_COLUMN["county_adcode"]]), county)
    row[_COLUMN["lon"]], row[_COLUMN["lat"]] = lon, lat
    row[_COLUMN["precision"]] = Precision(precision).value
    return pgio.diff(before, {project_id: tuple(row)}, whole=False), mismatch


def _seed_frame(seed: Seed) -> gpd.GeoDataFrame:
    """Return the first register: ``seed`` (a frame or a callable) or the bundled register."""
    if seed is None:
        from geodata.register import load_register

        seed = load_register
    return register_frame(seed() if callable(seed) else seed)


def _create_database(url: str) -> None:
    """Create the database a URL names (for ``init``), connecting to the ``postgres`` one."""
    target = engine_url(url)
    engine = make_engine(target.set(database="postgres"))
    try:
        with pgio.translated(display_url(target)), engine.connect() as con:
            con = con.execution_options(isolation_level="AUTOCOMMIT")
            name = str(target.database).replace('"', '""')
            con.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()


class PostgisStore(PostgisProgressMixin):
    """A versioned PostGIS store of the project register.

    Parameters
    ----------
    url : str
        ``postgresql://user[:password]@host:port/db`` of a database holding a store.
    lock_timeout : float
        Seconds a write waits for other writers before raising :class:`StoreBusy`.
    retries : int
        Retries of a write after a serialization failure or deadlock.

    Attributes
    ----------
    url : str
        The URL as shown to people (password hidden).

    Raises
    ------
    StoreNotFound
        When the database does not exist or holds no store.
    SchemaMismatch
        When the store has another schema version (both are named).
    StoreError
        When the server cannot be reached.

    Examples
    --------
    >>> store = PostgisStore("postgresql://app@db.example/changzhi")  # doctest: +SKIP
    >>> base = store.current_version()  # doctest: +SKIP
    >>> store.commit(rows, author=author, base_version=base, message="2025")  # doctest: +SKIP
    """

    def __init__(
        self, url: str, *, lock_timeout: float = LOCK_TIMEOUT_S, retries: int = WRITE_RETRIES
    ) -> None:
        self._engine_url = engine_url(url)
        self.url = display_url(self._engine_url)
        self.lock_timeout = lock_timeout
        self.retries = retries
        self._engine = make_engine(self._engine_url, lock_timeout=lock_timeout)
        try:
            with self._connect() as con:
                check_version(con, where=self.url)
        except BaseException:
            self._engine.dispose()
            raise

    @classmethod
    def create(
        cls,
        url: str,
        *,
        seed: Seed = None,
        history: Iterable[HistoryEntry] | None = None,
        author: Author = SYSTEM_AUTHOR,
    ) -> PostgisStore:
        """Create a store (and its database when missing) in one transaction.

        Parameters
        ----------
        url : str
            The database; created when missing (the user needs ``CREATEDB``);
            PostGIS is created if missing.
        seed : DataFrame or callable, optional
            The first register (default: the bundled register).
        history : iterable, optional
            Instead of a seed: every version of another store
            (:meth:`export_history`), copied with its numbers.
        author : Author
            Recorded as the creator of version 1 (with ``seed``).

        Returns
        -------
        PostgisStore

        Raises
        ------
        StoreExists
            When the database already holds a store (nothing is changed).
        """
        where = display_url(url)
        first = None if history is not None else _seed_frame(seed)
        engine = make_engine(url)
        try:
            with pgio.translated(where), engine.connect():
                pass
        except StoreNotFound:
            _create_database(url)
        try:
            with pgio.translated(where), engine.begin() as con:
                create_tables(con, where=where)
                if history is not None:
                    pgio.import_versions(con, history)
                else:
                    change = pgio.diff({}, pgio.frame_rows(first), whole=True)
                    pgio.record(
                        con,
                        pgio.Head(0, 0),
                        change,
                        author=author,
                        action=Action.CREATE,
                        message=_CREATED,
                    )
        finally:
            engine.dispose()
        return cls(url)

    @classmethod
    def upgrade(cls, url: str) -> tuple[int | str, int]:
        """Apply a store's pending migrations; return its schema version before and after."""
        engine = make_engine(url)
        try:
            with pgio.translated(display_url(url)):
                return upgrade(engine, where=display_url(url))
        finally:
            engine.dispose()

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"PostgisStore({self.url!r})"

    # connections

    @contextlib.contextmanager
    def _connect(self) -> Iterator[Connection]:
        """Open a read connection, turning driver errors into store errors."""
        with pgio.translated(self.url), self._engine.connect() as con:
            yield con

    def _write(self, work: Callable[[Connection, pgio.Head], int], *, base_version: int) -> int:
        """Run ``work`` in one transaction holding the head lock; retry transient failures.

        ``base_version`` is checked first (it must exist).
        """
        for attempt in range(self.retries + 1):
            try:
                with (
                    pgio.translated(self.url, passthrough=_RETRY_STATES),
                    self._engine.begin() as con,
                ):
                    row = con.exec_driver_sql(
                        "SELECT version, n_projects FROM store_head FOR UPDATE"
                    ).one()
                    head = pgio.Head(int(row[0]), int(row[1]))
                    check_base(base_version, head.version)
                    return work(con, head)
            except pgio.DRIVER_ERRORS as exc:
                if attempt == self.retries:
                    raise StoreBusy(self.url) from exc
                time.sleep(random.uniform(0.0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    # reading

    def current_version(self) -> int:
        """Return the number of the latest version (reads one row)."""
        with self._connect() as con:
            return int(con.exec_driver_sql("SELECT version FROM store_head").scalar_one())

    def projects(
        self, *, version: int | None = None, include_unlocated: bool = False
    ) -> gpd.GeoDataFrame:
        """Return the register (register shape, EPSG:4326, sorted by id).

        Parameters
        ----------
        version : int, optional
            A past version (default: the current one).
        include_unlocated : bool
            Also return projects awaiting a location (``geometry`` is ``None``).

        Raises
        ------
        KeyError
            When ``version`` does not exist.
        """
        with self._connect() as con:
            if version is None:
                gdf = pgio.current_frame(con)
            else:
                pgio.require_version(con, version)
                gdf = pgio.version_frame(con, version)
        if not include_unlocated:
            gdf = gdf[~gdf.geometry.isna()].reset_index(drop=True)
        return gdf

    def review_queue(self) -> gpd.GeoDataFrame:
        """Projects awaiting a location or located only to county or city (unlocated first)."""
        coarse = ", ".join(f"'{p}'" for p in _COARSE)
        with self._connect() as con:
            return pgio.copy_out(
                con,
                f"SELECT {pgio.COLS} FROM projects WHERE geom IS NULL OR precision IN ({coarse}) "
                "ORDER BY geom IS NOT NULL, id",
            )

    def history(self) -> pd.DataFrame:
        """Return every version, newest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``version, created_at, who, who_name, who_source, action,
            message, n_projects, added, updated, removed, restored_from``
            (``created_at``: UTC, ISO-8601 text).
        """
        with self._connect() as con:
            return pgio.history(con)

    def version_changes(self, version: int) -> pd.DataFrame:
        """Return one row per project ``version`` changed, with its values before and after.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``change`` (``added``, ``updated`` or ``removed``), then
            ``before_<column>`` and ``after_<column>`` for every register column
            but ``id`` (empty on the side where the project did not exist), by id.

        Raises
        ------
        KeyError
            When ``version`` does not exist.
        """
        with self._connect() as con:
            pgio.require_version(con, version)
            return pgio.changes(con, version)

    # writing

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
        """Write projects as a new version, all or nothing (see :meth:`ProjectStore.commit`).

        Reads only the rows of the incoming ids (the whole register with ``replace``).

        Raises
        ------
        StaleBase
            When a project the commit would change was changed after
            ``base_version``; nothing is written.
        StoreBusy
            When other writers hold the store longer than the lock timeout.
        """
        who = require_author(author)
        incoming = pgio.frame_rows(register_frame(projects))

        def work(con: Connection, head: pgio.Head) -> int:
            ids = None if replace else list(incoming)
            change = pgio.diff(pgio.current_rows(con, ids), incoming, whole=replace)
            return pgio.record(
                con, head, change, author=who, action=action, message=message,
                conflict_after=base_version,
            )  # fmt: skip

        return self._write(work, base_version=base_version)

    def restore(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Make an earlier version's register current again; plans and progress stay as they are."""
        who = require_author(author)

        def work(con: Connection, head: pgio.Head) -> int:
            pgio.require_version(con, version)
            change = pgio.diff(pgio.current_rows(con), pgio.version_rows(con, version), whole=True)
            return pgio.record(
                con, head, change, author=who, action=Action.RESTORE,
                message=message or restore_note(version), conflict_after=base_version,
                restored_from=version,
            )  # fmt: skip

        return self._write(work, base_version=base_version)

    def revert(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Undo exactly the register changes of ``version`` (see :meth:`ProjectStore.revert`).

        Refused with :class:`StaleBase` when a version after ``version`` (or
        after ``base_version``, if older) changed one of those projects, and
        with :class:`StoreError` for a plans or progress version; plans and
        progress stay as they are.
        """
        who = require_author(author)

        def work(con: Connection, head: pgio.Head) -> int:
            pgio.require_version(con, version)
            wrote = con.exec_driver_sql(written_tables_sql(marker="%s"), (version, version))
            refuse_revert(version, wrote.scalars())
            ids, target = pgio.before_version(con, version)
            change = pgio.diff(pgio.current_rows(con, ids), target, whole=True)
            return pgio.record(
                con, head, change, author=who, action=Action.REVERT,
                message=message or revert_note(version, change.ids),
                conflict_after=min(int(base_version), int(version)), restored_from=version,
            )  # fmt: skip

        return self._write(work, base_version=base_version)

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
        """Set one project's point (see :meth:`ProjectStore.set_location`); reads only its row."""
        who = require_author(author)
        wlon, wlat, county = locate(lon, lat, crs)
        mismatches: list[str] = []

        def work(con: Connection, head: pgio.Head) -> int:
            point = (wlon, wlat, county)
            change, mismatch = _moved(con, project_id, point=point, precision=precision)
            mismatches[:] = [mismatch]
            note = location_note(
                project_id, lon=lon, lat=lat, crs=crs, message=message, mismatch=mismatch
            )
            return pgio.record(
                con, head, change, author=who, action=Action.EDIT, message=note,
                conflict_after=base_version,
            )  # fmt: skip

        version = self._write(work, base_version=base_version)
        for mismatch in filter(None, mismatches):
            warnings.warn(f"{project_id}: {mismatch}", OutsideCountyWarning, stacklevel=2)
        return version

    # moving and keeping data

    def export_history(self) -> Iterator[HistoryEntry]:
        """Yield every version, oldest first, read as one snapshot (``REPEATABLE READ``)."""
        with self._connect() as con:
            con = con.execution_options(isolation_level="REPEATABLE READ")
            with con.begin():
                versions = pgio.history(con, newest_first=False)
                changes = pgio.all_changes(con)
                rows = export_rows(lambda query: con.exec_driver_sql(query).all())
        yield from history_entries(versions, changes, rows)

    def import_history(self, history: Iterable[HistoryEntry]) -> int:
        """Fill this store, which has no versions, from another store's history."""

        def work(con: Connection, head: pgio.Head) -> int:
            if head.version:
                raise StoreError(f"{self.url} already has versions; copy into a new store")
            return pgio.import_versions(con, history)

        return self._write(work, base_version=0)

    def backup(self, out: Path) -> None:
        """Write a consistent GeoPackage copy (one snapshot; writers may go on) to a new file."""
        from geodata.store._open import backup_via_history

        backup_via_history(self, Path(out))
