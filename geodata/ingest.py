"""Import staff spreadsheets (CSV, XLSX) into the register, row by row, with reasons.

Every entry point funnels into :func:`import_table`:

1. :func:`check_upload` refuses hostile or mislabelled files before any parser
   sees them: size limit, extension against content (magic bytes), XLSX zip
   bombs (sizes and ratios from the zip directory) and XML with DTDs or
   entities (parsed with defusedxml, DTDs forbidden).
2. :func:`read_table` decodes (UTF-8 with or without BOM, then GB18030; never
   with replacement characters), finds the header row and returns every cell
   as text, indexed by the row number the user sees in the spreadsheet.
3. :func:`validate_rows` maps Chinese or English headers to register fields,
   parses amounts, counties (today's names, pre-2018 names, adcodes), stages
   and categories through lookup tables, converts coordinates from the
   declared system, detects swapped latitude/longitude, checks each point
   against the city and its stated county, geocodes rows without coordinates
   offline, reports duplicates and puts every row in one of: accepted,
   accepted with warnings, needs review (no location found) or rejected with
   a reason.

The command line (``python -m geodata.ingest FILE --report REPORT.json``)
writes the report as JSON and, unless ``--dry-run``, commits the accepted
rows to the store as a new version. It checks that the report path can be
written before it reads the file or touches the store. Exit status: 0 done,
2 unreadable file or unwritable report path (nothing written), 3 store
error (nothing written), 4 the report could not be written after the
commit (the message names the committed version).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import pyexpat
import sys
import warnings
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import defusedxml
import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import shapely
from openpyxl.cell import WriteOnlyCell

from geodata._parse import (
    DecodeError,
    HeaderMap,
    Parsed,
    Verdict,
    XlsxError,
    decode_text,
    lookup_category,
    lookup_crs,
    lookup_stage,
    lookup_subcategory,
    map_headers,
    missing_fields,
    normalise,
    number_text,
    parse_amount,
    parse_coordinate,
    xlsx_sheets,
)
from geodata.auth import system_identity
from geodata.boundaries import load_counties
from geodata.coords import CoordSystem, OutsideChinaWarning, convert, in_china
from geodata.divisions import BY_ADCODE, county_adcode
from geodata.schema import REGISTER_COLUMNS, Precision, Stage, Subcategory, register_frame
from geodata.settings import CITY_BBOX, MAX_UPLOAD_BYTES
from geodata.store.base import Author

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geodata.store import ProjectStore

# limits on what an xlsx may unpack to, read from the zip directory before parsing
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100.0
MAX_XLSX_MEMBERS = 2_000
# most data rows one file may hold (the city's yearly list is about 2,500)
MAX_ROWS = 200_000
# how many leading rows may hold a title above the header row
HEADER_SEARCH_ROWS = 10
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XML_CHUNK = 1 << 16


class IngestError(ValueError):
    """The file as a whole cannot be imported; the message is one line for the user."""


class FileKind(StrEnum):
    """Spreadsheet formats the importer reads."""

    CSV = "csv"
    XLSX = "xlsx"


class RowStatus(StrEnum):
    """Where a spreadsheet row ended up."""

    ACCEPTED = "accepted"
    WARNINGS = "accepted_with_warnings"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"

    @property
    def zh(self) -> str:
        """Chinese label."""
        return _STATUS_ZH[self]


_STATUS_ZH = {
    RowStatus.ACCEPTED: "已接受",
    RowStatus.WARNINGS: "已接受（有提示）",
    RowStatus.NEEDS_REVIEW: "待复核（未定位）",
    RowStatus.REJECTED: "已拒绝",
}

_EXTENSIONS: dict[str, FileKind] = {
    ".csv": FileKind.CSV,
    ".txt": FileKind.CSV,
    ".xlsx": FileKind.XLSX,
    ".xlsm": FileKind.XLSX,
}


# hostile-file checks


def _refuse_dtd(name: str, sysid: str | None, pubid: str | None, *_rest: object) -> None:
    """Expat handler that refuses any DTD (raises ``DTDForbidden``)."""
    raise defusedxml.DTDForbidden(name, sysid, pubid)


def _refuse_entity(name: str, *_rest: object) -> None:
    """Expat handler that refuses any entity declaration (raises ``EntitiesForbidden``)."""
    raise defusedxml.EntitiesForbidden(name, None, None, None, None, None)


def _refuse_external(context: str, base: str, sysid: str, pubid: str) -> None:
    """Expat handler that refuses external references (raises ``ExternalReferenceForbidden``)."""
    raise defusedxml.ExternalReferenceForbidden(context, base, sysid, pubid)


def _xml_has_no_dtd(stream: io.BufferedIOBase, name: str) -> None:
    """Parse one XML member with defusedxml's rules: any DTD or entity declaration refuses it.

    The handlers are defusedxml's (``forbid_dtd``, ``forbid_entities``,
    ``forbid_external``) set on a bare expat parser without element callbacks,
    so a 10 MB sheet is checked at C speed.
    """
    parser = pyexpat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    try:
        while chunk := stream.read(_XML_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden) as exc:
        raise IngestError(
            f"XLSX 中的 {name} 含 DTD/实体声明，可能是 XML 炸弹，已拒绝 "
            f"(xlsx part {name} declares a DTD or entities: refused as a possible XML bomb)"
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise IngestError(f"XLSX 中的 {name} 不安全，已拒绝 (unsafe XML in {name}: {exc})") from exc
    except pyexpat.ExpatError as exc:
        raise IngestError(
            f"XLSX 中的 {name} 不是有效的 XML (xlsx part {name} is not valid XML: {exc})"
        ) from exc


def _check_xlsx(data: bytes) -> None:
    """Refuse zip bombs, non-workbooks and XML bombs before openpyxl opens the file."""
    if not data.startswith(_ZIP_MAGIC):
        if data.startswith(_OLE_MAGIC):
            raise IngestError(
                "这是旧版 .xls 文件，请另存为 .xlsx (old .xls content in an .xlsx file: "
                "save it as .xlsx)"
            )
        raise IngestError(
            "文件内容不是 XLSX（可能是改了扩展名的 CSV）(content is not an xlsx workbook; "
            "is it a CSV renamed to .xlsx?)"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(f"XLSX 压缩包已损坏 (damaged xlsx archive: {exc})") from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise IngestError(
                "压缩包不是 Excel 工作簿 (zip file is not an Excel workbook: "
                "[Content_Types].xml or xl/ is missing)"
            )
        if len(infos) > MAX_XLSX_MEMBERS:
            raise IngestError(f"XLSX 含 {len(infos)} 个部件，过多 (too many parts: {len(infos)})")
        total = sum(i.file_size for i in infos)
        if total > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise IngestError(
                f"XLSX 解压后 {total / 2**20:.0f} MiB，超过上限 "
                f"{MAX_XLSX_UNCOMPRESSED_BYTES / 2**20:.0f} MiB，疑似压缩炸弹 "
                f"(unpacks to {total / 2**20:.0f} MiB: refused as a possible zip bomb)"
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1 << 20 and ratio > MAX_XLSX_RATIO:
                raise IngestError(
                    f"XLSX 部件 {info.filename} 压缩比 {ratio:.0f}:1，疑似压缩炸弹 "
                    f"(part {info.filename} compresses {ratio:.0f}:1: refused as a possible "
                    "zip bomb)"
                )
        # every xml part is parsed with dtds forbidden before openpyxl sees it
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                with archive.open(info) as stream:
                    _xml_has_no_dtd(stream, info.filename)


def _check_csv(data: bytes) -> None:
    """Refuse binary content in a file named as CSV."""
    if data.startswith(_ZIP_MAGIC):
        raise IngestError(
            "文件内容是压缩包/XLSX，而扩展名是 .csv，请使用正确的扩展名 "
            "(content is a zip/xlsx workbook but the name ends in .csv)"
        )
    if data.startswith(_OLE_MAGIC):
        raise IngestError("文件内容是旧版 .xls，而扩展名是 .csv (content is an old .xls workbook)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        offset = data.find(b"\x00")
        raise IngestError(
            f"CSV 含二进制内容（第 {max(offset, 0)} 字节），请另存为 UTF-8 或 GBK 文本 "
            f"(binary or UTF-16 content at byte {max(offset, 0)}: save as UTF-8 or GBK text)"
        )


def check_upload(data: bytes, *, filename: str) -> FileKind:
    """Refuse oversize, mislabelled or hostile files before parsing them.

    Parameters
    ----------
    data : bytes
        The uploaded file.
    filename : str
        Its name; the extension says what the content must be.

    Returns
    -------
    FileKind
        ``csv`` or ``xlsx``.

    Raises
    ------
    IngestError
        Empty or larger than :data:`~geodata.settings.MAX_UPLOAD_BYTES`, an
        extension that is not ``.csv``/``.xlsx``, content that does not match
        the extension, a zip bomb or an XML part declaring a DTD or entities.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise IngestError(
            f"文件 {len(data) / 2**20:.1f} MiB，超过上限 {MAX_UPLOAD_BYTES / 2**20:.0f} MiB "
            f"(file is {len(data)} bytes, larger than the {MAX_UPLOAD_BYTES}-byte limit)"
        )
    if not data:
        raise IngestError("文件为空 (the file is empty)")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xls":
        raise IngestError("不支持旧版 .xls，请另存为 .xlsx (old .xls is not read: save as .xlsx)")
    kind = _EXTENSIONS.get(suffix)
    if kind is None:
        raise IngestError(
            f"不支持的文件类型 {suffix or '（无扩展名）'}，请上传 .csv 或 .xlsx "
            f"(unsupported file type {suffix or '(none)'}: upload .csv or .xlsx)"
        )
    if kind is FileKind.XLSX:
        _check_xlsx(data)
    else:
        _check_csv(data)
    return kind


