"""Parsing helpers for staff spreadsheets: encodings, headers, amounts, numbers, vocabularies.

Plumbing for :mod:`geodata.ingest`. Each helper takes one cell's text and
returns a value plus, where the text is doubtful, a message for the row; none
of them guesses silently (an amount that cannot be read is never 0, bytes
that cannot be decoded are never replaced).
"""

from __future__ import annotations

import io
import math
import posixpath
import pyexpat
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from geodata.coords import CoordSystem
from geodata.schema import Category, Stage, Subcategory

_T = TypeVar("_T")


class DecodeError(ValueError):
    """The bytes decode as neither UTF-8 nor GB18030.

    Attributes
    ----------
    offset : int
        Byte offset where decoding failed, in whichever of UTF-8 and GB18030
        got further (the message gives both).
    """

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode spreadsheet text: UTF-8 (with or without BOM), then GB18030.

    Parameters
    ----------
    data : bytes
        Raw file content.

    Returns
    -------
    tuple of (str, str)
        The text and the encoding used (``"utf-8-sig"``, ``"utf-8"`` or ``"gb18030"``).

    Raises
    ------
    DecodeError
        When neither encoding decodes every byte; the message gives the offset.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            offset = exc.start + 3
            raise DecodeError(
                f"文件以 UTF-8 BOM 开头，但第 {offset} 字节处不是有效的 UTF-8 "
                f"(file starts with a UTF-8 BOM but byte {offset} is not valid UTF-8)",
                offset=offset,
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_exc:
        utf8_offset = utf8_exc.start
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as gb_exc:
        offset = max(gb_exc.start, utf8_offset)
        raise DecodeError(
            f"无法识别文件编码：第 {utf8_offset} 字节不是 UTF-8，第 {gb_exc.start} 字节不是 "
            f"GB18030/GBK；请另存为 UTF-8 或 GBK (cannot decode: byte {utf8_offset} is not "
            f"UTF-8, byte {gb_exc.start} is not GB18030/GBK; save the file as UTF-8 or GBK)",
            offset=offset,
        ) from None


def normalise(text: str) -> str:
    """Fold full-width characters and trim spaces (NFKC, then strip).

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    str
        ``"１，２００万元"`` becomes ``"1,200万元"``; ideographic spaces become spaces.
    """
    return unicodedata.normalize("NFKC", text).strip()


# register field -> accepted header spellings (compared after normalising, case-folded)
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("项目编号", "项目代码", "编号", "项目id", "id", "project id", "project_id", "code"),
    "name_zh": ("项目名称", "名称", "项目名", "name_zh", "name", "project name", "project"),
    "name_en": ("英文名称", "name_en", "english name"),
    "category": ("类别", "项目类别", "分类", "大类", "category", "type"),
    "subcategory": ("子类", "项目子类", "细分类别", "小类", "行业", "subcategory"),
    "company": (
        "企业",
        "建设单位",
        "项目单位",
        "企业名称",
        "业主单位",
        "责任单位",
        "company",
        "owner",
    ),
    "county": ("所在县区", "县区", "县(区)", "所属县区", "县市区", "区县", "county", "district"),
    "location_text": ("建设地点", "地点", "项目地址", "地址", "位置", "location", "address"),
    "investment": (
        "总投资",
        "总投资(亿元)",
        "总投资(万元)",
        "计划总投资",
        "投资额",
        "investment",
        "investment_yi",
        "total investment",
    ),
    "stage": ("建设阶段", "阶段", "项目阶段", "所处阶段", "项目状态", "stage", "status"),
    "lon": ("经度", "lon", "lng", "longitude", "x"),
    "lat": ("纬度", "lat", "latitude", "y"),
    "crs": ("坐标系", "坐标系统", "坐标类型", "crs", "coordinate system"),
    "capacity_text": ("建设规模", "规模", "建设内容及规模", "capacity", "capacity_text"),
}

# fields a file must have (category may come from the subcategory column)
REQUIRED_FIELDS: tuple[str, ...] = ("name_zh", "county")

FIELD_LABELS: dict[str, str] = {
    "name_zh": "项目名称 (name)",
    "county": "所在县区 (county)",
    "category": "类别 (category)",
    "lon": "经度 (longitude)",
    "lat": "纬度 (latitude)",
}


def _header_key(text: str) -> str:
    """Normalise a header for lookup: NFKC, case-fold, no spaces or stars."""
    return re.sub(r"[\s*＊:：]", "", normalise(str(text)).casefold())


