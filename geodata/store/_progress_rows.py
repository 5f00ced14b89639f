"""Rules shared by both backends for the plans and progress tables.

Plans are keyed by project and year, progress reports by project and month
(``YYYY-MM`` text in the tables). A write (``commit_plans`` /
``commit_progress``) upserts rows: rows equal to the stored ones in every
data column (provenance aside) change nothing; the others become a new
version in the store's shared ``versions`` table (action ``import``, the
message naming plans or progress), their rows recorded in
``plan_versions`` / ``progress_versions`` so any version can be read. The
lost-update rule is the register's, keyed per row: a write touching a row
that a version after its base changed is refused with
:class:`~geodata.store.base.StaleBase`, nothing written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geodata.i18n import bilingual, by_lang
from geodata.progress.frames import PLAN_COLUMNS, REPORT_COLUMNS, plans_frame, reports_frame
from geodata.store.base import Author, Conflict, StaleBase

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

Key = tuple[str, object]
Row = tuple[object, ...]
Window = tuple[str, str, str, str]
"""A project's months to read: its id, its year's January, its first and last month."""
_PROVENANCE = ("source_file", "source_sheet", "source_row")


@dataclass(frozen=True)
class Table:
    """One of the two tables: its name, history table, key, columns and types.

    Attributes
    ----------
    name, history : str
        Current table and the table of every version's rows.
    key : tuple of str
        ``project_id`` and ``year`` or ``period``.
    columns : tuple of str
        :data:`~geodata.progress.PLAN_COLUMNS` or ``REPORT_COLUMNS``.
    floats, ints, periods : frozenset of str
        Columns stored as ``REAL``, ``INTEGER`` and ``YYYY-MM`` text.
    shape : callable
        :func:`~geodata.progress.plans_frame` or ``reports_frame``.
    """

    name: str
    history: str
    key: tuple[str, str]
    columns: tuple[str, ...]
    floats: frozenset[str]
    ints: frozenset[str]
    periods: frozenset[str]
    shape: Callable[[pd.DataFrame], pd.DataFrame]

    @property
    def cols(self) -> str:
        """The columns as an SQL list."""
        return ", ".join(self.columns)

    def sql_type(self, column: str, *, postgis: bool) -> str:
        """Return a column's SQL type on one backend."""
        if column in self.floats:
            return "double precision" if postgis else "REAL"
        if column in self.ints:
            return "integer NOT NULL" if postgis else "INTEGER NOT NULL"
        return "text NOT NULL DEFAULT ''" if postgis else "TEXT NOT NULL DEFAULT ''"

    def ddl(self, *, postgis: bool) -> tuple[str, ...]:
        """Return the statements creating the current and history tables with their indexes."""
        cols = ", ".join(f"{c} {self.sql_type(c, postgis=postgis)}" for c in self.columns)
        key = ", ".join(self.key)
        version = "version integer NOT NULL" + (" REFERENCES versions" if postgis else "")
        return (
            f"CREATE TABLE {self.name} ({cols}, PRIMARY KEY ({key}))",
            f"CREATE TABLE {self.history} ({version}, {cols}, PRIMARY KEY ({key}, version))",
            f"CREATE INDEX {self.history}_version ON {self.history} (version)",
        )


PLANS = Table(
    name="plans",
    history="plan_versions",
    key=("project_id", "year"),
    columns=PLAN_COLUMNS,
    floats=frozenset({"annual_plan_yi"}),
    ints=frozenset({"year", "source_row"}),
    periods=frozenset({"planned_start", "planned_completion"}),
    shape=plans_frame,
)
PROGRESS = Table(
    name="progress",
    history="progress_versions",
    key=("project_id", "period"),
    columns=REPORT_COLUMNS,
    floats=frozenset({"cumulative_yi", "month_yi"}),
    ints=frozenset({"source_row"}),
    periods=frozenset({"period", "actual_start", "actual_completion", "actual_production"}),
    shape=reports_frame,
)