# reading


def _header_score(cells: Sequence[str]) -> int:
    """Return how many register fields a candidate header row maps to."""
    return len(map_headers([c for c in cells if c]).fields)


def _frame_from_rows(rows: list[list[str]], *, first_row: int) -> pd.DataFrame:
    """Turn raw rows into a text frame: find the header, index by spreadsheet row number."""
    head = rows[:HEADER_SEARCH_ROWS]
    scores = [_header_score(r) for r in head]
    if not scores or max(scores) == 0:
        raise IngestError(
            "找不到表头：前 10 行中没有“项目名称”“所在县区”等列名 "
            "(no header row: none of the first 10 rows names register columns such as 项目名称)"
        )
    h = scores.index(max(scores))
    header = [normalise(c) for c in rows[h]]
    width = max(len(header), *(len(r) for r in rows[h + 1 :])) if len(rows) > h + 1 else len(header)
    header += [""] * (width - len(header))
    # unnamed columns get a placeholder so that names stay unique
    seen: dict[str, int] = {}
    names = []
    for i, name in enumerate(header):
        base = name or f"列{i + 1}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}.{seen[base]}")
    body = []
    index = []
    for offset, row in enumerate(rows[h + 1 :], start=h + 1):
        if not any(c.strip() for c in row):
            continue
        body.append(row + [""] * (width - len(row)))
        index.append(first_row + offset)
    frame = pd.DataFrame(body, columns=names, index=pd.Index(index, name="row"), dtype=object)
    return frame.astype(str) if len(frame) else frame


def _read_csv(data: bytes) -> tuple[list[list[str]], str]:
    """Decode and parse CSV bytes into rows of text and the encoding used."""
    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        raise IngestError(str(exc)) from exc
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append(row)
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise IngestError(_too_many_rows())
    except csv.Error as exc:
        raise IngestError(f"CSV 格式错误 (malformed CSV: {exc})") from exc
    return rows, encoding


def _too_many_rows() -> str:
    """Return the one-line message for a file over ``MAX_ROWS`` rows."""
    return f"行数超过上限 {MAX_ROWS:,} 行，请分批导入 (more than {MAX_ROWS:,} rows: split the file)"


def _read_xlsx(data: bytes) -> tuple[list[list[str]], str]:
    """Rows of the first sheet that has a register header (else the best-scoring one)."""
    best: tuple[int, str, list[list[str]]] | None = None
    try:
        for title, rows in xlsx_sheets(data, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS):
            score = max((_header_score(r) for r in rows[:HEADER_SEARCH_ROWS]), default=0)
            if best is None or score > best[0]:
                best = (score, title, rows)
            if score >= 2:
                break
    except XlsxError as exc:
        if "rows" in str(exc):
            raise IngestError(_too_many_rows()) from None
        raise IngestError(f"无法读取 XLSX (cannot read the workbook: {exc})") from None
    if best is None:
        raise IngestError("工作簿没有工作表 (the workbook has no sheet)")
    return best[2], best[1]


