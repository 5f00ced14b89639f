"""Reading and writing rows of the PostGIS store (plumbing of :mod:`geodata.store.postgis`).

Functions here take an open SQLAlchemy connection inside the caller's
transaction and use its psycopg cursor directly: ``COPY`` for bulk rows, one
query per read. Driver errors become store errors in :func:`translated`.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from sqlalchemy import Connection, Engine, create_engine, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from geodata.i18n import bilingual
from geodata.schema import FLOAT_COLUMNS, REGISTER_COLUMNS, register_frame
from geodata.settings import WGS84
from geodata.store._rows_history import history_rows, rebuild_current
from geodata.store._shared import plain_values
from geodata.store.base import (
    Action,
    Author,
    HistoryEntry,
    StaleBase,
    StoreBusy,
    StoreError,
    StoreNotFound,
    change_table,
    stale_conflicts,
)

_BUSY_STATES = frozenset({"55P03", "57014"})  # lock not available, statement cancelled
_GONE_STATES = frozenset({"57P01", "57P02", "57P03"})  # server shutting down or starting
COLS = ", ".join(REGISTER_COLUMNS)
LOCK_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 5
COPY_ABOVE = 500  # rows from which inserts use COPY instead of a pipelined executemany
_TEXT_COLUMNS = tuple(c for c in REGISTER_COLUMNS if c not in FLOAT_COLUMNS)
# pandas 3 parses floats exactly by default; pandas 2 needs asking
_EXACT_FLOATS = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
UTC_TEXT = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


# a register row: REGISTER_COLUMNS values in order, None for a missing number
Row = tuple[object, ...]


class Head(NamedTuple):
    """The locked head row: current version and project count."""

    version: int
    n_projects: int


class Change(NamedTuple):
    """What a write changes: new or modified rows (added first), how many modified, removed ids."""

    rows: list[Row]
    updated: int
    removed: list[str]

    @property
    def ids(self) -> list[str]:
        """Every id the write touches."""
        return [*(str(r[0]) for r in self.rows), *self.removed]


def engine_url(url: str) -> URL:
    """Return the SQLAlchemy URL (psycopg 3 driver) of a ``postgresql://`` store URL."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
    return parsed.set(drivername="postgresql+psycopg")


def display_url(url: str | URL) -> str:
    """Return a store URL as shown to people: ``postgresql://user:***@host:port/db``."""
    parsed = engine_url(url) if isinstance(url, str) else url
    return parsed.set(drivername="postgresql").render_as_string(hide_password=True)


def make_engine(url: str | URL, *, lock_timeout: float = LOCK_TIMEOUT_S) -> Engine:
    """Return a pooled SQLAlchemy engine for a store URL (for ``init_schema`` and ``upgrade``).

    Connections are checked before use (``pool_pre_ping``), so the engine
    recovers by itself when the server comes back after a restart.
    """
    return create_engine(
        engine_url(url) if isinstance(url, str) else url,
        pool_pre_ping=True,
        pool_size=4,
        max_overflow=4,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "changzhi",
            # a writer waits this long for the head lock, then reports busy
            "options": f"-c lock_timeout={int(lock_timeout * 1000)}",
        },
    )


# errors of the driver, raw (from the psycopg cursors used here) or wrapped by SQLAlchemy
DRIVER_ERRORS: tuple[type[Exception], ...] = (DBAPIError, psycopg.Error)


def _driver_error(exc: Exception) -> Exception:
    """Return the psycopg error behind a raw or SQLAlchemy-wrapped driver error."""
    return exc.orig if isinstance(exc, DBAPIError) else exc


def sqlstate(exc: Exception) -> str | None:
    """Return the SQLSTATE of a driver error (``None`` for connection-level failures)."""
    return getattr(_driver_error(exc), "sqlstate", None)


def store_error(exc: Exception, where: str) -> StoreError:
    """Turn a driver error into the store error a person can act on."""
    state = sqlstate(exc)
    text = str(_driver_error(exc))
    if state in _BUSY_STATES:
        return StoreBusy(where)
    if state == "3D000" or (state is None and "does not exist" in text):
        return StoreNotFound(where, hint=bilingual("store_init_hint"))
    if state is None or state.startswith("08") or state in _GONE_STATES:
        return StoreError(bilingual("store_unreachable", where=where))
    return StoreError(f"{where}: {text}")