def _column_values(table: Table, frame: pd.DataFrame, column: str) -> list[object]:
    """Return one column of a shaped frame as plain SQL values."""
    series = frame[column]
    if column in table.periods:
        # NaT is stored as empty text
        return series.dt.strftime("%Y-%m").fillna("").tolist()
    if column in table.floats:
        values = series.to_numpy(dtype=float)
        return [None if math.isnan(v) else float(v) for v in values]
    if column in table.ints:
        return [int(v) for v in series.to_numpy()]
    return series.astype(str).tolist()


def to_rows(table: Table, frame: pd.DataFrame) -> dict[Key, Row]:
    """Return rows of a plans or progress frame as ``{key: row}`` (SQL values, table order).

    Raises
    ------
    ValueError
        When the frame breaks the schema (see :func:`~geodata.progress.plans_frame`)
        or repeats a key.
    """
    shaped = table.shape(frame)
    if not len(shaped):
        return {}
    columns = [_column_values(table, shaped, c) for c in table.columns]
    rows = list(zip(*columns, strict=True))
    out = {(str(r[0]), r[1]): r for r in rows}
    if len(out) != len(rows):
        raise ValueError(f"{table.name}: two rows for one {' and '.join(table.key)}")
    return out


def _select_list(table: Table, prefix: str = "") -> str:
    """Return the columns to select, months as ordinals computed by the database."""
    parts = []
    for col in table.columns:
        name = f"{prefix}{col}"
        if col in table.periods:
            parts.append(
                f"CASE WHEN {name} = '' THEN NULL ELSE (CAST(substr({name}, 1, 4) AS INTEGER)"
                f" - 1970) * 12 + CAST(substr({name}, 6, 2) AS INTEGER) - 1 END"
            )
        else:
            parts.append(name)
    return ", ".join(parts)


def to_frame(table: Table, rows: Iterable[Row]) -> pd.DataFrame:
    """Return rows read with :func:`at_version_query` (months as ordinals) as a shaped frame."""
    frame = pd.DataFrame.from_records(list(rows), columns=list(table.columns))
    missing = np.iinfo(np.int64).min
    for col in table.periods:
        values = pd.to_numeric(frame[col]).to_numpy(dtype=float)
        ordinals = np.where(np.isnan(values), missing, np.nan_to_num(values)).astype(np.int64)
        frame[col] = pd.arrays.PeriodArray(ordinals, dtype="period[M]")
    return table.shape(frame)


def same_row(table: Table, a: Row, b: Row) -> bool:
    """Whether two rows hold the same data (provenance aside; ``None`` equals ``None``)."""
    for col, x, y in zip(table.columns, a, b, strict=True):
        if col in _PROVENANCE:
            continue
        if col in table.floats:
            if (x is None) != (y is None) or (x is not None and float(x) != float(y)):  # type: ignore[arg-type]
                return False
        elif str(x) != str(y):
            return False
    return True


@dataclass(frozen=True)
class RowChange:
    """What a write changes: the new and modified rows, and how many of each."""

    rows: list[Row]
    added: int
    updated: int

    @property
    def keys(self) -> list[Key]:
        """Keys of every row the write changes."""
        return [(str(r[0]), r[1]) for r in self.rows]


def diff(stored: dict[Key, Row], incoming: dict[Key, Row], table: Table) -> RowChange:
    """Compare incoming rows with the stored rows of the same keys."""
    added = [row for key, row in incoming.items() if key not in stored]
    updated = [
        row
        for key, row in incoming.items()
        if key in stored and not same_row(table, stored[key], row)
    ]
    return RowChange(rows=added + updated, added=len(added), updated=len(updated))


def key_label(key: Key) -> str:
    """Return how a conflict names a row: ``CZ25-001 2025`` or ``CZ25-001 2025-09``."""
    return f"{key[0]} {key[1]}"