_HEADER_LOOKUP: dict[str, str] = {
    _header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases
}
_UNIT_IN_HEADER = re.compile(r"[(（\[【](亿元|万元|亿|万|元)[)）\]】]")


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """How a file's columns map to register fields.

    Attributes
    ----------
    fields : dict[str, str]
        Register field -> the file's column name.
    investment_unit : str
        ``"亿元"`` unless the investment header names another unit (``总投资（万元）``).
    unknown : tuple[str, ...]
        Columns that map to no field (kept out of the register, listed in the report).
    """

    fields: dict[str, str]
    investment_unit: str
    unknown: tuple[str, ...]


def match_header(text: str) -> str | None:
    """Return the register field a header names, or ``None``.

    Parameters
    ----------
    text : str
        A header cell such as ``总投资（万元）`` or ``Longitude``.

    Returns
    -------
    str or None
        Field name (``"investment"``, ``"lon"``...).
    """
    key = _header_key(text)
    if key in _HEADER_LOOKUP:
        return _HEADER_LOOKUP[key]
    bare = _header_key(_UNIT_IN_HEADER.sub("", normalise(str(text))))
    return _HEADER_LOOKUP.get(bare)


def map_headers(columns: list[str]) -> HeaderMap:
    """Map a file's header row to register fields.

    Parameters
    ----------
    columns : list of str
        Header cells in file order.

    Returns
    -------
    HeaderMap
        The first column naming each field wins.
    """
    fields: dict[str, str] = {}
    unknown: list[str] = []
    unit = "亿元"
    for col in columns:
        field = match_header(col)
        if field is None or field in fields:
            if str(col).strip():
                unknown.append(str(col))
            continue
        fields[field] = col
        if field == "investment":
            found = _UNIT_IN_HEADER.search(normalise(str(col)))
            if found:
                unit = "万元" if found.group(1).startswith("万") else found.group(1)
                unit = "亿元" if unit == "亿" else unit
    return HeaderMap(fields=fields, investment_unit=unit, unknown=tuple(unknown))


def missing_fields(header: HeaderMap) -> list[str]:
    """Return readable labels of required fields the header lacks.

    Parameters
    ----------
    header : HeaderMap
        Output of :func:`map_headers`.

    Returns
    -------
    list of str
        Empty when every required column is present.
    """
    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in header.fields]
    if "category" not in header.fields and "subcategory" not in header.fields:
        missing.append(FIELD_LABELS["category"])
    return missing


