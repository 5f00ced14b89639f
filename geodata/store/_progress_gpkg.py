"""Plans and monthly progress in the GeoPackage store (mixed into :class:`GpkgStore`).

Tables ``plans``/``plan_versions`` and ``progress``/``progress_versions``
(schema 3, :mod:`geodata.store.migrations`); the rules are in
:mod:`geodata.store._progress_rows`. Each write is one SQLite transaction,
like every other write of the store.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from geodata.store import _gpkg_sql as sql
from geodata.store._progress_rows import (
    PROGRESS,
    Key,
    Row,
    RowsStore,
    Table,
    Window,
    at_version_query,
    checked_change,
    current_from_history,
    leading_query,
    to_frame,
    to_rows,
    version_message,
)
from geodata.store.base import Action, Author, require_author

if TYPE_CHECKING:
    import contextlib

    import pandas as pd


def _current(con: sqlite3.Connection, table: Table, keys: list[Key]) -> dict[Key, Row]:
    """Return the stored rows of ``keys`` (through a temporary table of the keys)."""
    key = ", ".join(table.key)
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS wanted_{table.name} ({key})")
    con.execute(f"DELETE FROM wanted_{table.name}")
    con.executemany(f"INSERT INTO wanted_{table.name} VALUES (?, ?)", keys)
    on = " AND ".join(f"t.{k} = w.{k}" for k in table.key)
    cols = ", ".join(f"t.{c}" for c in table.columns)
    rows = con.execute(
        f"SELECT {cols} FROM wanted_{table.name} AS w JOIN {table.name} AS t ON {on}"
    ).fetchall()
    return {(str(r[0]), r[1]): tuple(r) for r in rows}


def _later(con: sqlite3.Connection, table: Table, since: int) -> pd.DataFrame:
    """Return the row changes of the versions after ``since``, with who and when."""
    return sql.read_frame(
        con,
        f"SELECT h.project_id, h.{table.key[1]} AS k, h.version, v.who, v.who_name, "
        f"v.created_at FROM {table.history} AS h JOIN versions AS v ON v.fid = h.version "
        "WHERE h.version > ?",
        (since,),
    )


def write_rows(
    con: sqlite3.Connection,
    table: Table,
    incoming: dict[Key, Row],
    *,
    author: Author,
    base_version: int,
    message: str,
) -> int:
    """Write changed rows as a new version inside the caller's transaction; return it.

    Returns the current version, writing nothing, when no row changes.
    """
    current = int(con.execute("SELECT coalesce(max(fid), 0) FROM versions").fetchone()[0])
    change = checked_change(
        table, incoming, head=current, base_version=base_version,
        stored=lambda keys: _current(con, table, keys),
        later=lambda since: _later(con, table, since),
    )  # fmt: skip
    if change is None:
        return current
    n_projects = int(con.execute("SELECT count(*) FROM projects").fetchone()[0])
    version = sql.record_version(
        con,
        {
            "created_at": sql.now(),
            "who": author.username,
            "who_name": author.display_name,
            "who_source": author.source,
            "action": Action.IMPORT.value,
            "message": version_message(table, change, message),
            "n_projects": n_projects,
            "added": 0,
            "updated": 0,
            "removed": 0,
            "restored_from": None,
        },
    )
    marks = ", ".join("?" * len(table.columns))
    con.executemany(
        f"INSERT INTO {table.history} (version, {table.cols}) VALUES ({version}, {marks})",
        change.rows,
    )
    con.execute(current_from_history(table, postgis=False), (version,))
    return version


class GpkgProgressMixin(RowsStore):
    """Plans, progress and the demo flag of a GeoPackage store (see :class:`ProjectStore`)."""

    if TYPE_CHECKING:

        def _connect(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

        def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def _read(self, table: Table, version: int | None) -> pd.DataFrame:
        """Return a table's rows, current or at ``version``."""
        with self._connect() as con:
            if version is not None:
                sql.check_version(con, version)
            query = at_version_query(table, version=version is not None, marker="?")
            params = () if version is None else (int(version),)
            return to_frame(table, con.execute(query, params).fetchall())

    def _read_leading(self, windows: list[Window]) -> pd.DataFrame:
        """Return the current reports of some months' windows (through a temporary table)."""
        with self._connect() as con:
            con.execute("BEGIN")
            con.execute(
                "CREATE TEMP TABLE leading_windows "
                "(project_id, year_start, first_month, last_month)"
            )
            con.executemany("INSERT INTO leading_windows VALUES (?, ?, ?, ?)", windows)
            rows = con.execute(leading_query("leading_windows AS w")).fetchall()
            con.execute("ROLLBACK")
        return to_frame(PROGRESS, rows)

    def _commit_rows(
        self, table: Table, frame: pd.DataFrame, *, author: Author, base_version: int, message: str
    ) -> int:
        """Check, then write a plans or progress frame in one transaction."""
        who = require_author(author)
        incoming = to_rows(table, frame)
        with self._transaction() as con:
            return write_rows(
                con, table, incoming, author=who, base_version=base_version, message=message
            )

    @property
    def is_demo(self) -> bool:
        """Whether the store is marked as demonstration data (``store_meta`` ``demo`` = 1)."""
        with self._connect() as con:
            row = con.execute("SELECT value FROM store_meta WHERE key = 'demo'").fetchone()
        return bool(row) and row[0] == "1"

    def mark_demo(self) -> None:
        """Mark the store as demonstration data (the app shows a 演示数据 banner)."""
        with self._transaction() as con:
            con.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('demo', '1')")