def conflicts(keys: Iterable[Key], later: pd.DataFrame) -> tuple[Conflict, ...]:
    """Return the later changes to the rows a write would change (by key, then version).

    Parameters
    ----------
    keys : iterable of Key
        The rows the write changes.
    later : pandas.DataFrame
        Row changes of the versions after the base: the two key columns
        (``project_id`` and ``k``), ``version, who, who_name, created_at``.
    """
    wanted = {(str(a), str(b)) for a, b in keys}
    if later.empty or not wanted:
        return ()
    pairs = list(zip(later["project_id"].astype(str), later["k"].astype(str), strict=True))
    hit = later[np.array([p in wanted for p in pairs], dtype=bool)]
    hit = hit.sort_values(["project_id", "k", "version"])
    return tuple(
        Conflict(
            project_id=key_label((row.project_id, row.k)),
            version=int(row.version),
            who=Author(str(row.who), str(row.who_name or "")).label,
            created_at=str(row.created_at),
        )
        for row in hit.itertuples(index=False)
    )


def checked_change(
    table: Table,
    incoming: dict[Key, Row],
    *,
    head: int,
    base_version: int,
    stored: Callable[[list[Key]], dict[Key, Row]],
    later: Callable[[int], pd.DataFrame],
) -> RowChange | None:
    """Return what a write changes after the checks of both backends (``None``: nothing).

    Parameters
    ----------
    table : Table
        Plans or progress.
    incoming : dict
        The rows to write, by key (:func:`to_rows`).
    head : int
        The store's current version (locked by the caller's transaction).
    base_version : int
        The version the writer read.
    stored : callable
        The stored rows of some keys (the backend's query).
    later : callable
        The row changes of the versions after a version (see :func:`conflicts`).

    Raises
    ------
    ValueError
        For a base version the store does not have.
    StaleBase
        When a version after the base changed a row the write changes.
    """
    if not 0 <= int(base_version) <= head:
        raise ValueError(f"base version {base_version} does not exist (the store is at {head})")
    change = diff(stored(list(incoming)), incoming, table)
    if not change.rows:
        return None
    if base_version < head:
        found = conflicts(change.keys, later(int(base_version)))
        if found:
            raise StaleBase(found, base_version=base_version)
    return change