class Verdict(StrEnum):
    """How a parsed cell should affect its row."""

    OK = "ok"
    WARN = "warn"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed cell: the value and, when doubtful, why.

    Attributes
    ----------
    value : float
        The number (``nan`` when not stated or rejected).
    verdict : Verdict
        ``ok``, ``warn`` (keep the row, report the message) or ``reject``.
    message : str
        Empty when ``ok``.
    """

    value: float
    verdict: Verdict = Verdict.OK
    message: str = ""


# amount units -> factor to 亿元
_UNIT_FACTOR: dict[str, float] = {
    "亿元": 1.0,
    "亿": 1.0,
    "万元": 1e-4,
    "万": 1e-4,
    "元": 1e-8,
}
_NOT_STATED = frozenset(
    {"", "-", "--", "—", "——", "–", "/", "无", "暂无", "待定", "未定", "不详", "未知", "n/a", "na"}
)
_APPROX = re.compile(r"^(约|大约|近|超|超过|逾|达|计划|预计|不少于|不低于)")
_APPROX_TAIL = re.compile(r"(左右|以上|多|余)$")
_AMOUNT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?$")


def parse_amount(text: str, *, default_unit: str = "亿元") -> Parsed:
    """Parse an investment amount into 亿元.

    Parameters
    ----------
    text : str
        ``5.39亿元``, ``3000万元``, ``１，２００万元``, ``5.39 亿``, ``5.39`` ...
    default_unit : str
        Unit of a bare number (``亿元`` unless the header says ``万元``).

    Returns
    -------
    Parsed
        ``ok`` with the value in 亿元; ``warn`` with the value for an
        approximate amount (``约5亿``); ``warn`` with ``nan`` when not stated
        (``待定``, ``—``, empty); ``reject`` when the text is not an amount.
    """
    raw = normalise(text)
    key = raw.casefold()
    if key in _NOT_STATED:
        shown = raw or "空"
        return Parsed(math.nan, Verdict.WARN, f"总投资未填写（{shown}）(investment not stated)")
    body = raw.replace(",", "").replace(" ", "").replace("人民币", "")
    approx = bool(_APPROX.search(body) or _APPROX_TAIL.search(body))
    body = _APPROX_TAIL.sub("", _APPROX.sub("", body))
    match = _AMOUNT.match(body)
    if match is None:
        return Parsed(
            math.nan, Verdict.REJECT, f"总投资无法识别：{raw!r} (investment not a number)"
        )
    value = float(match.group(1)) * _UNIT_FACTOR[match.group(2) or default_unit]
    if value < 0:
        return Parsed(math.nan, Verdict.REJECT, f"总投资为负数：{raw!r} (negative investment)")
    if approx:
        return Parsed(
            value, Verdict.WARN, f"总投资为约数：{raw!r}，按 {value:g} 亿元记 (approximate amount)"
        )
    return Parsed(value)


_DEGREES = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*°?\s*([EeNnWwSs东西南北])?$")


def parse_coordinate(text: str) -> Parsed:
    """Parse one coordinate cell (decimal degrees).

    Parameters
    ----------
    text : str
        ``113.1163``, ``１１３．１１６３``, ``113.1163°E``. Empty gives ``nan``
        with ``ok`` (the row is then geocoded).

    Returns
    -------
    Parsed
        ``reject`` for text, ``NaN`` spelled out, or infinite values.
    """
    raw = normalise(text)
    if raw == "":
        return Parsed(math.nan)
    match = _DEGREES.match(raw.replace(" ", ""))
    if match is None:
        return Parsed(
            math.nan, Verdict.REJECT, f"坐标不是数字：{raw!r} (coordinate is not a number)"
        )
    value = float(match.group(1))
    if match.group(2) and match.group(2) in "WwSs西南":
        value = -value
    return Parsed(value)


def number_text(value: object) -> str:
    """Render a spreadsheet cell as text without float noise.

    Parameters
    ----------
    value : object
        Cell value from openpyxl (``str``, ``int``, ``float``, ``datetime``, ``None``).

    Returns
    -------
    str
        ``5.0`` becomes ``"5"``; ``None`` becomes ``""``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


# stage vocabulary used by staff -> stage
STAGE_TERMS: dict[str, Stage] = {
    "谋划": Stage.PLANNING,
    "谋划库": Stage.PLANNING,
    "谋划项目": Stage.PLANNING,
    "规划": Stage.PLANNING,
    "planning": Stage.PLANNING,
    "储备": Stage.RESERVE,
    "储备库": Stage.RESERVE,
    "储备项目": Stage.RESERVE,
    "前期": Stage.RESERVE,
    "前期工作": Stage.RESERVE,
    "reserve": Stage.RESERVE,
    "建设": Stage.CONSTRUCTION,
    "在建": Stage.CONSTRUCTION,
    "建设中": Stage.CONSTRUCTION,
    "开工": Stage.CONSTRUCTION,
    "新开工": Stage.CONSTRUCTION,
    "已开工": Stage.CONSTRUCTION,
    "续建": Stage.CONSTRUCTION,
    "施工": Stage.CONSTRUCTION,
    "开工库": Stage.CONSTRUCTION,
    "construction": Stage.CONSTRUCTION,
    "under construction": Stage.CONSTRUCTION,
    "达产达效": Stage.OPERATION,
    "达产": Stage.OPERATION,
    "投产": Stage.OPERATION,
    "已投产": Stage.OPERATION,
    "投运": Stage.OPERATION,
    "运营": Stage.OPERATION,
    "建成": Stage.OPERATION,
    "竣工": Stage.OPERATION,
    "完工": Stage.OPERATION,
    "投产库": Stage.OPERATION,
    "operation": Stage.OPERATION,
    "in operation": Stage.OPERATION,
    "未知": Stage.UNKNOWN,
    "不详": Stage.UNKNOWN,
    "unknown": Stage.UNKNOWN,
}

# category vocabulary -> category
CATEGORY_TERMS: dict[str, Category] = {
    "能源": Category.ENERGY,
    "能源类": Category.ENERGY,
    "能源项目": Category.ENERGY,
    "新能源": Category.ENERGY,
    "energy": Category.ENERGY,
    "产业": Category.INDUSTRY,
    "产业类": Category.INDUSTRY,
    "产业项目": Category.INDUSTRY,
    "工业": Category.INDUSTRY,
    "industry": Category.INDUSTRY,
    "industrial": Category.INDUSTRY,
    "民生": Category.LIVELIHOOD,
    "民生类": Category.LIVELIHOOD,
    "民生项目": Category.LIVELIHOOD,
    "社会民生": Category.LIVELIHOOD,
    "livelihood": Category.LIVELIHOOD,
}

