"""Reading: CSV, XLSX, GeoJSON or GeoPackage bytes into one table of text cells.

Each reader returns rows as ``(spreadsheet row number, cells)``, bounded in
rows, columns and cells while it reads; :func:`read_table` then finds the
header row among the first rows and builds the table.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable

import pandas as pd

from geodata.i18n import Lang, bilingual, t
from geodata.ingest import _limits
from geodata.ingest._geo import geojson_rows, gpkg_rows
from geodata.ingest._headers import map_headers
from geodata.ingest._safety import FileKind, check_upload
from geodata.ingest._text import DecodeError, IngestError, decode_text, normalise
from geodata.ingest._xlsx import Sheet, xlsx_sheets

Rows = list[tuple[int, list[str]]]


HeaderScore = Callable[[list[str]], int]


def _header_score(cells: Iterable[str]) -> int:
    """Return how many register fields a candidate header row maps to."""
    return len(map_headers([c for c in cells if c]).fields)


def _column_names(header: list[str]) -> list[str]:
    """Return unique column names: unnamed columns get ``列N``, repeats ``name.2``."""
    seen: dict[str, int] = {}
    names = []
    for i, name in enumerate(header):
        base = name or t("ingest_unnamed_column", Lang.ZH, n=i + 1)
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}.{seen[base]}")
    return names


def frame_from_rows(rows: Rows, *, score: HeaderScore = _header_score) -> pd.DataFrame:
    """Turn read rows into a text table: find the header, index by spreadsheet row number.

    ``score`` counts the fields a candidate header row names (default: register fields).

    Raises
    ------
    IngestError
        When none of the first rows names register columns.
    """
    head = rows[: _limits.IMPORT_HEADER_SEARCH_ROWS]
    scores = [score([c for c in cells if c]) for _, cells in head]
    if not scores or max(scores) == 0:
        raise IngestError(bilingual("ingest_no_header"))
    h = scores.index(max(scores))
    header = [normalise(c) for c in rows[h][1]]
    body = [cells for _, cells in rows[h + 1 :]]
    kept = [i for i, cells in enumerate(body) if "".join(cells).strip()]
    width = max([len(header), *(len(body[i]) for i in kept)])
    header += [""] * (width - len(header))
    # built column by column: no padded copy of every row
    columns = {
        name: [body[i][j] if j < len(body[i]) else "" for i in kept]
        for j, name in enumerate(_column_names(header))
    }
    numbers = [rows[h + 1 + i][0] for i in kept]
    frame = pd.DataFrame(columns, index=pd.Index(numbers, name="row", dtype=int), dtype=object)
    return frame.astype(str) if len(frame) else frame


def _refuse_wide_lines(text: str, dialect: type[csv.Dialect]) -> None:
    """Refuse a CSV with a row wider than the column limit, before the csv module splits it.

    Quoted sections are removed first (their delimiters are text), then each
    line's delimiters are counted; all of it runs at C speed without building
    the row.
    """
    quote = re.escape(dialect.quotechar or '"')
    bare = re.sub(f"{quote}[^{quote}]*{quote}", "", text)
    delimiter = dialect.delimiter
    widest = max((line.count(delimiter) for line in bare.splitlines()), default=0)
    if widest + 1 > _limits.MAX_IMPORT_COLUMNS:
        raise IngestError(_limits.too_many_columns("ingest_where_widest_row", n=widest + 1))


class _Dialect(csv.excel):
    """Excel's CSV rules (``""`` inside quotes is a quote) with the sniffed delimiter."""


