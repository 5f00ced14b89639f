"""Streaming XLSX reader: sheets as sparse rows of text, bounded while parsing.

A reader over the workbook's XML (expat, DTDs and entities refused), about
ten times faster than openpyxl for large sheets. Every limit is checked as
the cells arrive, before any table exists: a cell reference must be a real
one (``A1`` … ``XFD1048576``), a cell holding a value must lie within
:data:`~geodata.settings.MAX_IMPORT_COLUMNS`, rows and cells within their
limits. Vertically merged cells are filled down; a formula saved without
its result is named in a note. Anything malformed is an :class:`XlsxError`
(an :class:`~geodata.ingest.IngestError`) with a one-line message.
"""

from __future__ import annotations

import io
import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from geodata.i18n import bilingual
from geodata.ingest import _limits
from geodata.ingest._safety import ZIP_READ_ERRORS, damaged_zip
from geodata.ingest._text import IngestError, number_text

_NS_SEP = " "
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_EXCEL_COLUMNS = 16_384
_EXCEL_ROWS = 1_048_576


class XlsxError(IngestError):
    """An XLSX workbook cannot be read (damaged, malformed, unsafe or too large)."""


@dataclass
class Sheet:
    """One sheet as read.

    Attributes
    ----------
    title : str
        The sheet's name.
    rows : dict[int, list[str]]
        Spreadsheet row number -> its cells as text (column A first); only
        rows holding a value are present.
    notes : list[str]
        What the reader did to the sheet (merged ranges filled down).
    cell_notes : dict[int, list[str]]
        Row number -> warnings about its cells (formulas without a saved result).
    numeric : set of (int, int)
        ``(row number, column)`` of the cells stored as numbers (their text is
        the number, not what Excel showed: ``2025.10`` reads ``2025.1``).
    """

    title: str
    rows: dict[int, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cell_notes: dict[int, list[str]] = field(default_factory=dict)
    numeric: set[tuple[int, int]] = field(default_factory=set)


def _local(name: str) -> str:
    return name.rpartition(_NS_SEP)[2]


def _parser(handlers: dict[str, object]) -> pyexpat.XMLParserType:
    """Namespace-aware expat parser that refuses DTDs and entity declarations."""
    parser = pyexpat.ParserCreate(namespace_separator=_NS_SEP)
    parser.buffer_text = True

    def refuse(*_args: object) -> None:
        raise XlsxError(bilingual("ingest_xlsx_dtd"))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    for name, handler in handlers.items():
        setattr(parser, name, handler)
    return parser


def _parse_xml(data: bytes, handlers: dict[str, object], part: str) -> None:
    try:
        _parser(handlers).Parse(data, True)
    except pyexpat.ExpatError as exc:
        raise XlsxError(bilingual("ingest_xlsx_part_invalid", part=part, error=exc)) from None


def cell_position(ref: str) -> tuple[int, int]:
    """Return the 0-based column and 1-based row of a reference such as ``AB12``.

    Raises
    ------
    XlsxError
        For anything but a real reference (``AAAAAA1``, ``1A``, ``A0``).
    """
    match = _CELL_REF.fullmatch(ref)
    col = 0
    for ch in match.group(1) if match else "":
        col = col * 26 + (ord(ch) - 64)
    row = int(match.group(2)) if match else 0
    if match is None or col > _EXCEL_COLUMNS or row > _EXCEL_ROWS:
        raise XlsxError(bilingual("ingest_xlsx_bad_ref", ref=ref[:20]))
    return col - 1, row


def column_letters(col: int) -> str:
    """Return the letters of a 0-based column (``0`` -> ``A``)."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _read_part(archive: zipfile.ZipFile, part: str, *, sheet: str | None = None) -> bytes:
    """Read one zip member (of the worksheet ``sheet``); a missing or damaged one is an error."""
    try:
        return archive.read(part)
    except KeyError:
        if sheet is None:
            raise XlsxError(bilingual("ingest_xlsx_missing_part", part=part)) from None
        raise XlsxError(bilingual("ingest_xlsx_missing_sheet", title=sheet, part=part)) from None
    except ZIP_READ_ERRORS as exc:
        raise damaged_zip(exc) from None


def _workbook_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Return (sheet name, part path) in workbook order."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    workbook = _read_part(archive, "xl/workbook.xml")
    rels = _read_part(archive, "xl/_rels/workbook.xml.rels")
    _parse_xml(workbook, {"StartElementHandler": on_sheet}, "xl/workbook.xml")
    _parse_xml(rels, {"StartElementHandler": on_rel}, "xl/_rels/workbook.xml.rels")
    out = []
    for title, rid in sheets:
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out.append((title, posixpath.normpath(path)))
    return out


class _SharedStrings:
    """Expat handlers collecting the workbook's shared strings (phonetic runs left out)."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.buf: list[str] | None = None
        self.in_t = False
        self.rph = 0

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            self.buf = []
        elif local == "rPh":
            self.rph += 1
        elif local == "t":
            self.in_t = True

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "si":
            self.strings.append("".join(self.buf or []))
            self.buf = None
            if len(self.strings) > _limits.MAX_IMPORT_CELLS:
                raise XlsxError(_limits.too_many_cells())
        elif local == "rPh":
            self.rph -= 1
        elif local == "t":
            self.in_t = False

    def text(self, data: str) -> None:
        if self.in_t and not self.rph and self.buf is not None:
            self.buf.append(data)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """Shared strings of the workbook (empty when it has none)."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    collector = _SharedStrings()
    _parse_xml(
        _read_part(archive, "xl/sharedStrings.xml"),
        {
            "StartElementHandler": collector.start,
            "EndElementHandler": collector.end,
            "CharacterDataHandler": collector.text,
        },
        "xl/sharedStrings.xml",
    )
    return collector.strings


class _SheetReader:
    """Expat handlers turning one sheet's XML into a :class:`Sheet`, checking limits."""

    def __init__(self, shared: list[str], *, title: str) -> None:
        self.shared = shared
        self.sheet = Sheet(title)
        self.row: list[str] | None = None
        self.row_number = 0
        self.width = 0
        self.cells = 0
        self.merges: list[str] = []
        self._reset_cell()

    def _reset_cell(self) -> None:
        self.col = -1
        self.kind = ""
        self.buf: list[str] | None = None
        self.capture = False
        self.rph = 0
        self.formula = False
        self.next_col = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "row":
            self._start_row(attrs.get("r"))
        elif local == "c":
            ref = attrs.get("r")
            if ref is None:
                col = self.next_col
            else:
                col, _row = cell_position(ref)
            self.col, self.kind, self.buf = col, attrs.get("t", "n"), []
            self.formula = False
        elif local == "v" or (local == "t" and self.kind == "inlineStr"):
            self.capture = True
        elif local == "f":
            self.formula = True
        elif local == "rPh":
            self.rph += 1
        elif local == "mergeCell":
            self.merges.append(attrs.get("ref", ""))

    def _start_row(self, number: str | None) -> None:
        if number is None:
            self.row_number += 1
        elif number.isdigit() and 0 < int(number) <= _EXCEL_ROWS:
            self.row_number = int(number)
        else:
            raise XlsxError(bilingual("ingest_xlsx_bad_row", number=number[:20]))
        self.row = None
        self.next_col = 0

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "c":
            self._end_cell()
        elif local in ("v", "t"):
            self.capture = False
        elif local == "rPh":
            self.rph -= 1

    def text(self, data: str) -> None:
        if self.capture and not self.rph and self.buf is not None:
            self.buf.append(data)

    def _value(self, raw: str) -> str:
        """Return the text of a cell from its type and raw content."""
        if self.kind == "s":
            index = int(raw) if raw.strip().isdigit() else -1
            if not 0 <= index < len(self.shared):
                ref = f"{column_letters(self.col)}{self.row_number}"
                raise XlsxError(bilingual("ingest_xlsx_shared_string", ref=ref, raw=raw[:20]))
            return self.shared[index]
        if self.kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE" if raw.strip() else ""
        if self.kind == "n" and raw:
            try:
                text = number_text(float(raw))
                self.sheet.numeric.add((self.row_number, self.col))
                return text
            except ValueError:
                return raw
        return raw

    def _end_cell(self) -> None:
        raw = "".join(self.buf or [])
        ref = f"{column_letters(self.col)}{self.row_number}"
        if self.formula and not raw:
            self.sheet.cell_notes.setdefault(self.row_number, []).append(
                bilingual("ingest_xlsx_formula", ref=ref)
            )
        value = self._value(raw) if raw else ""
        self.next_col = self.col + 1
        self.buf = None
        if value:
            self._store(value, ref)

    def _store(self, value: str, ref: str) -> None:
        """Put a non-empty value into its row, checking the column, row and cell limits."""
        if self.col >= _limits.MAX_IMPORT_COLUMNS:
            raise XlsxError(_limits.too_many_columns("ingest_where_cell", ref=ref))
        if self.row is None:
            self.row = self.sheet.rows.setdefault(self.row_number, [])
            if len(self.sheet.rows) > _limits.MAX_IMPORT_ROWS + _limits.IMPORT_HEADER_SEARCH_ROWS:
                raise XlsxError(_limits.too_many_rows())
        if self.col >= len(self.row):
            self.row.extend([""] * (self.col + 1 - len(self.row)))
            self.width = max(self.width, len(self.row))
            if self.width * len(self.sheet.rows) > _limits.MAX_IMPORT_CELLS:
                raise XlsxError(_limits.too_many_cells())
        self.row[self.col] = value

    def fill_merged(self) -> None:
        """Fill vertically merged ranges down into the rows below that hold values."""
        for ref in self.merges:
            first, _, last = ref.partition(":")
            col, top = cell_position(first)
            col2, bottom = cell_position(last or first)
            if bottom <= top or col2 < col or col >= _limits.MAX_IMPORT_COLUMNS:
                continue
            head = self.sheet.rows.get(top, [])
            value = head[col] if col < len(head) else ""
            filled = 0
            for number in range(top + 1, bottom + 1):
                row = self.sheet.rows.get(number)
                if not value or row is None:
                    continue
                if col >= len(row):
                    row.extend([""] * (col + 1 - len(row)))
                if not row[col]:
                    row[col] = value
                    filled += 1
            if filled:
                self.sheet.notes.append(
                    bilingual("ingest_xlsx_merged", ref=ref, value=value, n=filled)
                )


def read_sheet(content: bytes, shared: list[str], *, title: str, part: str) -> Sheet:
    """Read one sheet's XML into a :class:`Sheet` (limits checked while parsing)."""
    reader = _SheetReader(shared, title=title)
    _parse_xml(
        content,
        {
            "StartElementHandler": reader.start,
            "EndElementHandler": reader.end,
            "CharacterDataHandler": reader.text,
        },
        part,
    )
    reader.fill_merged()
    return reader.sheet


def xlsx_sheets(data: bytes) -> Iterator[Sheet]:
    """Read the sheets of an XLSX workbook, in workbook order.

    Numbers come out as in :func:`~geodata.ingest._text.number_text`; dates
    stored as serial numbers are not converted (the register has no dates).

    Parameters
    ----------
    data : bytes
        The workbook (checked for zip and XML bombs beforehand).

    Yields
    ------
    Sheet
        Each sheet's rows, notes and cell notes.

    Raises
    ------
    XlsxError
        Damaged or malformed workbook, unsafe XML, or a sheet beyond the
        row, column or cell limits.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_READ_ERRORS as exc:
        raise damaged_zip(exc) from None
    with archive:
        shared = _shared_strings(archive)
        for title, part in _workbook_sheets(archive):
            content = _read_part(archive, part, sheet=title)
            yield read_sheet(content, shared, title=title, part=part)