# subcategory vocabulary (codes and labels) -> subcategory
SUBCATEGORY_TERMS: dict[str, Subcategory] = {
    **{s.value: s for s in Subcategory},
    **{s.zh: s for s in Subcategory},
    **{s.en.casefold(): s for s in Subcategory},
}


def _term_key(text: str) -> str:
    return normalise(text).replace(" ", "").casefold()


def _lookup_key(text: str) -> str:
    return normalise(text).casefold()


def _lookup(terms: Mapping[str, _T], text: str) -> _T | None:
    """Find ``text`` in a term table: as written, then with its spaces removed."""
    return terms.get(_lookup_key(text)) or terms.get(_term_key(text))


def lookup_stage(text: str) -> Stage | None:
    """Map a stage term (``在建``, ``达产达效``, ``Reserve``) to a :class:`Stage`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    Stage or None
        ``Stage.UNKNOWN`` for an empty cell, ``None`` for an unknown term.
    """
    if not _lookup_key(text):
        return Stage.UNKNOWN
    return _lookup(STAGE_TERMS, text)


def lookup_category(text: str) -> Category | None:
    """Map a category term (``能源``, ``民生类``, ``Industry``) to a :class:`Category`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    Category or None
        ``None`` when empty or unknown.
    """
    return _lookup(CATEGORY_TERMS, text)


def lookup_subcategory(text: str) -> Subcategory | None:
    """Map a subcategory code or label (``光伏``, ``storage``) to a :class:`Subcategory`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    Subcategory or None
        ``None`` when empty or unknown.
    """
    return _lookup(SUBCATEGORY_TERMS, text)


# coordinate-system names staff write in a per-row column -> system
CRS_TERMS: dict[str, CoordSystem] = {
    "wgs84": CoordSystem.WGS84,
    "wgs-84": CoordSystem.WGS84,
    "wgs 84": CoordSystem.WGS84,
    "gps": CoordSystem.WGS84,
    "天地图": CoordSystem.WGS84,
    "cgcs2000": CoordSystem.WGS84,
    "gcj02": CoordSystem.GCJ02,
    "gcj-02": CoordSystem.GCJ02,
    "高德": CoordSystem.GCJ02,
    "腾讯": CoordSystem.GCJ02,
    "火星坐标": CoordSystem.GCJ02,
    "bd09": CoordSystem.BD09,
    "bd-09": CoordSystem.BD09,
    "百度": CoordSystem.BD09,
}


def lookup_crs(text: str) -> CoordSystem | None:
    """Map a coordinate-system name (``GCJ-02``, ``高德``, ``百度``) to a :class:`CoordSystem`.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    CoordSystem or None
        ``None`` when empty or unknown.
    """
    return _lookup(CRS_TERMS, text)


class XlsxError(ValueError):
    """An XLSX workbook cannot be read (damaged, unsafe or without sheets)."""


_NS_SEP = " "


def _expat(handlers: dict[str, object]) -> pyexpat.XMLParserType:
    """Namespace-aware expat parser that refuses DTDs and entity declarations."""
    parser = pyexpat.ParserCreate(namespace_separator=_NS_SEP)
    parser.buffer_text = True

    def refuse(*_args: object) -> None:
        raise XlsxError("XLSX 含 DTD/实体声明，已拒绝 (DTD or entity declaration in the workbook)")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    for name, handler in handlers.items():
        setattr(parser, name, handler)
    return parser


def _local(name: str) -> str:
    return name.rpartition(_NS_SEP)[2]


