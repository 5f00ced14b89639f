"""Plans and monthly progress in the PostGIS store (mixed into :class:`PostgisStore`).

Tables ``plans``/``plan_versions`` and ``progress``/``progress_versions``
(migration 2, :mod:`geodata.store._pgschema`); the rules are in
:mod:`geodata.store._progress_rows`. A write runs inside the store's
head-locked transaction (``PostgisStore._write``), so writers queue and the
lost-update check sees every committed version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geodata.store import _pgio as pgio
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
    from collections.abc import Callable, Iterable

    import pandas as pd
    import psycopg
    from sqlalchemy import Connection, Engine


# the planner cannot size key lists joined to the tables, overestimates by far and
# would compile the statements (a quarter of a second each) for a few ms of work
_NO_JIT = "SET LOCAL jit = off"


def _array(values: Iterable[object]) -> str:
    """Return an array literal of values, every element quoted (``%s::text[]``).

    Much faster than letting the driver adapt a long list element by element.
    """
    texts = list(map(str, values))
    if not texts:
        return "{}"
    joined = "".join(texts)
    if '"' in joined or "\\" in joined:
        texts = [t.replace("\\", "\\\\").replace('"', '\\"') for t in texts]
    return '{"' + '","'.join(texts) + '"}'


def _key_arrays(table: Table, keys: list[Key]) -> tuple[str, tuple[str, str]]:
    """Return ``unnest`` SQL of a key list and its two arrays."""
    second = "integer" if table.key[1] in table.ints else "text"
    sql = f"SELECT * FROM unnest(%s::text[], %s::{second}[])"
    return sql, (_array(k[0] for k in keys), _array(k[1] for k in keys))


def _current(cur: psycopg.Cursor, table: Table, keys: list[Key]) -> dict[Key, Row]:
    """Return the stored rows of ``keys`` as ``{key: row}``."""
    unnest, arrays = _key_arrays(table, keys)
    cur.execute(
        f"SELECT {table.cols} FROM {table.name} WHERE ({', '.join(table.key)}) IN ({unnest})",
        arrays,
    )
    return {(str(r[0]), r[1]): tuple(r) for r in cur.fetchall()}


def _copy(cur: psycopg.Cursor, table: str, columns: str, rows: list[Row]) -> None:
    """Insert rows with ``COPY``."""
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _later(con: Connection, table: Table, since: int) -> pd.DataFrame:
    """Return the row changes of the versions after ``since``, with who and when."""
    return pgio.fetch(
        con,
        f"SELECT h.project_id, h.{table.key[1]}::text AS k, h.version, v.who, v.who_name, "
        f"{pgio.UTC_TEXT.format('v.created_at')} AS created_at FROM {table.history} AS h "
        "JOIN versions AS v ON v.version = h.version WHERE h.version > %s",
        (since,),
    )


def write_rows(
    con: Connection,
    head: pgio.Head,
    table: Table,
    incoming: dict[Key, Row],
    *,
    author: Author,
    base_version: int,
    message: str,
) -> int:
    """Write changed rows as version ``head.version + 1`` (the head row is locked); return it.

    Returns the current version, writing nothing, when no row changes.
    """
    driver: psycopg.Connection = con.connection.driver_connection
    with driver.cursor() as cur:
        cur.execute(_NO_JIT)
        change = checked_change(
            table, incoming, head=head.version, base_version=base_version,
            stored=lambda keys: _current(cur, table, keys),
            later=lambda since: _later(con, table, since),
        )  # fmt: skip
        if change is None:
            return head.version
        version = head.version + 1
        cur.execute(
            "INSERT INTO versions (version, who, who_name, who_source, action, message, "
            "n_projects, added, updated, removed) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, 0, 0)",
            (version, author.username, author.display_name, str(author.source),
             Action.IMPORT.value, version_message(table, change, message), head.n_projects),
        )  # fmt: skip
        cur.execute("UPDATE store_head SET version = %s", (version,))
        # only updated rows have a stored row to replace (added rows come first)
        updated = change.keys[change.added :]
        if updated:
            unnest, arrays = _key_arrays(table, updated)
            cur.execute(
                f"DELETE FROM {table.name} WHERE ({', '.join(table.key)}) IN ({unnest})", arrays
            )
        _copy(cur, table.history, f"version, {table.cols}", [(version, *r) for r in change.rows])
        cur.execute(current_from_history(table, postgis=True), (version,))
    return version


class PostgisProgressMixin(RowsStore):
    """Plans, progress and the demo flag of a PostGIS store (see :class:`ProjectStore`)."""

    if TYPE_CHECKING:
        url: str
        _engine: Engine

        def _connect(self) -> contextlib.AbstractContextManager[Connection]: ...

        def _write(self, work: Callable[[Connection, pgio.Head], int]) -> int: ...

    def _read(self, table: Table, version: int | None) -> pd.DataFrame:
        """Return a table's rows, current or at ``version``."""
        with self._connect() as con:
            if version is not None:
                pgio.require_version(con, version)
            query = at_version_query(table, version=version is not None, marker="%s")
            params = () if version is None else (int(version),)
            with con.connection.driver_connection.cursor() as cur:
                cur.execute(query, params)
                return to_frame(table, cur.fetchall())

    def _read_leading(self, windows: list[Window]) -> pd.DataFrame:
        """Return the current reports of some months' windows (the windows as arrays)."""
        wanted = (
            "unnest(%s::text[], %s::text[], %s::text[], %s::text[]) "
            "AS w(project_id, year_start, first_month, last_month)"
        )
        arrays = tuple(_array(column) for column in zip(*windows, strict=True))
        with self._connect() as con, con.connection.driver_connection.cursor() as cur:
            cur.execute(_NO_JIT)
            cur.execute(leading_query(wanted), arrays)
            return to_frame(PROGRESS, cur.fetchall())

    def _commit_rows(
        self, table: Table, frame: pd.DataFrame, *, author: Author, base_version: int, message: str
    ) -> int:
        """Check, then write a plans or progress frame in one head-locked transaction."""
        who = require_author(author)
        incoming = to_rows(table, frame)

        def work(con: Connection, head: pgio.Head) -> int:
            return write_rows(
                con, head, table, incoming, author=who, base_version=base_version, message=message
            )

        return self._write(work, base_version=base_version)

    @property
    def is_demo(self) -> bool:
        """Whether the store is marked as demonstration data (``store_meta`` ``demo`` = 1)."""
        with self._connect() as con:
            found = pgio.fetch(con, "SELECT value FROM store_meta WHERE key = 'demo'")
        return bool(len(found)) and found["value"].iloc[0] == "1"

    def mark_demo(self) -> None:
        """Mark the store as demonstration data (the app shows a 演示数据 banner)."""
        with pgio.translated(self.url), self._engine.begin() as con:
            con.exec_driver_sql(
                "INSERT INTO store_meta (key, value) VALUES ('demo', '1') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
