"""Plans and progress across versions: copying their history, and what a revert may do.

Both backends use these (the SQL is the same on SQLite and PostgreSQL).

Copying. :meth:`~geodata.store.base.ProjectStore.export_history` reads every
row of ``plan_versions`` and ``progress_versions`` as stored (SQL values in
table column order: months as ``YYYY-MM`` text, amounts as floats or
``NULL``) in the same snapshot as the register's versions, and gives each
:class:`~geodata.store.base.HistoryEntry` the rows its version wrote. The
importing store writes them under the same version number, so numbers,
authors, times, messages and the rows of every version are the same on both
sides, and rebuilds the current ``plans`` and ``progress`` tables from the
history at the end (the latest row of every key, as the writes left them).

Reverting. The history tables record rows as written, without tombstones,
so the undo of a plans or progress version (its added rows gone) cannot be
recorded; such a revert is refused (:func:`refuse_revert`) and the staff
member imports the corrected rows instead, which the per-row lost-update rule
checks. A restore or revert of a register version leaves plans and progress
alone.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from geodata.i18n import bilingual, by_lang
from geodata.store._progress_rows import PLANS, PROGRESS, Row, Table
from geodata.store.base import HistoryEntry, StoreError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import pandas as pd

TABLES: tuple[Table, ...] = (PLANS, PROGRESS)
RowsByVersion = dict[str, dict[int, tuple[Row, ...]]]
"""Every history row of plans and progress: by table name, then version."""


def export_rows(fetch: Callable[[str], Iterable[Row]]) -> RowsByVersion:
    """Read the plans and progress history through a backend's ``fetch(sql)``, by version."""
    out: RowsByVersion = {}
    for table in TABLES:
        grouped: dict[int, list[Row]] = defaultdict(list)
        rows = fetch(
            f"SELECT version, {table.cols} FROM {table.history} "
            f"ORDER BY version, {', '.join(table.key)}"
        )
        for row in rows:
            grouped[int(row[0])].append(tuple(row[1:]))  # type: ignore[call-overload]
        out[table.name] = {version: tuple(found) for version, found in grouped.items()}
    return out


def entry_of(
    entry: dict[str, object], changes: pd.DataFrame, rows: RowsByVersion | None
) -> HistoryEntry:
    """Return a version's :class:`HistoryEntry` with the plans and progress rows it wrote."""
    version = int(entry["version"])  # type: ignore[call-overload]
    found = rows or {}
    return HistoryEntry(
        entry,
        changes,
        plans=found.get(PLANS.name, {}).get(version, ()),
        progress=found.get(PROGRESS.name, {}).get(version, ()),
    )


def history_rows(entry: HistoryEntry, version: int) -> list[tuple[Table, list[Row]]]:
    """Return the history rows a version writes, per table (``version`` first in each row)."""
    pairs = ((PLANS, entry.plans), (PROGRESS, entry.progress))
    return [(table, [(version, *row) for row in rows]) for table, rows in pairs if rows]


def insert_sql(table: Table, *, marker: str) -> str:
    """Return the insert of one history row (``marker``: ``?`` or ``%s``)."""
    marks = ", ".join([marker] * (len(table.columns) + 1))
    return f"INSERT INTO {table.history} (version, {table.cols}) VALUES ({marks})"


def rebuild_current() -> tuple[str, ...]:
    """Return the statements setting ``plans`` and ``progress`` to their latest history rows."""
    statements: list[str] = []
    for table in TABLES:
        key = ", ".join(table.key)
        statements += [
            f"DELETE FROM {table.name}",
            f"INSERT INTO {table.name} ({table.cols}) SELECT {table.cols} FROM "
            f"(SELECT {table.cols}, row_number() OVER (PARTITION BY {key} ORDER BY version "
            f"DESC) AS rn FROM {table.history}) AS latest WHERE rn = 1",
        ]
    return tuple(statements)


def written_tables_sql(*, marker: str) -> str:
    """Return the query naming the tables (``plans``, ``progress``) a version wrote rows to.

    Takes the version twice (``marker``: ``?`` or ``%s``).
    """
    return " UNION ALL ".join(
        f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.history} WHERE version = {marker})"
        for t in TABLES
    )


def refuse_revert(version: int, tables: Iterable[object]) -> None:
    """Refuse the revert of a plans or progress version (``tables``: what it wrote).

    Raises
    ------
    StoreError
        Naming the version and what it imported; nothing is written.
    """
    names = [str(name) for name in tables]
    if not names:
        return
    what = by_lang(f"rows_table_{names[0]}")
    raise StoreError(bilingual("store_revert_rows", version=version, what=what))