def _parse_xml(data: bytes, handlers: dict[str, object], part: str) -> None:
    try:
        _expat(handlers).Parse(data, True)
    except pyexpat.ExpatError as exc:
        raise XlsxError(
            f"XLSX 部件 {part} 不是有效的 XML (part {part} is not valid XML: {exc})"
        ) from None


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

    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError as exc:
        raise XlsxError(f"工作簿缺少部件 (workbook part missing: {exc})") from None
    _parse_xml(workbook, {"StartElementHandler": on_sheet}, "xl/workbook.xml")
    _parse_xml(rels, {"StartElementHandler": on_rel}, "xl/_rels/workbook.xml.rels")
    out = []
    for title, rid in sheets:
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out.append((title, posixpath.normpath(path)))
    return out


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """Shared strings of the workbook (phonetic runs left out)."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    state = {"buf": None, "in_t": False, "rph": 0}

    def start(name: str, _attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            state["buf"] = []
        elif local == "rPh":
            state["rph"] += 1
        elif local == "t":
            state["in_t"] = True

    def end(name: str) -> None:
        local = _local(name)
        if local == "si":
            strings.append("".join(state["buf"] or []))
            state["buf"] = None
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "t":
            state["in_t"] = False

    def text(data: str) -> None:
        if state["in_t"] and not state["rph"] and state["buf"] is not None:
            state["buf"].append(data)

    _parse_xml(
        archive.read("xl/sharedStrings.xml"),
        {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": text},
        "xl/sharedStrings.xml",
    )
    return strings


def _column_index(ref: str) -> int:
    """0-based column of a cell reference such as ``AB12``."""
    col = 0
    for ch in ref:
        if not ch.isalpha():
            break
        col = col * 26 + (ord(ch.upper()) - 64)
    return col - 1


def _number_cell(text: str) -> str:
    try:
        return number_text(float(text))
    except ValueError:
        return text


def _sheet_rows(data: bytes, shared: list[str], *, part: str, max_rows: int) -> list[list[str]]:
    """Cells of one sheet as text; ``rows[i]`` is spreadsheet row ``i + 1``."""
    rows: list[list[str]] = []
    cell = {"type": "", "col": -1, "buf": None, "capture": False, "rph": 0, "next": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "row":
            number = int(attrs.get("r", len(rows) + 1))
            if number > max_rows:
                raise XlsxError(f"more than {max_rows:,} rows")
            while len(rows) < number:
                rows.append([])
            cell["next"] = 0
        elif local == "c":
            ref = attrs.get("r")
            cell["col"] = _column_index(ref) if ref else cell["next"]
            cell["type"] = attrs.get("t", "n")
            cell["buf"] = []
        elif local == "v" or (local == "t" and cell["type"] == "inlineStr"):
            cell["capture"] = True
        elif local == "rPh":
            cell["rph"] += 1

    def end(name: str) -> None:
        local = _local(name)
        if local == "c":
            raw = "".join(cell["buf"] or [])
            kind = cell["type"]
            if kind == "s":
                value = shared[int(raw)] if raw.strip().isdigit() else ""
            elif kind == "b":
                value = "TRUE" if raw.strip() == "1" else "FALSE" if raw.strip() else ""
            elif kind == "n":
                value = _number_cell(raw) if raw else ""
            else:
                value = raw
            if not rows:
                rows.append([])
            row = rows[-1]
            col = cell["col"]
            if col >= len(row):
                row.extend([""] * (col + 1 - len(row)))
            row[col] = value
            cell["next"] = col + 1
            cell["buf"] = None
        elif local in ("v", "t"):
            cell["capture"] = False
        elif local == "rPh":
            cell["rph"] -= 1

    def text(data: str) -> None:
        if cell["capture"] and not cell["rph"] and cell["buf"] is not None:
            cell["buf"].append(data)

    _parse_xml(
        data,
        {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": text},
        part,
    )
    return rows


def xlsx_sheets(data: bytes, *, max_rows: int) -> Iterator[tuple[str, list[list[str]]]]:
    """Read the sheets of an XLSX workbook as rows of text, in workbook order.

    A streaming reader over the workbook's XML (expat, DTDs and entities
    refused), about ten times faster than openpyxl for large sheets. Numbers
    come out as in :func:`number_text`; dates stored as serial numbers are
    not converted (the register has no date fields).

    Parameters
    ----------
    data : bytes
        The workbook (checked for zip and XML bombs beforehand).
    max_rows : int
        Refuse a sheet with more rows than this.

    Yields
    ------
    tuple of (str, list of list of str)
        Sheet name and its rows; ``rows[i]`` is spreadsheet row ``i + 1``
        (missing rows are empty lists).

    Raises
    ------
    XlsxError
        Damaged workbook, unsafe XML or too many rows.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise XlsxError(f"damaged workbook: {exc}") from None
    with archive:
        shared = _shared_strings(archive)
        for title, part in _workbook_sheets(archive):
            try:
                content = archive.read(part)
            except KeyError:
                raise XlsxError(f"工作表 {title} 缺失 (sheet part {part} missing)") from None
            yield title, _sheet_rows(content, shared, part=part, max_rows=max_rows)
