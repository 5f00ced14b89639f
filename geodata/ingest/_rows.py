"""What plan and progress imports share: cells by field, matching, repeats, the report.

:mod:`geodata.ingest.plans` and :mod:`geodata.ingest.progress_rows` parse
their own fields and call these helpers; the result is a
:class:`RowsResult` (accepted rows in the progress frames' shape and the
same :class:`~geodata.ingest.report.ImportReport` as a register import).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd

from geodata.coords import CoordSystem
from geodata.i18n import bilingual, by_lang
from geodata.ingest._cells import RowLog, Verdict, per_distinct
from geodata.ingest._rows_cells import field_label
from geodata.ingest._rows_headers import RowHeaders, RowKind, map_row_headers, require_row_columns
from geodata.ingest._rows_match import ProjectIndex, match_projects
from geodata.ingest._text import clean_text, normalise
from geodata.ingest._vocab import lookup_stage
from geodata.ingest.report import ImportReport, RowIssue, RowStatus, rejected_table
from geodata.schema import Stage


@dataclass
class RowsResult:
    """A checked plan or progress import, ready to commit.

    Attributes
    ----------
    kind : RowKind
        ``plan`` or ``progress``.
    rows : pandas.DataFrame
        Accepted rows (``PLAN_COLUMNS`` or ``REPORT_COLUMNS``, as the store
        takes them; progress as reported, cumulatives not filled).
    report : ImportReport
        Counts and per-row messages, unmatched rows with their candidates.
    change : numpy.ndarray
        Per accepted row: ``added``, ``updated`` or ``unchanged`` against the store.
    base_version : int or None
        The store version the rows were checked against.
    """

    kind: RowKind
    rows: pd.DataFrame
    report: ImportReport
    change: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    base_version: int | None = None

    @property
    def changed_rows(self) -> pd.DataFrame:
        """The accepted rows that add or change a stored row (what a commit writes)."""
        return self.rows[self.change != "unchanged"].reset_index(drop=True)


@dataclass
class Sheet:
    """One plan or progress sheet being checked: its table, header map and row log."""

    table: pd.DataFrame
    kind: RowKind
    headers: RowHeaders
    log: RowLog
    source: str
    _cells: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, table: pd.DataFrame, kind: RowKind, *, year: int | None, filename: str) -> Sheet:
        """Map the header (refusing a sheet without its required columns) and start the log."""
        headers = map_row_headers([str(c) for c in table.columns], kind)
        require_row_columns(headers, kind, year=year)
        log = RowLog(table.index.to_numpy(dtype=int))
        position = {row: i for i, row in enumerate(table.index)}
        for row, messages in dict(table.attrs.get("cell_notes", {})).items():
            for message in messages:
                if row in position:
                    log.add(position[row], Verdict.WARN, message)
        return cls(table, kind, headers, log, PurePath(filename).name or "spreadsheet")

    def raw(self, name: str) -> np.ndarray:
        """Cells of a field's column as text (``""`` everywhere when the sheet lacks it)."""
        col = self.headers.fields.get(name)
        if col is None:
            return np.full(len(self.table), "", dtype=object)
        return self.table[col].astype(str).to_numpy(dtype=object)

    def _each(self, name: str, fn: Callable[[str], str]) -> np.ndarray:
        """Return ``fn`` of each cell of a field's column (once per distinct cell; kept)."""
        found = self._cells.get((name, fn.__name__))
        if found is None:
            results, codes = per_distinct(self.raw(name), fn)
            found = np.array(results, dtype=object)[codes]
            self._cells[(name, fn.__name__)] = found
        return found.copy()

    def key(self, name: str) -> np.ndarray:
        """Return a field's cells normalised for lookups (full-width folded, trimmed)."""
        return self._each(name, normalise)

    def text(self, name: str) -> np.ndarray:
        """Return a free-text field as written (trimmed; kept literally)."""
        return self._each(name, clean_text)

    def numeric(self, name: str) -> np.ndarray:
        """Which cells of a field's column were stored as numbers in the XLSX file."""
        col = self.headers.fields.get(name)
        cells = self.table.attrs.get("numeric_cells", set())
        if col is None or not cells:
            return np.zeros(len(self.table), dtype=bool)
        position = list(self.table.columns).index(col)
        return np.array([(int(r), position) in cells for r in self.table.index], dtype=bool)

    def stages(self, name: str) -> np.ndarray:
        """Read a stage field (四库, 当前阶段) through the stage vocabulary; unknown terms warn."""
        what = field_label(name)
        found, codes = per_distinct(self.key(name), lambda term: (term, lookup_stage(term)))
        values = [Stage.UNKNOWN.value if stage is None else stage.value for _, stage in found]
        unknown = np.array([stage is None for _, stage in found], dtype=bool)
        for i in np.flatnonzero(unknown[codes]).tolist():
            term = found[codes[i]][0]
            self.log.add(
                i, Verdict.WARN, bilingual("rows_unknown_stage", what=what, text=term[:30])
            )
        return np.array(values, dtype=object)[codes]

    def match(self, projects: pd.DataFrame) -> tuple[np.ndarray, list[RowIssue]]:
        """Attach rows to register projects (id, else name and county), naming candidates."""
        return match_projects(
            ProjectIndex.of(projects),
            ids=self.key("id"),
            names=self.key("name_zh"),
            counties=self.key("county"),
            log=self.log,
        )

    def repeats(self, keys: list[tuple[str, object]], *, what: str) -> list[RowIssue]:
        """Reject every row of a key (project and year or month) given twice (never guessed).

        ``what`` is the message key naming the key's second part (``rows_field_period``).
        """
        live = np.flatnonzero(~self.log.rejected())
        # only the keys given twice are grouped (in order of first appearance)
        twice = pd.Series([keys[i] for i in live], dtype=object).duplicated(keep=False)
        rows_of: dict[tuple[str, object], list[int]] = {}
        for i in live[twice.to_numpy(dtype=bool)].tolist():
            rows_of.setdefault(keys[i], []).append(i)
        found = []
        for (pid, when), positions in rows_of.items():
            if len(positions) < 2:
                continue
            numbers = "、".join(str(int(self.log.rows[p])) for p in positions)
            message = bilingual(
                "rows_repeated", pid=pid, what=by_lang(what), when=when, numbers=numbers
            )
            for p in positions:
                self.log.add(p, Verdict.REJECT, message)
                found.append(RowIssue(int(self.log.rows[p]), message, pid))
        return found


