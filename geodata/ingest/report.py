"""What happened to every row: statuses, the report (JSON, rejected-rows XLSX) and the result."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell

from geodata.coords import CoordSystem
from geodata.i18n import Lang, bilingual, t
from geodata.ingest._text import number_text

if TYPE_CHECKING:
    from geodata.ingest._incoming import Incoming


class RowStatus(StrEnum):
    """Where a spreadsheet row ended up."""

    ACCEPTED = "accepted"
    WARNINGS = "accepted_with_warnings"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"


def rejected_table(
    table: pd.DataFrame, rejected: np.ndarray, rows: np.ndarray, reasons: list[str]
) -> pd.DataFrame:
    """Return the rejected rows of a sheet as read, with their row numbers and reasons.

    Parameters
    ----------
    table : pandas.DataFrame
        The sheet as read.
    rejected : numpy.ndarray
        Which rows were rejected (bool, one per row of ``table``).
    rows : numpy.ndarray
        The rows' numbers as the user sees them.
    reasons : list of str
        One reason per rejected row.
    """
    out = table[rejected].copy()
    out.insert(0, bilingual("ingest_row_column"), rows[rejected])
    out[bilingual("ingest_reason_column")] = reasons
    return out.reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One message about one spreadsheet row.

    Attributes
    ----------
    row : int
        Row number as the user sees it in the spreadsheet.
    reason : str
        What is wrong or doubtful (Chinese, then English in brackets).
    project : str
        The row's project name, to find it quickly.
    candidates : tuple of str
        Register projects the row may mean (plan and progress rows that
        match no project, or several): ``CZ25-003 后湾水库供水工程（襄垣县）``.
    """

    row: int
    reason: str
    project: str = ""
    candidates: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return ``{row, reason, project}`` (and ``candidates`` when there are any)."""
        out: dict[str, object] = {"row": self.row, "reason": self.reason, "project": self.project}
        if self.candidates:
            out["candidates"] = list(self.candidates)
        return out


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One register field an import changes on a stored project.

    Attributes
    ----------
    row : int
        The spreadsheet row.
    id : str
        The project.
    field : str
        Register column.
    old, new : str
        The stored value and the imported one, as text (``""`` when empty).
    """

    row: int
    id: str
    field: str
    old: str
    new: str

    def to_dict(self) -> dict[str, object]:
        """Return ``{row, id, field, old, new}``."""
        return {"row": self.row, "id": self.id, "field": self.field, "old": self.old,
                "new": self.new}  # fmt: skip

    def __str__(self) -> str:
        """Return ``field: old → new``."""
        empty = t("ingest_empty_value", Lang.ZH)
        return f"{self.field}: {self.old or empty} → {self.new or empty}"