def read_table(data: bytes, *, filename: str) -> pd.DataFrame:
    """Read a spreadsheet into a frame of text cells.

    Parameters
    ----------
    data : bytes
        File content (checked with :func:`check_upload` first).
    filename : str
        File name; its extension selects the reader.

    Returns
    -------
    pandas.DataFrame
        One column per header cell (the file's own header text), every cell
        a ``str`` (``""`` when empty), indexed by the row number the user sees
        in the spreadsheet (``row``); blank rows are dropped. ``attrs`` holds
        ``kind``, ``encoding`` (CSV) and ``sheet`` (XLSX).

    Raises
    ------
    IngestError
        When the file is refused or has no recognisable header row.
    """
    kind = check_upload(data, filename=filename)
    if kind is FileKind.CSV:
        rows, encoding = _read_csv(data)
        frame = _frame_from_rows(rows, first_row=1)
        frame.attrs.update(kind=kind.value, encoding=encoding, sheet="")
    else:
        rows, sheet = _read_xlsx(data)
        frame = _frame_from_rows(rows, first_row=1)
        frame.attrs.update(kind=kind.value, encoding="", sheet=sheet)
    return frame


# validation


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
    """

    row: int
    reason: str
    project: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return ``{row, reason, project}``."""
        return {"row": self.row, "reason": self.reason, "project": self.project}


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
        those awaiting a location).
    warnings : list[RowIssue]
        One entry per warning (a row may have several).
    rejected : list[RowIssue]
        One entry per rejected row, all its reasons joined.
    unresolved : list[RowIssue]
        Accepted rows with no location found: listed for review, no point.
    duplicates : list[RowIssue]
        Rows repeating an earlier row's id, or its name within a county; and
        rows naming a project already in the register (same name and county,
        another id) when the rows were checked or committed against one. Such
        a row without an id updates that project (it takes the project's id;
        its blank cells keep the project's values and a coarser point never
        replaces a better one, and the project's source sentence stays),
        because re-importing a list without ids must not duplicate the
        register. A row with its own id, or one matching several projects, is
        imported as given. Each case is also a warning on the row.
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
    """

    filename: str
    crs: CoordSystem
    total: int = 0
    accepted: int = 0
    warnings: list[RowIssue] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)
    unresolved: list[RowIssue] = field(default_factory=list)
    duplicates: list[RowIssue] = field(default_factory=list)
    encoding: str = ""
    sheet: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    status: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    rejected_rows: pd.DataFrame = field(default_factory=pd.DataFrame)

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
            "counts": self.counts(),
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "warnings": [w.to_dict() for w in self.warnings],
            "rejected": [r.to_dict() for r in self.rejected],
            "unresolved": [u.to_dict() for u in self.unresolved],
            "duplicates": [d.to_dict() for d in self.duplicates],
        }

    def to_json(self) -> str:
        """Return the report as JSON (UTF-8 text, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def rejected_workbook(self) -> bytes:
        """Return the rejected rows as an XLSX to fix and upload again.

        Returns
        -------
        bytes
            One sheet: the file's own columns as read, then ``原行号 (row)`` and
            ``拒绝原因 (reason)``. Every cell is written as text, so a cell
            starting with ``=`` stays text and never becomes a formula.
        """
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("rejected")
        frame = self.rejected_rows
        header = [*map(str, frame.columns)]
        sheet.append(_text_cells(sheet, header))
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
        Accepted rows in register shape (EPSG:4326); rows awaiting a location
        have ``geometry`` ``None``, ``lon``/``lat`` ``NaN`` and ``precision`` ``""``.
    preview : geopandas.GeoDataFrame
        ``projects`` plus ``row``, ``status`` (:class:`RowStatus` value) and
        ``messages`` for the map preview.
    report : ImportReport
        Counts and per-row messages.
    """

    projects: gpd.GeoDataFrame
    preview: gpd.GeoDataFrame
    report: ImportReport


class _Rows:
    """Per-row message collector used by :func:`validate_rows`."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.warn: list[list[str]] = [[] for _ in rows]
        self.reject: list[list[str]] = [[] for _ in rows]

    def add(self, i: int, verdict: Verdict, message: str) -> None:
        """Record a warning or rejection message for row position ``i``."""
        if verdict is Verdict.WARN:
            self.warn[i].append(message)
        elif verdict is Verdict.REJECT:
            self.reject[i].append(message)

    def rejected(self) -> np.ndarray:
        """Return a boolean mask of rows with at least one rejection."""
        return np.array([bool(r) for r in self.reject], dtype=bool)


def _column(table: pd.DataFrame, header: HeaderMap, name: str) -> pd.Series:
    """Normalised text of a field's column (``""`` when the file lacks it)."""
    col = header.fields.get(name)
    if col is None:
        return pd.Series([""] * len(table), index=table.index, dtype=object)
    values = table[col].astype(str)
    uniques = {v: normalise(v) for v in pd.unique(values)}
    return values.map(uniques).astype(object)


def _parse_each(values: pd.Series, parse: object) -> list[Parsed]:
    """Apply a cell parser once per distinct value."""
    memo = {v: parse(v) for v in pd.unique(values)}  # type: ignore[operator]
    return [memo[v] for v in values]


def _generated_id(adcode: str, name: str) -> str:
    """Stable id for a row without one: the same county and name give the same id."""
    digest = hashlib.sha1(f"{adcode}|{name}".encode(), usedforsecurity=False).hexdigest()
    return f"IMP-{digest[:10].upper()}"


def _county_of_points(lon: np.ndarray, lat: np.ndarray, counties: gpd.GeoDataFrame) -> np.ndarray:
    """Adcode of the county containing each point (``""`` outside the city)."""
    out = np.full(len(lon), "", dtype=object)
    ok = ~(np.isnan(lon) | np.isnan(lat))
    for adcode, geom in zip(counties["adcode"], counties.geometry, strict=True):
        shapely.prepare(geom)
        todo = ok & (out == "")
        if not todo.any():
            break
        inside = shapely.contains_xy(geom, lon[todo], lat[todo])
        idx = np.flatnonzero(todo)[inside]
        out[idx] = adcode
    return out


# county cells that name the whole city: no county, located at city level
CITY_WIDE_TERMS: frozenset[str] = frozenset({"长治市", "长治", "全市", "市本级", "市直", "市级"})


def _county(text: str) -> str | None:
    """Adcode of a county cell, also when written with its province or city (长治市潞州区).

    Returns ``""`` for a city-wide cell (``长治市``, ``全市``), ``None`` when the
    cell names no county of the city.
    """
    if text in CITY_WIDE_TERMS:
        return ""
    found = county_adcode(text)
    rest = text
    for prefix in ("山西省", "山西", "长治市"):
        if found is None and rest.startswith(prefix) and len(rest) > len(prefix):
            rest = rest[len(prefix) :]
            found = county_adcode(rest)
    return found


def _county_name(adcode: str) -> str:
    """Return the Chinese county name of an adcode (the code itself when unknown)."""
    return BY_ADCODE[adcode].name_zh if adcode in BY_ADCODE else adcode


def _coordinates(
    table: pd.DataFrame,
    header: HeaderMap,
    rows: _Rows,
    *,
    crs: CoordSystem,
    adcode: np.ndarray,
    counties: gpd.GeoDataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse, unswap, convert and check stated coordinates.

    Returns lon, lat (WGS-84, NaN where not stated or rejected) and a mask of
    rows that state no coordinates (to be geocoded).
    """
    n = len(table)
    lon_p = _parse_each(_column(table, header, "lon"), parse_coordinate)
    lat_p = _parse_each(_column(table, header, "lat"), parse_coordinate)
    lon = np.array([p.value for p in lon_p], dtype=float)
    lat = np.array([p.value for p in lat_p], dtype=float)
    usable = np.ones(n, dtype=bool)
    for i, (a, b) in enumerate(zip(lon_p, lat_p, strict=True)):
        for p in (a, b):
            if p.verdict is Verdict.REJECT:
                rows.add(i, p.verdict, p.message)
                usable[i] = False
    lon_nan, lat_nan = np.isnan(lon), np.isnan(lat)
    no_coords = lon_nan & lat_nan & usable
    half = (lon_nan ^ lat_nan) & usable
    for i in np.flatnonzero(half):
        rows.add(
            i, Verdict.REJECT, "只填了经度或纬度之一 (only one of longitude/latitude is given)"
        )
    usable &= ~(lon_nan | lat_nan)
    # swapped pairs: outside mainland china as given, inside it when swapped
    looks_swapped = np.zeros(n, dtype=bool)
    looks_swapped[usable] = ~in_china(lon[usable], lat[usable]) & in_china(lat[usable], lon[usable])
    lon, lat = np.where(looks_swapped, lat, lon), np.where(looks_swapped, lon, lat)
    out_of_range = usable & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    for i in np.flatnonzero(out_of_range):
        rows.add(
            i,
            Verdict.REJECT,
            f"坐标超出范围：经度 {lon[i]:g}，纬度 {lat[i]:g} (coordinates out of range)",
        )
    usable &= ~out_of_range
    # declared system (the file's, or a per-row 坐标系 column) -> wgs-84
    row_crs = np.full(n, crs.value, dtype=object)
    if "crs" in header.fields:
        crs_text = _column(table, header, "crs")
        memo = {v: lookup_crs(v) if v else crs for v in pd.unique(crs_text)}
        for i, v in enumerate(crs_text):
            if memo[v] is None:
                rows.add(i, Verdict.REJECT, f"坐标系“{v}”无法识别 (unknown coordinate system)")
                usable[i] = False
            else:
                row_crs[i] = memo[v].value
    wlon = np.full(n, np.nan)
    wlat = np.full(n, np.nan)
    for system in CoordSystem:
        group = usable & (row_crs == system.value)
        if not group.any():
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OutsideChinaWarning)
            cl, ct = convert(lon=lon[group], lat=lat[group], src=system, dst=CoordSystem.WGS84)
        wlon[group], wlat[group] = cl, ct
    min_lon, min_lat, max_lon, max_lat = CITY_BBOX
    in_box = (wlon >= min_lon) & (wlon <= max_lon) & (wlat >= min_lat) & (wlat <= max_lat)
    for i in np.flatnonzero(usable & looks_swapped):
        if in_box[i]:
            rows.add(
                i,
                Verdict.WARN,
                f"经纬度填反，已对调为 经度 {lon[i]:.7g}、纬度 {lat[i]:.7g} "
                "(latitude and longitude were swapped; swapped back)",
            )
        else:
            rows.add(
                i,
                Verdict.REJECT,
                "经纬度疑似填反，对调后仍不在长治市 (latitude/longitude look swapped and the "
                "point is outside 长治市 either way)",
            )
    far = usable & ~in_box & ~looks_swapped
    for i in np.flatnonzero(far):
        rows.add(
            i,
            Verdict.REJECT,
            f"位置（{wlon[i]:.4f}, {wlat[i]:.4f}）远在长治市范围之外 "
            f"(point lies far outside 长治市; check the coordinates and the coordinate system)",
        )
    usable &= in_box
    wlon[~usable] = np.nan
    wlat[~usable] = np.nan
    # point-in-county checks against the real boundaries
    found = _county_of_points(wlon, wlat, counties)
    for i in np.flatnonzero(usable):
        if found[i] == "":
            rows.add(
                i,
                Verdict.WARN,
                "位置在长治市界外（邻近地区），请核对 (point lies just outside the city boundary)",
            )
        elif adcode[i] and found[i] != adcode[i]:
            rows.add(
                i,
                Verdict.WARN,
                f"位置落在{_county_name(found[i])}，而所填县区为{_county_name(adcode[i])} "
                f"(point lies in {BY_ADCODE[found[i]].name_en}, not in the stated county)",
            )
        elif not adcode[i]:
            adcode[i] = found[i]
            rows.add(
                i,
                Verdict.WARN,
                f"未填县区，按位置取为{_county_name(found[i])} (county taken from the point)",
            )
    return wlon, wlat, no_coords


def _geocode_missing(
    todo: np.ndarray,
    *,
    location: pd.Series,
    names: pd.Series,
    county_text: pd.Series,
    adcode: np.ndarray,
    rows: _Rows,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geocode rows without coordinates from their county and location text."""
    from geodata.geocode import geocode_many

    n = len(todo)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    precision = np.full(n, "", dtype=object)
    idx = np.flatnonzero(todo)
    if not len(idx):
        return lon, lat, precision
    loc = location.to_numpy(dtype=object)[idx]
    nam = names.to_numpy(dtype=object)[idx]
    where = county_text.to_numpy(dtype=object)[idx]
    texts = [
        " ".join(part for part in (w if not adcode[i] else "", a, b) if part)
        for i, w, a, b in zip(idx, where, loc, nam, strict=True)
    ]
    found = geocode_many(texts, [adcode[i] or None for i in idx])
    for j, i in enumerate(idx):
        res = found.iloc[j]
        if not res["resolved"]:
            continue
        lon[i], lat[i] = res["lon"], res["lat"]
        precision[i] = res["precision"]
        if not adcode[i] and res["adcode"]:
            adcode[i] = res["adcode"]
        coarse = Precision(res["precision"]).rank >= Precision.COUNTY.rank
        rows.add(
            i,
            Verdict.WARN,
            (
                f"无坐标，仅定位到{res['matched']}（{Precision(res['precision']).zh}），需复核 "
                f"(no coordinates; placed at {res['precision']} level only, needs review)"
                if coarse
                else f"无坐标，按地名“{res['matched']}”定位（{Precision(res['precision']).zh}）"
                f"(no coordinates; geocoded from {res['matched']!r})"
            ),
        )
    return lon, lat, precision


def _duplicates(
    ids: np.ndarray, explicit: np.ndarray, names: np.ndarray, adcode: np.ndarray, rows: _Rows
) -> list[RowIssue]:
    """Report repeated ids and repeated names within a county (later rows)."""
    found: list[RowIssue] = []
    first_id: dict[str, int] = {}
    first_name: dict[tuple[str, str], int] = {}
    live = ~rows.rejected()
    for i in np.flatnonzero(live):
        row = int(rows.rows[i])
        key = (adcode[i], names[i])
        if ids[i] in first_id:
            other = first_id[ids[i]]
            if explicit[i]:
                msg = (
                    f"项目编号 {ids[i]} 与第 {other} 行重复 (duplicate id {ids[i]}, "
                    f"same as row {other})"
                )
            else:
                msg = (
                    f"与第 {other} 行项目名称和县区相同，视为重复 (same name and county as "
                    f"row {other}: duplicate)"
                )
            rows.add(i, Verdict.REJECT, msg)
            found.append(RowIssue(row, msg, names[i]))
            continue
        first_id[ids[i]] = row
        if key in first_name and names[i]:
            other = first_name[key]
            msg = (
                f"与第 {other} 行项目名称和县区相同（编号不同），请确认 "
                f"(same name and county as row {other} with another id: check)"
            )
            rows.add(i, Verdict.WARN, msg)
            found.append(RowIssue(row, msg, names[i]))
        else:
            first_name[key] = row
    return found


# importer defaults that stand for a blank or unrecognised cell, not a stated value
_DEFAULT_VALUES: dict[str, str] = {
    "subcategory": Subcategory.OTHER.value,
    "stage": Stage.UNKNOWN.value,
}
# how well a point is placed; an update never replaces a point by a coarser one
_PRECISION_RANK: dict[str, int] = {
    "": 0,
    Precision.CITY.value: 1,
    Precision.COUNTY.value: 2,
    Precision.PLACE.value: 3,
    Precision.EXACT.value: 4,
}


def _merged_update(new: pd.Series, old: pd.Series) -> list[object]:
    """Return ``new`` as an update of ``old``: blank or default cells keep ``old``'s values."""
    out = new.copy()
    out["id"] = old.name
    for col in REGISTER_COLUMNS:
        if col in ("id", "lon", "lat", "precision", "source_sentence"):
            continue
        value = new[col]
        if (pd.isna(value) or value == "" or _DEFAULT_VALUES.get(col) == value) and (
            col != "subcategory" or out["category"] == old["category"]
        ):
            out[col] = old[col]
    # the register's source quote stays; the import is recorded in the history
    if old["source_sentence"]:
        out["source_sentence"] = old["source_sentence"]
    if _PRECISION_RANK.get(old["precision"], 0) > _PRECISION_RANK.get(new["precision"], 0):
        out["lon"], out["lat"], out["precision"] = old["lon"], old["lat"], old["precision"]
    return [out[c] for c in REGISTER_COLUMNS]


def _match_existing(
    frame: pd.DataFrame, *, explicit: np.ndarray, live: np.ndarray, existing: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Match rows to register projects of the same name and county under another id.

    A row without an id that names exactly one such project takes its id and
    updates it (blank cells keep the project's values, a coarser point never
    replaces a better one); every other match is a warning.

    Parameters
    ----------
    frame : pandas.DataFrame
        Import rows in register columns.
    explicit : numpy.ndarray of bool
        Whether each row's id was given in the file.
    live : numpy.ndarray of bool
        Rows still to import (not rejected).
    existing : pandas.DataFrame or None
        The register's current projects (register columns).

    Returns
    -------
    tuple
        The frame with adopted ids and merged values, and ``(position,
        message)`` for every matched row.
    """
    out = frame.copy()
    notes: list[tuple[int, str]] = []
    if existing is None or not len(existing):
        return out, notes
    known: dict[tuple[str, str], list[str]] = {}
    for pid, name, county in zip(
        existing["id"], existing["name_zh"], existing["county_adcode"], strict=True
    ):
        if name:
            known.setdefault((str(county), str(name)), []).append(str(pid))
    old_rows = pd.DataFrame(existing).drop(columns="geometry", errors="ignore").set_index("id")
    taken = set(out["id"][live])
    cols = list(REGISTER_COLUMNS)
    keys = list(zip(out["county_adcode"].astype(str), out["name_zh"].astype(str), strict=True))
    ids = out["id"].to_numpy(dtype=object)
    for i in np.flatnonzero(live):
        matches = known.get(keys[i], [])
        if not matches or ids[i] in matches:
            continue
        row = out.iloc[i]
        listed = "、".join(matches)
        if explicit[i]:
            msg = (
                f"项目库中已有同名同县区项目 {listed}（编号不同），请确认是否重复 "
                f"(the register already has {listed} with this name and county under "
                "another id: check for a duplicate)"
            )
        elif len(matches) > 1 or matches[0] in taken:
            msg = (
                f"与项目库中 {listed} 同名同县区，无法确定更新哪一个，已作为新项目导入，请确认 "
                f"(same name and county as {listed} in the register, which cannot be told "
                "apart: imported as a new project, check)"
            )
        else:
            out.loc[out.index[i], cols] = _merged_update(row, old_rows.loc[matches[0]])
            taken.add(matches[0])
            msg = (
                f"与项目库中 {matches[0]} 同名同县区，已按更新该项目导入（表中空白的字段保留原值）"
                f"(same name and county as {matches[0]} in the register: updates that "
                "project; blank cells keep its values)"
            )
        notes.append((int(i), msg))
    return out, notes


def _register_gate(frame: pd.DataFrame, located: np.ndarray, rows: _Rows) -> None:
    """Run the register's own validator over the accepted rows; its problems reject."""
    from geodata.register import RegisterError, validate_register

    live = np.flatnonzero(~rows.rejected())
    if not len(live):
        return
    text = frame.iloc[live].copy()
    for col in ("lon", "lat", "investment_yi", "capacity_value"):
        text[col] = [number_text(v) if not pd.isna(v) else "" for v in text[col]]
    try:
        validate_register(text.reset_index(drop=True))
    except RegisterError as exc:
        for problem in exc.problems:
            if problem.row == 0:
                continue
            i = live[problem.row - 1]
            # rows awaiting a location have no point or precision yet, by design
            if not located[i] and problem.field in ("lon", "lat", "precision"):
                continue
            rows.add(
                i,
                Verdict.REJECT,
                f"不符合项目库规范：{problem.field} {problem.message} (register rule)",
            )


def validate_rows(
    table: pd.DataFrame,
    *,
    crs: CoordSystem | str = CoordSystem.WGS84,
    filename: str = "",
    counties: gpd.GeoDataFrame | None = None,
    existing: pd.DataFrame | None = None,
) -> ImportResult:
    """Check every row of a read table and build the register rows.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`read_table` (text cells, index = spreadsheet row).
    crs : CoordSystem or str
        Coordinate system the file's 经度/纬度 are in; a 坐标系 column, when
        present, overrides it row by row (``WGS84``, ``GCJ-02``/``高德``, ``BD-09``/``百度``).
    filename : str
        Name written into the report and each row's ``source_sentence``.
    counties : geopandas.GeoDataFrame, optional
        County boundaries (default :func:`geodata.boundaries.load_counties`).
    existing : pandas.DataFrame, optional
        The register the rows go into (e.g. ``store.projects(include_unlocated=True)``).
        A row without an id whose name and county match exactly one of its
        projects updates that project (it takes the project's id; blank cells
        keep the project's values); a row with another id, or matching several
        projects, is imported as given with a warning. Both are listed in the
        report's ``duplicates``.

    Returns
    -------
    ImportResult
        Accepted rows in register shape, the preview and the report.

    Raises
    ------
    IngestError
        When a required column is missing (the message names it).
    """
    system = CoordSystem(crs)
    header = map_headers([str(c) for c in table.columns])
    missing = missing_fields(header)
    if missing:
        raise IngestError(
            f"缺少必填列：{'、'.join(missing)}；现有列：{'、'.join(map(str, table.columns))} "
            f"(missing required column(s): {', '.join(missing)})"
        )
    if ("lon" in header.fields) != ("lat" in header.fields):
        have, lack = ("经度", "纬度") if "lon" in header.fields else ("纬度", "经度")
        raise IngestError(f"有“{have}”列但缺少“{lack}”列 (one coordinate column is missing)")
    counties = load_counties() if counties is None else counties
    n = len(table)
    row_numbers = table.index.to_numpy(dtype=int)
    rows = _Rows(row_numbers)
    names = _column(table, header, "name_zh")
    for i in np.flatnonzero((names == "").to_numpy()):
        rows.add(i, Verdict.REJECT, "项目名称为空 (project name is empty)")
    # county: today's name, former name or adcode
    county_text = _column(table, header, "county")
    county_memo = {v: _county(v) if v else "" for v in pd.unique(county_text)}
    adcode = np.array([county_memo[v] or "" for v in county_text], dtype=object)
    for i in np.flatnonzero(np.array([county_memo[v] is None for v in county_text], dtype=bool)):
        rows.add(
            i,
            Verdict.REJECT,
            f"县区“{county_text.iloc[i]}”不是长治市的县区 (unknown county)",
        )
    # category and subcategory through the lookup tables
    cat_text = _column(table, header, "category")
    sub_text = _column(table, header, "subcategory")
    category = np.full(n, "", dtype=object)
    subcategory = np.full(n, "", dtype=object)
    for i, (ct, st) in enumerate(zip(cat_text, sub_text, strict=True)):
        sub = lookup_subcategory(st) if st else Subcategory.OTHER
        if sub is None:
            rows.add(i, Verdict.WARN, f"子类“{st}”无法识别，记为其他 (unknown subcategory)")
            sub = Subcategory.OTHER
        cat = lookup_category(ct) if ct else sub.category
        if cat is None:
            rows.add(
                i,
                Verdict.REJECT,
                f"类别“{ct}”无法识别，应为 能源/产业/民生 (unknown category)"
                if ct
                else "类别为空 (category is empty)",
            )
            continue
        if sub.category is not None and sub.category is not cat:
            rows.add(
                i,
                Verdict.REJECT,
                f"子类“{sub.zh}”属于{sub.category.zh}，与类别“{cat.zh}”不符 "
                "(subcategory belongs to another category)",
            )
            continue
        category[i], subcategory[i] = cat.value, sub.value
    # stage vocabulary
    stage_text = _column(table, header, "stage")
    stage_memo = {v: lookup_stage(v) for v in pd.unique(stage_text)}
    stage = np.array([(stage_memo[v] or Stage.UNKNOWN).value for v in stage_text], dtype=object)
    for i in np.flatnonzero(np.array([stage_memo[v] is None for v in stage_text], dtype=bool)):
        rows.add(
            i, Verdict.WARN, f"建设阶段“{stage_text.iloc[i]}”无法识别，记为未知 (unknown stage)"
        )
    # amounts in 亿元
    invest_memo: dict[str, Parsed] = {}
    investment = np.full(n, np.nan)
    if "investment" in header.fields:
        inv_text = _column(table, header, "investment")
        for v in pd.unique(inv_text):
            invest_memo[v] = parse_amount(v, default_unit=header.investment_unit)
        for i, v in enumerate(inv_text):
            parsed = invest_memo[v]
            investment[i] = parsed.value
            rows.add(i, parsed.verdict, parsed.message)
    # coordinates stated in the file
    if "lon" in header.fields:
        lon, lat, todo = _coordinates(
            table, header, rows, crs=system, adcode=adcode, counties=counties
        )
    else:
        lon, lat, todo = np.full(n, np.nan), np.full(n, np.nan), np.ones(n, dtype=bool)
    precision = np.where(np.isnan(lon), "", Precision.EXACT.value).astype(object)
    # rows without coordinates: offline geocoding from county and location text
    location = _column(table, header, "location_text")
    todo &= ~rows.rejected()
    glon, glat, gprec = _geocode_missing(
        todo, location=location, names=names, county_text=county_text, adcode=adcode, rows=rows
    )
    lon = np.where(todo, glon, lon)
    lat = np.where(todo, glat, lat)
    precision = np.where(todo, gprec, precision)
    unresolved_mask = todo & np.isnan(lon)
    # ids: given, or stable ones from county and name
    given_ids = _column(table, header, "id").to_numpy(dtype=object)
    explicit = given_ids != ""
    name_arr = names.to_numpy(dtype=object)
    ids = np.array(
        [given_ids[i] if explicit[i] else _generated_id(adcode[i], name_arr[i]) for i in range(n)],
        dtype=object,
    )
    source = PurePath(filename).name or "spreadsheet"
    frame = pd.DataFrame(
        {
            "id": ids,
            "name_zh": name_arr,
            "name_en": _column(table, header, "name_en").to_numpy(dtype=object),
            "category": category,
            "subcategory": subcategory,
            "company": _column(table, header, "company").to_numpy(dtype=object),
            "county_adcode": adcode,
            "location_text": location.to_numpy(dtype=object),
            "lon": np.round(lon, 7),
            "lat": np.round(lat, 7),
            "precision": precision,
            "stage": stage,
            "investment_yi": investment,
            "capacity_value": np.nan,
            "capacity_unit": "",
            "capacity_text": _column(table, header, "capacity_text").to_numpy(dtype=object),
            "source_sentence": [
                f"导入自 {source} 第 {r} 行 (imported from {source}, row {r})" for r in row_numbers
            ],
        },
        columns=list(REGISTER_COLUMNS),
    )
    # projects already in the register under another id, then repeats within the file
    frame, matched = _match_existing(
        frame, explicit=explicit, live=~rows.rejected(), existing=existing
    )
    for i, msg in matched:
        rows.add(i, Verdict.WARN, msg)
    duplicates = [RowIssue(int(row_numbers[i]), msg, name_arr[i]) for i, msg in matched]
    duplicates += _duplicates(frame["id"].to_numpy(dtype=object), explicit, name_arr, adcode, rows)
    # an update that keeps the register's point needs no location
    unresolved_mask &= np.isnan(frame["lon"].to_numpy(dtype=float))
    _register_gate(frame, ~np.isnan(frame["lon"].to_numpy(dtype=float)), rows)
    return _assemble(
        table,
        frame,
        rows,
        header=header,
        unresolved_mask=unresolved_mask,
        duplicates=duplicates,
        filename=source,
        crs=system,
    )


def _assemble(
    table: pd.DataFrame,
    frame: pd.DataFrame,
    rows: _Rows,
    *,
    header: HeaderMap,
    unresolved_mask: np.ndarray,
    duplicates: list[RowIssue],
    filename: str,
    crs: CoordSystem,
) -> ImportResult:
    """Build the result: statuses, report lists, register frame and preview."""
    rejected = rows.rejected()
    names = frame["name_zh"].to_numpy(dtype=object)
    status = np.full(len(frame), RowStatus.ACCEPTED.value, dtype=object)
    warn_list: list[RowIssue] = []
    rej_list: list[RowIssue] = []
    unresolved: list[RowIssue] = []
    messages: list[str] = []
    for i, row in enumerate(rows.rows):
        row = int(row)
        if rejected[i]:
            status[i] = RowStatus.REJECTED.value
            reason = "；".join(rows.reject[i])
            rej_list.append(RowIssue(row, reason, names[i]))
            messages.append(reason)
            continue
        for msg in rows.warn[i]:
            warn_list.append(RowIssue(row, msg, names[i]))
        if unresolved_mask[i]:
            status[i] = RowStatus.NEEDS_REVIEW.value
            reason = (
                "无坐标且无法由县区和建设地点定位，待人工定位 "
                "(no coordinates and no place found: set the point by hand)"
            )
            unresolved.append(RowIssue(row, reason, names[i]))
            messages.append("；".join([*rows.warn[i], reason]))
        else:
            if rows.warn[i]:
                status[i] = RowStatus.WARNINGS.value
            messages.append("；".join(rows.warn[i]))
    keep = ~rejected
    projects = register_frame(frame[keep]) if keep.any() else register_frame(frame.iloc[:0])
    preview = projects.copy()
    preview["row"] = rows.rows[keep]
    preview["status"] = status[keep]
    preview["messages"] = np.array(messages, dtype=object)[keep]
    rejected_rows = table[rejected].copy()
    rejected_rows.insert(0, "原行号 (row)", rows.rows[rejected])
    rejected_rows["拒绝原因 (reason)"] = [r.reason for r in rej_list]
    report = ImportReport(
        filename=filename,
        crs=crs,
        total=len(frame),
        accepted=int(keep.sum()),
        warnings=warn_list,
        rejected=rej_list,
        unresolved=unresolved,
        duplicates=duplicates,
        encoding=str(table.attrs.get("encoding", "")),
        sheet=str(table.attrs.get("sheet", "")),
        columns=dict(header.fields),
        ignored_columns=list(header.unknown),
        status=pd.Series(status, index=pd.Index(rows.rows, name="row"), name="status"),
        rejected_rows=rejected_rows.reset_index(drop=True),
    )
    return ImportResult(projects=projects, preview=preview, report=report)


def import_table(
    data: bytes,
    *,
    filename: str,
    crs: CoordSystem | str = CoordSystem.WGS84,
    existing: pd.DataFrame | None = None,
) -> ImportResult:
    """Check, read and validate an uploaded spreadsheet (nothing is written).

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        Its name (``.csv`` or ``.xlsx``).
    crs : CoordSystem or str
        The coordinate system its coordinates are in (default WGS-84).
    existing : pandas.DataFrame, optional
        The register the rows go into, to find projects it already holds
        (see :func:`validate_rows`).

    Returns
    -------
    ImportResult
        Accepted rows (register shape), preview and report.

    Raises
    ------
    IngestError
        When the file cannot be read at all (one-line message).
    """
    table = read_table(data, filename=filename)
    return validate_rows(table, crs=crs, filename=filename, existing=existing)


def _match_store(result: ImportResult, store: ProjectStore) -> None:
    """Match an import's rows against the store's current projects, recording new matches."""
    frame = pd.DataFrame(result.projects.drop(columns="geometry"))
    if not len(frame):
        return
    generated = np.array(
        [
            _generated_id(a, n)
            for a, n in zip(frame["county_adcode"], frame["name_zh"], strict=True)
        ],
        dtype=object,
    )
    explicit = frame["id"].to_numpy(dtype=object) != generated
    frame, matched = _match_existing(
        frame,
        explicit=explicit,
        live=np.ones(len(frame), dtype=bool),
        existing=store.projects(include_unlocated=True),
    )
    rep = result.report
    seen = {(d.row, d.reason) for d in rep.duplicates}
    new = False
    for i, msg in matched:
        row = int(result.preview["row"].iloc[i])
        if (row, msg) in seen:
            continue
        issue = RowIssue(row, msg, str(frame["name_zh"].iloc[i]))
        rep.duplicates.append(issue)
        rep.warnings.append(issue)
        if rep.status.get(row) == RowStatus.ACCEPTED.value:
            rep.status.loc[row] = RowStatus.WARNINGS.value
        new = True
    if new:
        result.projects = register_frame(frame)


def commit_import(
    result: ImportResult,
    *,
    store: ProjectStore,
    author: Author,
    base_version: int,
    message: str = "",
) -> int:
    """Commit an import's accepted rows to the store as one new version.

    The rows are first matched against the store's current projects as in
    :func:`validate_rows` (the store may have changed since the rows were
    checked): a row without an id naming exactly one project of the same
    county under another id updates it. Matches found only now are added to
    ``result`` (its projects, and its report's warnings, duplicates and
    statuses), so the report written afterwards tells them.

    Parameters
    ----------
    result : ImportResult
        From :func:`import_table`.
    store : ProjectStore
        The target store.
    author : Author
        Who imports (the caller checked that they are staff).
    base_version : int
        The store version the rows were checked against (kept from
        validation); projects changed since then are not overwritten.
    message : str
        Note for the history (default names the file and counts).

    Returns
    -------
    int
        The new version.

    Raises
    ------
    PermissionError
        Without an author.
    geodata.store.StaleBase
        When a project the import changes was changed after ``base_version``;
        nothing is written.
    geodata.store.StoreBusy
        When the store is locked by another program; nothing is written.
    """
    if not isinstance(author, Author):
        raise PermissionError("需要工作人员登录 (staff sign-in required)")
    rep = result.report
    _match_store(result, store)
    note = message or (
        f"导入 {rep.filename}：接受 {rep.accepted} 行，拒绝 {len(rep.rejected)} 行 "
        f"(import {rep.filename}: {rep.accepted} accepted, {len(rep.rejected)} rejected)"
    )
    return store.commit(result.projects, author=author, base_version=base_version, message=note)


def _report_path_problem(path: Path) -> str | None:
    """Return why ``path`` cannot be written as the report, or None when it can."""
    if path.is_dir():
        return f"cannot write the report to {path}: it is a folder"
    existed = path.exists()
    try:
        # open for appending: creates nothing lasting and truncates nothing
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        return f"cannot write the report to {path}: {exc.strerror}"
    if not existed:
        path.unlink(missing_ok=True)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; see ``python -m geodata.ingest --help``."""
    parser = argparse.ArgumentParser(
        prog="python -m geodata.ingest",
        description="Import a staff spreadsheet (CSV/XLSX) into the project store.",
    )
    parser.add_argument("file", type=Path, help="the .csv or .xlsx file")
    parser.add_argument(
        "--crs",
        choices=[c.value for c in CoordSystem],
        default=CoordSystem.WGS84.value,
        help="coordinate system of the file's coordinates (default wgs84)",
    )
    parser.add_argument(
        "--store", default=None, help="store path or URL (default: CHANGZHI_STORE or the app's)"
    )
    parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    parser.add_argument("--report", type=Path, required=True, help="report JSON to write")
    parser.add_argument("--user", default=None, help="who imports (default $USER)")
    parser.add_argument("--message", default="", help="note for the store history")
    args = parser.parse_args(argv)
    from geodata.store import StoreError, open_default_store, open_store

    # the report must be writable before anything touches the store
    problem = _report_path_problem(args.report)
    if problem:
        print(f"error: {problem}; nothing written", file=sys.stderr)
        return 2
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        table = read_table(data, filename=args.file.name)
    except IngestError as exc:
        print(f"error: {args.file.name}: {exc}", file=sys.stderr)
        return 2
    # check against the register the rows go into, at the version the commit is based on
    try:
        store = open_store(args.store) if args.store else open_default_store()
        base_version = store.current_version()
        existing = store.projects(include_unlocated=True)
        result = validate_rows(table, crs=args.crs, filename=args.file.name, existing=existing)
    except IngestError as exc:
        print(f"error: {args.file.name}: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    version = None
    if not args.dry_run and result.report.accepted:
        try:
            version = commit_import(
                result,
                store=store,
                author=system_identity(args.user).author(),
                base_version=base_version,
                message=args.message,
            )
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 3
    report = result.report.to_dict()
    report["committed_version"] = version
    report["dry_run"] = bool(args.dry_run)
    try:
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        done = f"store version {version} was committed" if version else "nothing was written"
        print(
            f"error: cannot write the report to {args.report}: {exc.strerror} ({done})",
            file=sys.stderr,
        )
        return 4
    counts = result.report.counts()
    print(
        f"{args.file.name}: {result.report.total} rows, {result.report.accepted} accepted "
        f"({counts[RowStatus.WARNINGS.value]} with warnings, "
        f"{counts[RowStatus.NEEDS_REVIEW.value]} need a location), "
        f"{len(result.report.rejected)} rejected"
        + (f"; store version {version}" if version else "; nothing written")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