def _status(log: RowLog) -> np.ndarray:
    """Return each row's :class:`RowStatus` value."""
    rejected = log.rejected()
    warned = np.array([bool(w) for w in log.warn], dtype=bool)
    return np.where(
        rejected,
        RowStatus.REJECTED.value,
        np.where(warned, RowStatus.WARNINGS.value, RowStatus.ACCEPTED.value),
    ).astype(object)


def build_report(
    sheet: Sheet,
    *,
    change: np.ndarray,
    duplicates: list[RowIssue],
    unmatched: list[RowIssue],
) -> ImportReport:
    """Assemble the report of a checked sheet (``change`` per accepted row)."""
    log, table = sheet.log, sheet.table
    names = np.where(sheet.key("name_zh") != "", sheet.key("name_zh"), sheet.key("id"))
    keep = ~log.rejected()
    warnings = [
        RowIssue(int(log.rows[i]), message, str(names[i]))
        for i in np.flatnonzero(keep)
        for message in log.warn[i]
    ]
    rejected = [
        RowIssue(int(log.rows[i]), "；".join(log.reject[i]), str(names[i]))
        for i in np.flatnonzero(~keep)
    ]
    return ImportReport(
        filename=sheet.source,
        crs=CoordSystem.WGS84,
        total=len(table),
        accepted=int(keep.sum()),
        added=int((change == "added").sum()),
        updated=int((change == "updated").sum()),
        unchanged=int((change == "unchanged").sum()),
        warnings=warnings,
        rejected=rejected,
        duplicates=duplicates,
        notes=list(table.attrs.get("notes", [])),
        encoding=str(table.attrs.get("encoding", "")),
        sheet=str(table.attrs.get("sheet", "")),
        columns=dict(sheet.headers.fields),
        ignored_columns=list(sheet.headers.unknown),
        status=pd.Series(_status(log), index=pd.Index(log.rows, name="row"), name="status"),
        rejected_rows=rejected_table(table, ~keep, log.rows, [r.reason for r in rejected]),
        kind=sheet.kind.value,
        unmatched=unmatched,
    )
