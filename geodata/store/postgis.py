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
from collections.abc import Callable, Iterator

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection

from geodata.coords import CoordSystem
from geodata.i18n import bilingual
from geodata.schema import REGISTER_COLUMNS, Precision, register_frame
from geodata.store import _pgio as pgio
from geodata.store._pgio import LOCK_TIMEOUT_S, display_url, engine_url, make_engine
from geodata.store._pgschema import check_version, create_tables
from geodata.store._points import county_mismatch, located
from geodata.store._progress_pg import PostgisProgressMixin
from geodata.store.base import Action, Author, OutsideCountyWarning, StoreBusy

__all__ = ["PostgisStore", "display_url", "engine_url", "make_engine"]

WRITE_RETRIES = 8
_RETRY_STATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
_COLUMN = {c: i for i, c in enumerate(REGISTER_COLUMNS)}
_COARSE = ("", Precision.COUNTY.value, Precision.CITY.value)
_SYSTEM = Author("system", "系统", "system")


def _check_base(head: pgio.Head, base_version: int) -> None:
    """Refuse a base version the store never had."""
    if not 0 <= int(base_version) <= head.version:
        raise ValueError(
            f"base version {base_version} does not exist (the store is at {head.version})"
        )


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
    row[_COLUMN["lon"]], row[_COLUMN["lat"]] = round(lon, 7), round(lat, 7)
    row[_COLUMN["precision"]] = Precision(precision).value
    return pgio.diff(before, {project_id: tuple(row)}, whole=False), mismatch