@dataclass
class ImportReport:
    """What happened to every row of one file.

    Attributes
    ----------
    filename : str
        The file's name.
    crs : CoordSystem
        The coordinate system the file declared.
    total : int
        Data rows read (blank rows excluded).
    accepted : int
        Rows that go into the register (with or without warnings, including
        those awaiting a location, and those that change nothing).
    added, updated, unchanged : int
        Accepted rows that add a project, change a stored one, or repeat a
        stored project exactly (these are written nowhere).
    warnings : list[RowIssue]
        One entry per warning (a row may have several). Rows that change
        nothing carry none: their values are already in the register.
    rejected : list[RowIssue]
        One entry per rejected row, all its reasons joined.
    unresolved : list[RowIssue]
        Accepted rows with no location found: listed for review, no point.
    duplicates : list[RowIssue]
        Rows repeating an earlier row's id, or its name within a county; and
        rows naming a project already in the register (same name and county,
        another id). Such a row without an id updates that project (it takes
        the project's id). A row with its own id, or one matching several
        projects, is imported as given. Each case is also a warning on the row.
    changes : list[FieldChange]
        Every field an accepted row changes on a stored project, old → new.
        On an update blank cells keep the stored values, a coarser location
        never replaces a finer one and the stored source sentence stays (the
        import's provenance is added after it).
    notes : list[str]
        What the reader did to the file (merged cells filled down).
    encoding, sheet : str
        How the file was read.
    columns : dict[str, str]
        Register field -> the file's column.
    ignored_columns : list[str]
        Columns that map to no field.
    status : pandas.Series
        :class:`RowStatus` value per row, indexed by row number.
    rejected_rows : pandas.DataFrame
        The rejected rows' original cells plus a reason column.
    committed_version : int or None
        The store version a commit wrote (``None`` before a commit, or when
        the import changed nothing and nothing was written).
    kind : str
        ``register`` (projects), ``plan`` or ``progress``.
    unmatched : list[RowIssue]
        Plan and progress rows attached to no project (unknown id, no or
        several projects of that name and county), with their candidates;
        each is also among ``rejected``.
    """

    filename: str
    crs: CoordSystem
    total: int = 0
    accepted: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[RowIssue] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)
    unresolved: list[RowIssue] = field(default_factory=list)
    duplicates: list[RowIssue] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    sheet: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    status: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    rejected_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    committed_version: int | None = None
    kind: str = "register"
    unmatched: list[RowIssue] = field(default_factory=list)

    @property
    def nothing_changed(self) -> bool:
        """Whether committing would write nothing (no project added or changed)."""
        return self.added == 0 and self.updated == 0

    def summary(self) -> str:
        """Return one line for the user: counts, or that nothing changed."""
        if self.nothing_changed:
            return bilingual("ingest_nothing_changed", filename=self.filename)
        return bilingual(
            "ingest_summary",
            filename=self.filename,
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=len(self.rejected),
        )

    def history_note(self) -> str:
        """Return the store history's note of a commit of this import (file and counts)."""
        return bilingual(
            "ingest_commit_note",
            filename=self.filename,
            added=self.added,
            updated=self.updated,
            rejected=len(self.rejected),
        )

    def counts(self) -> dict[str, int]:
        """Return the number of rows per :class:`RowStatus`."""
        found = self.status.value_counts()
        return {s.value: int(found.get(s.value, 0)) for s in RowStatus}

    def to_dict(self) -> dict[str, object]:
        """Return the report as plain data (what :meth:`to_json` writes)."""
        return {
            "file": self.filename,
            "crs": self.crs.value,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "total": self.total,
            "accepted": self.accepted,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "nothing_changed": self.nothing_changed,
            "counts": self.counts(),
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "notes": self.notes,
            "warnings": [w.to_dict() for w in self.warnings],
            "rejected": [r.to_dict() for r in self.rejected],
            "unresolved": [u.to_dict() for u in self.unresolved],
            "duplicates": [d.to_dict() for d in self.duplicates],
            "changes": [c.to_dict() for c in self.changes],
            "kind": self.kind,
            "unmatched": [u.to_dict() for u in self.unmatched],
        }

    def to_json(self) -> str:
        """Return the report as JSON (UTF-8 text, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def rejected_workbook(self) -> bytes:
        """Return the rejected rows as an XLSX to fix and upload again.

        Returns
        -------
        bytes
            One sheet: ``原行号 (row)``, the file's own columns as read, then
            ``拒绝原因 (reason)``. Every cell is written as text, so a cell
            starting with ``=`` stays text and never becomes a formula.
        """
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("rejected")
        frame = self.rejected_rows
        sheet.append(_text_cells(sheet, [*map(str, frame.columns)]))
        for record in frame.itertuples(index=False):
            sheet.append(_text_cells(sheet, [number_text(v) for v in record]))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _text_cells(sheet: object, values: Sequence[str]) -> list[WriteOnlyCell]:
    """Cells typed as text (no formula interpretation)."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cells.append(cell)
    return cells


@dataclass
class ImportResult:
    """An import checked and ready to commit.

    Attributes
    ----------
    projects : geopandas.GeoDataFrame
        Accepted rows in register shape (EPSG:4326), with the values a commit
        writes (updates merged with the stored projects); rows awaiting a
        location have ``geometry`` ``None``, ``lon``/``lat`` ``NaN`` and
        ``precision`` ``""``.
    preview : geopandas.GeoDataFrame
        ``projects`` plus ``row``, ``status`` (:class:`RowStatus` value),
        ``messages`` and ``changes`` (``field: old → new``, joined) for the preview.
    report : ImportReport
        Counts and per-row messages.
    changed_ids : tuple of str
        Ids of the accepted rows that add or change a project (what a commit writes).
    base_version : int or None
        The store version the rows were matched against (``None`` when unknown).
    incoming : Incoming or None
        The parsed rows before matching, kept so that a commit against a
        register that changed meanwhile matches them again.
    """

    projects: gpd.GeoDataFrame
    preview: gpd.GeoDataFrame
    report: ImportReport
    changed_ids: tuple[str, ...] = ()
    base_version: int | None = None
    incoming: Incoming | None = None