@contextlib.contextmanager
def translated(where: str, *, passthrough: frozenset[str] = frozenset()) -> Iterator[None]:
    """Turn driver errors raised in the block into store errors (except ``passthrough`` states)."""
    try:
        yield
    except DRIVER_ERRORS as exc:
        if sqlstate(exc) in passthrough:
            raise
        raise store_error(exc, where) from exc


def frame_rows(frame: pd.DataFrame) -> dict[str, Row]:
    """Return register-shaped rows as ``{id: row}`` (``None`` for missing numbers)."""
    columns = []
    for col in REGISTER_COLUMNS:
        values = frame[col].tolist()
        if col in FLOAT_COLUMNS:
            values = [None if (v is None or math.isnan(v)) else float(v) for v in values]
        columns.append(values)
    return {str(r[0]): r for r in zip(*columns, strict=True)} if len(frame) else {}


def diff(before: dict[str, Row], after: dict[str, Row], *, whole: bool) -> Change:
    """Compare rows by id: added and modified rows of ``after``, and removed ids.

    ``whole``: ``after`` is the entire new register, so ids of ``before``
    missing from it are removed; otherwise they are left alone.
    """
    added = [row for key, row in after.items() if key not in before]
    modified = [row for key, row in after.items() if key in before and before[key] != row]
    removed = [key for key in before if key not in after] if whole else []
    return Change(rows=added + modified, updated=len(modified), removed=removed)


def _read_csv(data: bytes, *, extra: dict[str, type] | None = None) -> pd.DataFrame:
    """Parse ``COPY … TO STDOUT`` CSV into register columns (text kept, numbers exact)."""
    return pd.read_csv(
        io.BytesIO(data),
        dtype={c: str for c in _TEXT_COLUMNS} | {c: float for c in FLOAT_COLUMNS} | (extra or {}),
        keep_default_na=False,
        na_values={c: [""] for c in FLOAT_COLUMNS},
        **_EXACT_FLOATS,
    )


def copy_out(con: Connection, query: str) -> gpd.GeoDataFrame:
    """Run a query of register columns through ``COPY … TO STDOUT`` and return register rows.

    ``query`` is a literal statement (no parameters: ``COPY`` takes none); its
    row order is kept.
    """
    buf = io.BytesIO()
    with (
        con.connection.cursor() as cur,
        cur.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy,
    ):
        for block in copy:
            buf.write(block)
    return _located_frame(_read_csv(buf.getvalue()))