def _sniff(text: str) -> type[csv.Dialect]:
    """Return Excel's dialect with the delimiter guessed from the first lines (comma if unsure)."""
    sample = "\n".join(text[:8192].splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    return type("_Sniffed", (_Dialect,), {"delimiter": delimiter})


def _read_csv(data: bytes) -> tuple[Rows, str]:
    """Decode and parse CSV bytes into numbered rows of text and the encoding used."""
    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        raise IngestError(str(exc)) from exc
    dialect = _sniff(text)
    _refuse_wide_lines(text, dialect)
    rows: Rows = []
    width = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        for number, row in enumerate(reader, start=1):
            if not "".join(row).strip():
                continue
            width = max(width, len(row))
            rows.append((number, row))
            if len(rows) > _limits.MAX_IMPORT_ROWS + _limits.IMPORT_HEADER_SEARCH_ROWS:
                raise IngestError(_limits.too_many_rows())
            if width > _limits.MAX_IMPORT_COLUMNS:
                raise IngestError(_limits.too_many_columns("ingest_where_row", number=number))
            if width * len(rows) > _limits.MAX_IMPORT_CELLS:
                raise IngestError(_limits.too_many_cells())
    except csv.Error as exc:
        raise IngestError(bilingual("ingest_bad_csv", error=exc)) from exc
    return rows, encoding


def _best_sheet(data: bytes, score: HeaderScore) -> Sheet:
    """Return the first sheet that has a register header (else the best-scoring one)."""
    best: tuple[int, Sheet] | None = None
    for sheet in xlsx_sheets(data):
        head = [
            cells for _, cells in sorted(sheet.rows.items())[: _limits.IMPORT_HEADER_SEARCH_ROWS]
        ]
        found = max((score([c for c in r if c]) for r in head), default=0)
        if best is None or found > best[0]:
            best = (found, sheet)
        if found >= 2:
            break
    if best is None:
        raise IngestError(bilingual("ingest_no_sheet"))
    return best[1]


def _read_any(data: bytes, kind: FileKind, score: HeaderScore) -> pd.DataFrame:
    """Read checked bytes of one kind into the text table with its ``attrs``."""
    attrs: dict[str, object] = {"kind": kind.value, "encoding": "", "sheet": "", "notes": []}
    cell_notes: dict[int, list[str]] = {}
    numeric: set[tuple[int, int]] = set()
    if kind is FileKind.CSV:
        rows, attrs["encoding"] = _read_csv(data)
    elif kind is FileKind.XLSX:
        sheet = _best_sheet(data, score)
        rows = sorted(sheet.rows.items())
        attrs.update(sheet=sheet.title, notes=sheet.notes)
        cell_notes, numeric = sheet.cell_notes, sheet.numeric
    elif kind is FileKind.GEOJSON:
        rows = geojson_rows(data)
    else:
        rows, attrs["sheet"] = gpkg_rows(data)
    frame = frame_from_rows(rows, score=score)
    attrs["cell_notes"] = {r: m for r, m in cell_notes.items() if r in frame.index}
    attrs["numeric_cells"] = {(r, c) for r, c in numeric if r in frame.index}
    frame.attrs.update(attrs)
    return frame


def read_table(data: bytes, *, filename: str, score: HeaderScore | None = None) -> pd.DataFrame:
    """Read an uploaded file into a frame of text cells.

    Parameters
    ----------
    data : bytes
        File content (checked with :func:`~geodata.ingest.check_upload` here).
    filename : str
        File name; its extension selects the reader (``.csv``, ``.xlsx``,
        ``.geojson``, ``.gpkg``).
    score : callable, optional
        How many known fields a candidate header row names (default: register
        fields; the plan and progress imports pass their own).

    Returns
    -------
    pandas.DataFrame
        One column per header cell (the file's own header text), every cell
        a ``str`` (``""`` when empty), indexed by the row number the user sees
        in the spreadsheet (``row``; for GeoJSON and GeoPackage feature ``k``
        is row ``k + 1``); blank rows are dropped. ``attrs`` holds ``kind``,
        ``encoding`` (CSV), ``sheet`` (XLSX sheet or GeoPackage layer),
        ``notes`` (what the reader did, e.g. merged cells filled down),
        ``cell_notes`` (row -> warnings about its cells) and
        ``numeric_cells`` (``(row, column position)`` of XLSX cells stored as numbers).

    Raises
    ------
    IngestError
        When the file is refused, malformed, beyond a limit, exhausts memory
        or has no recognisable header row (one-line message).
    """
    kind = check_upload(data, filename=filename)
    try:
        return _read_any(data, kind, score or _header_score)
    except MemoryError:
        raise IngestError(bilingual("ingest_out_of_memory")) from None
