"""Entry points of the plan and progress imports: check a file, commit what changed.

:func:`import_rows` funnels into the same reader as a register import
(file safety, encodings, header search, limits) and then into
:func:`~geodata.ingest.plans.validate_plans` or
:func:`~geodata.ingest.progress_rows.validate_progress`;
:func:`commit_rows` writes the added and changed rows as one store version.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from geodata.ingest import _store
from geodata.ingest._read import read_table
from geodata.ingest._rows import RowsResult
from geodata.ingest._rows_headers import RowKind, header_score
from geodata.ingest.plans import validate_plans
from geodata.ingest.progress_rows import validate_progress
from geodata.store import Author
from geodata.store.base import require_author

if TYPE_CHECKING:
    import pandas as pd


def import_rows(
    data: bytes,
    *,
    filename: str,
    kind: RowKind | str,
    projects: pd.DataFrame,
    stored: pd.DataFrame | _store.ProjectStore | None = None,
    year: int | None = None,
    today: dt.date | None = None,
    base_version: int | None = None,
) -> RowsResult:
    """Check, read and validate a plan or progress file (nothing is written).

    Parameters
    ----------
    data : bytes
        The file's content (``.csv`` or ``.xlsx``).
    filename : str
        Its name.
    kind : RowKind or str
        ``plan`` or ``progress``.
    projects : pandas.DataFrame
        The register rows are matched against (``store.projects(include_unlocated=True)``).
    stored : ProjectStore or pandas.DataFrame, optional
        The store the file is checked against (its plans, or only the
        progress reports the file's rows lead on from, are read: what the
        command line and the app pass), or stored rows as a frame.
    year : int, optional
        The import's ``--year``: plan year of rows without 年度; year of ``9月``.
    today : datetime.date, optional
        The current date (a later report month is refused).
    base_version : int, optional
        The store version ``projects`` and ``stored`` were read at.

    Returns
    -------
    RowsResult

    Raises
    ------
    IngestError
        When the file cannot be read or lacks a required column.
    """
    kind = RowKind(kind)
    table = read_table(data, filename=filename, score=header_score(kind))
    if kind is RowKind.PLAN:
        return validate_plans(
            table, projects=projects, stored=stored, year=year, filename=filename,
            base_version=base_version,
        )  # fmt: skip
    return validate_progress(
        table, projects=projects, stored=stored, year=year, filename=filename, today=today,
        base_version=base_version,
    )  # fmt: skip


def commit_rows(
    result: RowsResult,
    *,
    store: _store.ProjectStore,
    author: Author,
    base_version: int | None = None,
    message: str = "",
) -> int | None:
    """Commit a checked import's added and changed rows as one new store version.

    Parameters
    ----------
    result : RowsResult
        From :func:`import_rows`; ``result.report.committed_version`` is set.
    store : ProjectStore
        The target store.
    author : Author
        Who imports (the caller checked that they are staff).
    base_version : int, optional
        The version the staff member checked against (default: the one the
        result records, else the current one). A row a colleague changed
        since is not overwritten: :class:`geodata.store.StaleBase`.
    message : str
        Note for the history (default names the file and counts).

    Returns
    -------
    int or None
        The new version, or ``None`` when no row adds or changes anything.

    Raises
    ------
    PermissionError
        Without an author.
    """
    require_author(author)
    rep = result.report
    rows = result.changed_rows
    if rows.empty:
        rep.committed_version = None
        return None
    base = _store.base_of(store, given=base_version, checked=result.base_version)
    note = message or rep.history_note()
    rep.committed_version = _store.write_kind_rows(
        result.kind.value, rows, store=store, author=author, base_version=base, message=note
    )
    return rep.committed_version
