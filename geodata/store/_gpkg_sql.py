"""Reads and writes of the GeoPackage store's tables through an open connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from geodata.schema import REGISTER_COLUMNS, register_frame
from geodata.settings import WGS84
from geodata.store._gpkg_codec import decode_geometries, sql_rows
from geodata.store._gpkg_schema import COLS
from geodata.store.base import Action, Author, ChangeSet

_MARKS = ", ".join("?" * len(REGISTER_COLUMNS))
_VERSION_FIELDS = (
    "created_at", "who", "who_name", "who_source", "action", "message", "n_projects",
    "added", "updated", "removed", "restored_from",
)  # fmt: skip
_VERSION_COLUMNS = ", ".join(("fid", *_VERSION_FIELDS))


def now() -> str:
    """Return the current UTC time as an ISO-8601 text with microseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def read_frame(con: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    """Run a query and return its rows as a plain frame."""
    cur = con.execute(sql, tuple(params))
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def read_rows(con: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> gpd.GeoDataFrame:
    """Run a query and return its rows in register shape (geometry decoded)."""
    frame = read_frame(con, sql, params)
    if "geom" in frame:
        geoms = decode_geometries(frame.pop("geom").tolist())
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)
    return register_frame(frame)


def current_rows(con: sqlite3.Connection, project_id: str | None = None) -> gpd.GeoDataFrame:
    """Return the current register (or one project's row), sorted by id."""
    if project_id is None:
        return read_rows(con, f"SELECT geom, {COLS} FROM projects ORDER BY id")
    return read_rows(con, f"SELECT geom, {COLS} FROM projects WHERE id = ?", (project_id,))


def check_version(con: sqlite3.Connection, version: int) -> None:
    """Raise KeyError unless ``version`` exists in the store."""
    if con.execute("SELECT 1 FROM versions WHERE fid = ?", (version,)).fetchone() is None:
        raise KeyError(f"no version {version} in the store")


def rows_at(
    con: sqlite3.Connection, version: int, *, changed_in: int | None = None
) -> gpd.GeoDataFrame:
    """Rebuild the register as it stood at ``version`` (only ids changed in ``changed_in``)."""
    only = "AND pv.id IN (SELECT id FROM project_versions WHERE version = ?)" if changed_in else ""
    params = (version, changed_in) if changed_in else (version,)
    return read_rows(
        con,
        f"SELECT {COLS} FROM project_versions AS pv WHERE pv.deleted = 0 AND pv.version = "
        "(SELECT max(p2.version) FROM project_versions AS p2 "
        f"WHERE p2.id = pv.id AND p2.version <= ?) {only} ORDER BY pv.id",
        params,
    )


def version_rows(con: sqlite3.Connection, version: int) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Return one version's change rows (``id``, ``deleted``) and the rows it wrote."""
    kinds = read_frame(
        con, "SELECT id, deleted FROM project_versions WHERE version = ? ORDER BY id", (version,)
    )
    written = read_rows(
        con,
        f"SELECT {COLS} FROM project_versions WHERE version = ? AND deleted = 0 ORDER BY id",
        (version,),
    )
    return kinds, written


def later_changes(con: sqlite3.Connection, since: int) -> pd.DataFrame:
    """Return every project change of the versions after ``since``, with who and when."""
    return read_frame(
        con,
        "SELECT pv.id, pv.version, v.who, v.who_name, v.created_at FROM project_versions AS pv "
        "JOIN versions AS v ON v.fid = pv.version WHERE pv.version > ?",
        (since,),
    )


def history(con: sqlite3.Connection, *, newest_first: bool = True) -> pd.DataFrame:
    """Return the versions table with ``version`` for ``fid``."""
    order = "DESC" if newest_first else "ASC"
    frame = read_frame(con, f"SELECT {_VERSION_COLUMNS} FROM versions ORDER BY fid {order}")
    return frame.rename(columns={"fid": "version"})


def apply_current(con: sqlite3.Connection, rows: pd.DataFrame, removed: Sequence[str]) -> None:
    """Replace the current rows of changed ids and delete removed ones."""
    gone = [(i,) for i in (*rows["id"], *removed)]
    con.executemany("DELETE FROM projects WHERE id = ?", gone)
    con.executemany(
        f"INSERT INTO projects (geom, {COLS}) VALUES (?, {_MARKS})", sql_rows(rows, geom=True)
    )


def record_changes(
    con: sqlite3.Connection, version: int, rows: pd.DataFrame, removed: Sequence[str]
) -> None:
    """Record a version's changes: new or modified rows, and tombstones for removed ids."""
    con.executemany(
        f"INSERT INTO project_versions (version, deleted, {COLS}) VALUES ({version}, 0, {_MARKS})",
        sql_rows(rows, geom=False),
    )
    con.executemany(
        f"INSERT INTO project_versions (version, deleted, id) VALUES ({version}, 1, ?)",
        [(i,) for i in removed],
    )


def record_version(con: sqlite3.Connection, entry: dict[str, object]) -> int:
    """Insert a history row (``version`` kept when given) and return its number."""
    fid = entry.get("version")
    values = [None if fid is None else int(fid), *(entry.get(c) for c in _VERSION_FIELDS)]
    marks = ", ".join("?" * len(values))
    cur = con.execute(f"INSERT INTO versions ({_VERSION_COLUMNS}) VALUES ({marks})", values)
    return int(cur.lastrowid)


def touch_contents(con: sqlite3.Connection) -> None:
    """Update the GeoPackage extent and change times after a write."""
    con.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'), "
        "min_x = (SELECT min(lon) FROM projects WHERE lat IS NOT NULL), "
        "min_y = (SELECT min(lat) FROM projects WHERE lon IS NOT NULL), "
        "max_x = (SELECT max(lon) FROM projects WHERE lat IS NOT NULL), "
        "max_y = (SELECT max(lat) FROM projects WHERE lon IS NOT NULL) "
        "WHERE table_name = 'projects'"
    )
    con.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
        "WHERE table_name IN ('versions', 'project_versions')"
    )


def write_changes(
    con: sqlite3.Connection,
    change: ChangeSet,
    *,
    author: Author,
    action: Action,
    message: str,
    restored_from: int | None = None,
) -> int:
    """Apply a change set to the current register and record it as a new version."""
    apply_current(con, change.rows, change.removed)
    n_projects = int(con.execute("SELECT count(*) FROM projects").fetchone()[0])
    version = record_version(
        con,
        {
            "created_at": now(),
            "who": author.username,
            "who_name": author.display_name,
            "who_source": author.source,
            "action": Action(action).value,
            "message": message,
            "n_projects": n_projects,
            "added": len(change.added),
            "updated": len(change.updated),
            "removed": len(change.removed),
            "restored_from": restored_from,
        },
    )
    record_changes(con, version, change.rows, change.removed)
    touch_contents(con)
    return version