class RowsStore:
    """Plans and progress of a store, over a backend's ``_read`` and ``_commit_rows``."""

    def _read(self, table: Table, version: int | None) -> pd.DataFrame:
        """Return a table's rows, current or at ``version`` (the backend's query)."""
        raise NotImplementedError

    def _commit_rows(
        self, table: Table, frame: pd.DataFrame, *, author: Author, base_version: int, message: str
    ) -> int:
        """Check, then write a plans or progress frame in one transaction (the backend's)."""
        raise NotImplementedError

    def plans(self, *, version: int | None = None) -> pd.DataFrame:
        """Return the plans (``PLAN_COLUMNS``) at a version (default current), by key."""
        return self._read(PLANS, version)

    def _read_leading(self, windows: list[Window]) -> pd.DataFrame:
        """Return the current reports of some months' windows (the backend's query)."""
        raise NotImplementedError

    def progress(
        self, *, version: int | None = None, leading_to: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """Return the progress reports (``REPORT_COLUMNS``) at a version, as reported.

        With ``leading_to`` only the current reports those months' cumulatives
        are completed from, and their own (see :meth:`ProjectStore.progress`).
        """
        if leading_to is None:
            return self._read(PROGRESS, version)
        if version is not None:
            raise ValueError("leading_to reads the current reports only")
        windows = leading_windows(leading_to)
        return self._read_leading(windows) if windows else to_frame(PROGRESS, [])

    def commit_plans(
        self, frame: pd.DataFrame, *, author: Author, base_version: int, message: str
    ) -> int:
        """Upsert plans as a new version (see :meth:`ProjectStore.commit_plans`)."""
        return self._commit_rows(
            PLANS, frame, author=author, base_version=base_version, message=message
        )

    def commit_progress(
        self, frame: pd.DataFrame, *, author: Author, base_version: int, message: str
    ) -> int:
        """Upsert progress reports as a new version (see :meth:`ProjectStore.commit_progress`)."""
        return self._commit_rows(
            PROGRESS, frame, author=author, base_version=base_version, message=message
        )


def version_message(table: Table, change: RowChange, message: str) -> str:
    """Return the history message of a plans or progress version (names which, and counts)."""
    what = by_lang(f"rows_table_{table.name}")
    head = bilingual("rows_version_note", what=what, added=change.added, updated=change.updated)
    return f"{head}；{message}" if message else head


def current_from_history(table: Table, *, postgis: bool) -> str:
    """Return the statement copying one version's rows (its parameter) into the current table.

    A write records its rows in the history table, then this puts them in the
    current table (on SQLite replacing the stored rows of the same keys; on
    PostgreSQL the caller deletes those first), so both always agree.
    """
    verb, marker = ("INSERT", "%s") if postgis else ("INSERT OR REPLACE", "?")
    return (
        f"{verb} INTO {table.name} ({table.cols}) SELECT {table.cols} FROM {table.history} "
        f"WHERE version = {marker}"
    )


def leading_windows(keys: pd.DataFrame) -> list[Window]:
    """Return per project and year of ``keys`` its January and its first and last month.

    ``keys`` has ``project_id`` and ``period`` (``period[M]``); months are
    ``YYYY-MM`` text, as stored.
    """
    if not len(keys):
        return []
    ords = pd.array(keys["period"], dtype="period[M]").asi8
    codes, ids = pd.factorize(keys["project_id"].to_numpy(dtype=object))
    found = (
        pd.DataFrame({"code": codes, "year": ords // 12, "ord": ords})
        .groupby(["code", "year"], sort=False)["ord"]
        .agg(["min", "max"])
        .reset_index()
    )
    months = {*found["min"].tolist(), *found["max"].tolist(), *(found["year"] * 12).tolist()}
    text = {o: f"{1970 + o // 12:04d}-{o % 12 + 1:02d}" for o in months}
    return [
        (str(ids[code]), text[year * 12], text[lo], text[hi])
        for code, year, lo, hi in zip(*(found[c].tolist() for c in found.columns), strict=True)
    ]


def leading_query(wanted: str) -> str:
    """Return the query of the current reports inside windows (``wanted``, aliased ``w``).

    ``wanted`` is the backend's relation of :data:`Window` rows with the
    columns ``project_id, year_start, first_month, last_month``. A window
    runs from the project's last report stating a cumulative before its
    first month (January when there is none) through its last month: what
    :func:`~geodata.progress.fill_cumulative` reads to complete those months,
    and their own stored rows.
    """
    # CROSS JOIN: SQLite reads the windows first (PostgreSQL plans it as a join)
    return (
        f"SELECT {_select_list(PROGRESS, 't.')} FROM {wanted} CROSS JOIN progress AS t "
        "WHERE t.project_id = w.project_id AND t.period <= w.last_month AND t.period >= "
        "coalesce((SELECT max(a.period) FROM progress AS a WHERE a.project_id = w.project_id "
        "AND a.period >= w.year_start AND a.period < w.first_month "
        "AND a.cumulative_yi IS NOT NULL), w.year_start) ORDER BY t.project_id, t.period"
    )


def at_version_query(table: Table, *, version: bool, marker: str) -> str:
    """Return the query of a table's rows by key (current, or at a version given as ``marker``).

    Months come out as ordinals (months since January 1970, ``NULL`` when not
    stated), for :func:`to_frame`.
    """
    key = ", ".join(table.key)
    if not version:
        return f"SELECT {_select_list(table)} FROM {table.name} ORDER BY {key}"
    return (
        f"SELECT {_select_list(table)} FROM (SELECT {table.cols}, row_number() OVER "
        f"(PARTITION BY {key} ORDER BY version DESC) AS rn FROM {table.history} "
        f"WHERE version <= {marker}) AS latest WHERE rn = 1 ORDER BY {key}"
    )