def _seed_frame(seed: pd.DataFrame | Callable[[], pd.DataFrame] | None) -> gpd.GeoDataFrame:
    """Return the first register: ``seed`` (a frame or a callable) or the bundled register."""
    if seed is None:
        from geodata.register import load_register

        seed = load_register
    return register_frame(seed() if callable(seed) else seed)


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
        seed: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
        author: Author = _SYSTEM,
    ) -> PostgisStore:
        """Create a store in an existing database, filled from ``seed`` (one transaction).

        Parameters
        ----------
        url : str
            The database (it must exist; PostGIS is created if missing).
        seed : DataFrame or callable, optional
            The first register (default: the bundled register).
        author : Author
            Recorded as the creator of version 1.

        Returns
        -------
        PostgisStore
            The new store, at version 1.

        Raises
        ------
        StoreError
            When the database already holds a store (nothing is changed).
        StoreNotFound
            When the database does not exist.
        """
        frame = _seed_frame(seed)
        engine = make_engine(url)
        try:
            with pgio.translated(display_url(url)), engine.begin() as con:
                create_tables(con)
                pgio.record(
                    con,
                    pgio.Head(0, 0),
                    pgio.diff({}, pgio.frame_rows(frame), whole=True),
                    author=author,
                    action=Action.CREATE,
                    message=bilingual("store_created"),
                )
        finally:
            engine.dispose()
        return cls(url)

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

    def _write(self, work: Callable[[Connection, pgio.Head], int]) -> int:
        """Run ``work`` in one transaction holding the head lock; retry transient failures."""
        for attempt in range(self.retries + 1):
            try:
                with (
                    pgio.translated(self.url, passthrough=_RETRY_STATES),
                    self._engine.begin() as con,
                ):
                    row = con.exec_driver_sql(
                        "SELECT version, n_projects FROM store_head FOR UPDATE"
                    ).one()
                    return work(con, pgio.Head(int(row[0]), int(row[1])))
            except pgio.DRIVER_ERRORS as exc:
                if attempt == self.retries:
                    raise StoreBusy(
                        bilingual("store_db_busy_retried", where=self.url, attempts=attempt + 1)
                    ) from exc
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
            return pgio.fetch(
                con,
                f"SELECT version, {pgio.UTC_TEXT.format('created_at')} AS created_at, who, "
                "who_name, who_source, action, message, n_projects, added, updated, removed, "
                "restored_from FROM versions ORDER BY version DESC",
            )

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
        """Write projects as a new version, all or nothing.

        Parameters
        ----------
        projects : pandas.DataFrame
            Register-shaped rows (e.g. ``import_table(...).projects``).
        author : Author
            Who commits.
        base_version : int
            The version the rows were validated against.
        message : str
            What changed, in the staff member's words.
        replace : bool
            ``False`` (default): rows update the projects with the same id and
            add the others. ``True``: the register becomes exactly ``projects``.
        action : Action
            Kind of change recorded in the history.

        Returns
        -------
        int
            The new version number.

        Raises
        ------
        StaleBase
            When a project the commit would change was changed after
            ``base_version``; nothing is written.
        StoreBusy
            When other writers hold the store longer than the lock timeout.
        """
        incoming = pgio.frame_rows(register_frame(projects))

        def work(con: Connection, head: pgio.Head) -> int:
            _check_base(head, base_version)
            ids = None if replace else list(incoming)
            change = pgio.diff(pgio.current_rows(con, ids), incoming, whole=replace)
            return pgio.record(
                con,
                head,
                change,
                author=author,
                action=action,
                message=message,
                conflict_after=base_version,
            )

        return self._write(work)

    def restore(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Make an earlier version current again (recorded as a new version).

        Raises
        ------
        KeyError
            When ``version`` does not exist.
        StaleBase
            When a project the restore would change was changed after ``base_version``.
        """

        def work(con: Connection, head: pgio.Head) -> int:
            _check_base(head, base_version)
            pgio.require_version(con, version)
            change = pgio.diff(pgio.current_rows(con), pgio.version_rows(con, version), whole=True)
            return pgio.record(
                con,
                head,
                change,
                author=author,
                action=Action.RESTORE,
                message=message or bilingual("store_restored", version=version),
                conflict_after=base_version,
                restored_from=version,
            )

        return self._write(work)

    def revert(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Undo exactly the changes of ``version`` (recorded as a new version).

        Every project ``version`` changed goes back to its row before that
        version (a project it added is removed, one it removed comes back);
        other projects stay. ``restored_from`` records the reverted version.

        Raises
        ------
        KeyError
            When ``version`` does not exist.
        StaleBase
            When a project the revert would change was changed by a later
            version than ``version`` (or than ``base_version``, if older):
            undoing it would also undo that later change. Nothing is written.
        """

        def work(con: Connection, head: pgio.Head) -> int:
            _check_base(head, base_version)
            pgio.require_version(con, version)
            ids, target = pgio.before_version(con, version)
            change = pgio.diff(pgio.current_rows(con, ids), target, whole=True)
            return pgio.record(
                con,
                head,
                change,
                author=author,
                action=Action.REVERT,
                message=message or bilingual("store_reverted", version=version),
                conflict_after=min(int(base_version), int(version)),
                restored_from=version,
            )

        return self._write(work)

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
        """Set one project's point (review queue), reading and writing only its row.

        Parameters
        ----------
        project_id : str
            The project's id.
        lon, lat : float
            The point in ``crs`` (``wgs84``, ``gcj02`` or ``bd09``), stored as WGS-84.
        crs : CoordSystem or str
            Coordinate system of ``lon``/``lat``.
        author : Author
            Who edits.
        base_version : int
            The version the editor saw.
        precision : Precision
            How precise the new point is (default ``exact``).
        message : str
            Optional note (default: names the project and the typed point).

        Returns
        -------
        int
            The new version number.

        Raises
        ------
        KeyError
            When no project has this id.
        ValueError
            When the point is not finite degrees or lies outside 长治市 (named).
        StaleBase
            When the project was changed after ``base_version``.

        Warns
        -----
        OutsideCountyWarning
            When the point lies in another county than the stated one; the point
            is set and the version message records the mismatch.
        """
        system = CoordSystem(crs)
        wlon, wlat, county = located(lon, lat, system)
        note = message or bilingual(
            "store_set_location", project_id=project_id, system=system.value, lon=lon, lat=lat
        )
        mismatches: list[str] = []

        def work(con: Connection, head: pgio.Head) -> int:
            _check_base(head, base_version)
            change, mismatch = _moved(
                con, project_id, point=(wlon, wlat, county), precision=precision
            )
            mismatches[:] = [mismatch]
            return pgio.record(
                con,
                head,
                change,
                author=author,
                action=Action.EDIT,
                message="；".join(filter(None, [note, mismatch])),
                conflict_after=base_version,
            )

        version = self._write(work)
        for mismatch in filter(None, mismatches):
            warnings.warn(f"{project_id}: {mismatch}", OutsideCountyWarning, stacklevel=2)
        return version