def _located_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Add point geometry to typed register columns (the shape ``register_frame`` returns)."""
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)
    located = ~(np.isnan(lon) | np.isnan(lat))
    points = np.full(len(frame), None, dtype=object)
    points[located] = shapely.points(lon[located], lat[located])
    return gpd.GeoDataFrame(
        frame[list(REGISTER_COLUMNS)], geometry=gpd.GeoSeries(points, crs=WGS84), crs=WGS84
    )


def fetch(con: Connection, sql: str, params: tuple[object, ...] = ()) -> pd.DataFrame:
    """Run a query and return its rows as a frame (column names from the query)."""
    with con.connection.cursor() as cur:
        cur.execute(sql, params)
        names = [d.name for d in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=names)


def current_frame(con: Connection) -> gpd.GeoDataFrame:
    """Return the current register (register shape, by id) in one ``COPY``."""
    return copy_out(con, f"SELECT {COLS} FROM projects ORDER BY id")


def _version_query(version: int) -> str:
    """Return the query of the register at ``version`` (latest row per id, deletions dropped)."""
    return (
        f"SELECT {COLS} FROM (SELECT DISTINCT ON (id) * FROM project_versions "
        f"WHERE version <= {int(version)} ORDER BY id, version DESC) AS p "
        "WHERE NOT p.deleted ORDER BY id"
    )


def version_frame(con: Connection, version: int) -> gpd.GeoDataFrame:
    """Return the register as it stood at ``version`` (register shape, by id)."""
    return copy_out(con, _version_query(version))


def _rows(con: Connection, sql: str, params: tuple[object, ...] = ()) -> dict[str, Row]:
    """Run a query of register columns and return ``{id: row}``."""
    with con.connection.cursor() as cur:
        cur.execute(sql, params)
        return {str(r[0]): tuple(r) for r in cur.fetchall()}


def current_rows(con: Connection, ids: list[str] | None = None) -> dict[str, Row]:
    """Return the current rows of ``ids`` (default: every row) as ``{id: row}``."""
    if ids is None:
        return _rows(con, f"SELECT {COLS} FROM projects")
    return _rows(con, f"SELECT {COLS} FROM projects WHERE id = ANY(%s)", (ids,))


def version_rows(con: Connection, version: int) -> dict[str, Row]:
    """Return the rows of the register at ``version`` as ``{id: row}``."""
    return _rows(con, _version_query(version))


def before_version(con: Connection, version: int) -> tuple[list[str], dict[str, Row]]:
    """Return the ids ``version`` changed and the rows they had just before it (if any)."""
    ids = fetch(con, "SELECT id FROM project_versions WHERE version = %s", (int(version),))
    wanted = ids["id"].tolist()
    rows = _rows(
        con,
        f"SELECT {COLS} FROM (SELECT DISTINCT ON (id) * FROM project_versions "
        "WHERE id = ANY(%s) AND version < %s ORDER BY id, version DESC) AS p WHERE NOT p.deleted",
        (wanted, int(version)),
    )
    return wanted, rows


def require_version(con: Connection, version: int) -> None:
    """Raise KeyError unless ``version`` exists in the store."""
    found = fetch(con, "SELECT 1 AS one FROM versions WHERE version = %s", (int(version),))
    if found.empty:
        raise KeyError(f"no version {version} in the store")


def later_changes(con: Connection, ids: list[str], *, after: int) -> pd.DataFrame:
    """Return the changes to ``ids`` made by versions newer than ``after``, with who and when."""
    return fetch(
        con,
        "SELECT pv.id, pv.version, v.who, v.who_name, "
        f"{UTC_TEXT.format('v.created_at')} AS created_at FROM project_versions AS pv "
        "JOIN versions AS v ON v.version = pv.version WHERE pv.id = ANY(%s) AND pv.version > %s",
        (ids, int(after)),
    )


def _insert(cur: psycopg.Cursor, table: str, columns: str, rows: list[Row]) -> None:
    """Insert rows: ``COPY`` for many, one pipelined ``executemany`` for a few."""
    if not rows:
        return
    if len(rows) >= COPY_ABOVE:
        with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def record(
    con: Connection,
    head: Head,
    change: Change,
    *,
    author: Author,
    action: Action,
    message: str,
    conflict_after: int | None = None,
    restored_from: int | None = None,
) -> int:
    """Apply a change to the current register and record it as version ``head.version + 1``.

    Raises
    ------
    StaleBase
        When ``conflict_after`` is given and a newer version changed one of the
        ids; nothing is written.
    """
    if conflict_after is not None and conflict_after < head.version and change.ids:
        found = stale_conflicts(change.ids, later_changes(con, change.ids, after=conflict_after))
        if found:
            raise StaleBase(found, base_version=conflict_after)
    version = head.version + 1
    added = len(change.rows) - change.updated
    n_projects = head.n_projects + added - len(change.removed)
    entry = {
        "version": version,
        "who": author.username,
        "who_name": author.display_name,
        "who_source": str(author.source),
        "action": Action(action).value,
        "message": message,
        "n_projects": n_projects,
        "added": added,
        "updated": change.updated,
        "removed": len(change.removed),
        "restored_from": restored_from,
    }
    write_version(con, entry, change.rows, change.removed, head=Head(version, n_projects))
    return version


def write_version(
    con: Connection,
    entry: dict[str, object],
    rows: list[Row],
    removed: list[str],
    *,
    head: Head | None = None,
) -> None:
    """Record one version (its history row, as given) and apply its rows to the register.

    ``head``: the new ``store_head`` (version, count), written in the same round trip.
    """
    names = ", ".join(entry)
    marks = ", ".join(["%s"] * len(entry))
    ids = [*(str(r[0]) for r in rows), *removed]
    version = entry["version"]
    driver: psycopg.Connection = con.connection.driver_connection
    # small writes go to the server in one pipelined round trip
    pipeline = driver.pipeline() if len(rows) < COPY_ABOVE else contextlib.nullcontext()
    with pipeline, driver.cursor() as cur:
        cur.execute(f"INSERT INTO versions ({names}) VALUES ({marks})", tuple(entry.values()))
        if ids:
            cur.execute("DELETE FROM projects WHERE id = ANY(%s)", (ids,))
        if head is not None:
            cur.execute("UPDATE store_head SET version = %s, n_projects = %s", tuple(head))
        _insert(cur, "projects", COLS, rows)
        history = [(version, False, *r) for r in rows]
        _insert(cur, "project_versions", f"version, deleted, {COLS}", history)
        gone: list[Row] = [(version, True, i) for i in removed]
        _insert(cur, "project_versions", "version, deleted, id", gone)


def history(con: Connection, *, newest_first: bool = True) -> pd.DataFrame:
    """Return the versions table (:data:`~geodata.store.base.HISTORY_COLUMNS`, UTC text times)."""
    order = "DESC" if newest_first else "ASC"
    return fetch(
        con,
        f"SELECT version, {UTC_TEXT.format('created_at')} AS created_at, who, who_name, "
        "who_source, action, message, n_projects, added, updated, removed, restored_from "
        f"FROM versions ORDER BY version {order}",
    )


def all_changes(con: Connection) -> pd.DataFrame:
    """Return every row of ``project_versions`` (``version``, ``deleted``, register columns)."""
    buf = io.BytesIO()
    query = f"SELECT version, deleted, {COLS} FROM project_versions ORDER BY version, id"
    with (
        con.connection.cursor() as cur,
        cur.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy,
    ):
        for block in copy:
            buf.write(block)
    frame = _read_csv(buf.getvalue(), extra={"version": int, "deleted": str})
    frame["deleted"] = frame["deleted"].eq("t")
    return frame


def changes(con: Connection, version: int) -> pd.DataFrame:
    """Return what ``version`` changed, one row per project (see :func:`change_table`)."""
    kinds = fetch(
        con, "SELECT id, deleted FROM project_versions WHERE version = %s", (int(version),)
    )
    if kinds.empty:
        kinds = pd.DataFrame({"id": pd.Series(dtype=str), "deleted": pd.Series(dtype=bool)})
    v = int(version)
    before = copy_out(
        con,
        f"SELECT {COLS} FROM (SELECT DISTINCT ON (id) * FROM project_versions WHERE id IN "
        f"(SELECT id FROM project_versions WHERE version = {v}) AND version < {v} "
        "ORDER BY id, version DESC) AS p WHERE NOT p.deleted ORDER BY id",
    )
    after = copy_out(
        con,
        f"SELECT {COLS} FROM project_versions WHERE version = {v} AND NOT deleted ORDER BY id",
    )
    return change_table(kinds, before, after)


def import_versions(con: Connection, history: Iterable[HistoryEntry]) -> int:
    """Write another store's versions (numbers kept) into an empty store; return the last.

    Register changes, plans and progress rows of every version
    (:class:`~geodata.store.base.HistoryEntry`); the current plans and
    progress are rebuilt from their history at the end.
    """
    last = 0
    driver: psycopg.Connection = con.connection.driver_connection
    with driver.cursor() as cur:
        for version in history:
            deleted = version.changes["deleted"].astype(bool).to_numpy()
            rows = frame_rows(register_frame(version.changes[~deleted]))
            removed = version.changes.loc[deleted, "id"].astype(str).tolist()
            values = plain_values(version.entry)
            last = int(values["version"])  # type: ignore[arg-type]
            write_version(con, values, list(rows.values()), removed)
            for table, written in history_rows(version, last):
                _insert(cur, table.history, f"version, {table.cols}", written)
        for statement in rebuild_current():
            cur.execute(statement)
    con.exec_driver_sql(
        "UPDATE store_head SET version = %s, n_projects = (SELECT count(*) FROM projects)",
        (last,),
    )
    return last
