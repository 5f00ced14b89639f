"""Data extracts of a project selection: CSV, XLSX, GeoJSON and GeoPackage.

CSV is UTF-8 with a byte-order mark so that Excel opens Chinese correctly.
In CSV, text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return are prefixed with a single quote so that a spreadsheet never
runs them as formulas. XLSX stores text cells as text; only a cell that
would read as a formula once typed or pasted (:func:`formula_like`: ``=...``,
or ``+``/``-``/``@`` followed by a function call, a cell reference, a DDE
pipe or arithmetic) gets the quote, so ``-3万`` stays ``-3万``. Numeric
columns stay numeric. With
``chinese_headers=True`` columns get Chinese names and coded values
(category, stage ...) their Chinese labels, and a county-name column is added.
"""

from __future__ import annotations

import io
import re
import tempfile
from enum import StrEnum
from pathlib import Path

import geopandas as gpd
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from geodata.coords import require_wgs84
from geodata.divisions import BY_ADCODE
from geodata.i18n import Lang, county_name, label
from geodata.schema import (
    REGISTER_COLUMNS,
    Category,
    KeyLevel,
    Major,
    Precision,
    Stage,
    Subcategory,
)
from geodata.settings import WGS84

EXTRACT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "geojson", "gpkg")
"""File formats of a data extract."""

HEADERS_ZH: dict[str, str] = {
    "id": "编号",
    "name_zh": "项目名称",
    "name_en": "英文名称",
    "category": "类别",
    "subcategory": "子类",
    "company": "建设单位",
    "county_adcode": "县区代码",
    "county_name": "县区",
    "location_text": "位置描述",
    "lon": "经度",
    "lat": "纬度",
    "precision": "定位精度",
    "stage": "阶段",
    "investment_yi": "投资额（亿元）",
    "key_level": "重点级别",
    "major_10yi": "10亿元以上",
    "capacity_value": "规模数值",
    "capacity_unit": "规模单位",
    "capacity_text": "规模描述",
    "source_sentence": "原文出处",
}
"""Chinese header of each extract column."""

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet treat a cell as a formula."""

GPKG_LAYER = "projects"

# coded columns and their vocabularies, for Chinese labels
_VOCABULARIES: dict[str, type[StrEnum]] = {
    "category": Category,
    "subcategory": Subcategory,
    "precision": Precision,
    "stage": Stage,
    "key_level": KeyLevel,
    "major_10yi": Major,
}


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Parameters
    ----------
    value : object
        A cell value.

    Returns
    -------
    object
        ``"'" + value`` for strings starting with ``=``, ``+``, ``-``, ``@``,
        tab or carriage return; anything else unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# after a leading + - @: a function call, a cell reference, a dde pipe or a sheet
# reference, or arithmetic on numbers
_FORMULA_TAIL = re.compile(
    r"[A-Za-z_][\w.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\b|[|!]|^\s*[\d.]+\s*[-+*/^&]\s*[\d.(]"
)


def formula_like(text: str) -> bool:
    """Whether a text cell would be read as a formula once typed or pasted into a sheet.

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    bool
        True for ``=...``; for ``+``, ``-`` or ``@`` followed by a function
        call (``@SUM(A1)``), a cell reference, a DDE pipe or sheet reference
        (``+cmd|' /C calc'!A0``) or arithmetic (``-2+3``); the same after
        leading tabs or carriage returns. ``-3万`` or ``+86 138...`` are not.
    """
    body = text.lstrip("\t\r")
    if body.startswith("="):
        return True
    return body[:1] in ("+", "-", "@") and _FORMULA_TAIL.search(body[1:]) is not None


def _xlsx_text(value: object) -> str | None:
    """Text of an XLSX cell, quoted only when it is :func:`formula_like`."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    return "'" + text if formula_like(text) else text


def _zh_label(vocabulary: type[StrEnum], value: object) -> object:
    """Chinese label of a coded value (unknown codes are kept)."""
    try:
        return label(vocabulary(value), Lang.ZH)
    except ValueError:
        return value


def extract_frame(
    projects: pd.DataFrame, *, chinese_headers: bool = False, spreadsheet: bool = False
) -> pd.DataFrame:
    """Return the register columns of ``projects`` ready for export.

    Parameters
    ----------
    projects : pandas.DataFrame
        Register rows (extra columns and geometry are dropped).
    chinese_headers : bool
        Chinese column names, Chinese labels for coded values, and a
        ``county_name`` column after ``county_adcode``.
    spreadsheet : bool
        Neutralise formula-like text cells (for CSV and XLSX).

    Returns
    -------
    pandas.DataFrame
        Plain frame, numeric columns numeric.
    """
    columns = [c for c in REGISTER_COLUMNS if c in projects.columns]
    frame = pd.DataFrame(projects[columns]).reset_index(drop=True)
    if chinese_headers:
        for column, vocabulary in _VOCABULARIES.items():
            if column in frame.columns:
                frame[column] = [_zh_label(vocabulary, v) for v in frame[column]]
        if "county_adcode" in frame.columns:
            names = [
                county_name(c, Lang.ZH) if c in BY_ADCODE else "" for c in frame["county_adcode"]
            ]
            frame.insert(frame.columns.get_loc("county_adcode") + 1, "county_name", names)
    if spreadsheet:
        for column in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[column]):
                frame[column] = frame[column].map(neutralise)
    if chinese_headers:
        frame = frame.rename(columns=HEADERS_ZH)
    return frame


def to_csv_bytes(projects: pd.DataFrame, *, chinese_headers: bool = False) -> bytes:
    """Write ``projects`` as CSV, UTF-8 with BOM, formulas neutralised."""
    frame = extract_frame(projects, chinese_headers=chinese_headers, spreadsheet=True)
    text = frame.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(projects: pd.DataFrame, *, chinese_headers: bool = False) -> bytes:
    """Write ``projects`` as an XLSX workbook: text as text, numbers numeric."""
    frame = extract_frame(projects, chinese_headers=chinese_headers)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("项目" if chinese_headers else "projects")
    bold = Font(bold=True)
    header = []
    for name in frame.columns:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for value, is_num in zip(row, numeric, strict=True):
            if is_num:
                cells.append(None if pd.isna(value) else float(value))
            else:
                cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
                # text cells are stored as strings, never parsed as formulas
                cell.data_type = "s"
                cells.append(cell)
        sheet.append(cells)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _geo_frame(projects: gpd.GeoDataFrame, *, chinese_headers: bool) -> gpd.GeoDataFrame:
    """Register columns plus geometry, checked to be WGS-84."""
    if not isinstance(projects, gpd.GeoDataFrame):
        raise ValueError("geographic extracts need a GeoDataFrame")
    require_wgs84(projects, what="projects")
    frame = extract_frame(projects, chinese_headers=chinese_headers)
    return gpd.GeoDataFrame(frame, geometry=projects.geometry.to_numpy(), crs=WGS84)


def _via_file(gdf: gpd.GeoDataFrame, *, suffix: str, driver: str, **kwargs: object) -> bytes:
    """Write with pyogrio to a temporary file and return its bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"extract{suffix}"
        gdf.to_file(path, driver=driver, engine="pyogrio", **kwargs)
        return path.read_bytes()


def to_geojson_bytes(projects: gpd.GeoDataFrame, *, chinese_headers: bool = False) -> bytes:
    """Write ``projects`` as RFC 7946 GeoJSON (UTF-8)."""
    gdf = _geo_frame(projects, chinese_headers=chinese_headers)
    return _via_file(gdf, suffix=".geojson", driver="GeoJSON", RFC7946="YES")


def to_gpkg_bytes(projects: gpd.GeoDataFrame, *, chinese_headers: bool = False) -> bytes:
    """Write ``projects`` as a GeoPackage with one layer ``projects``."""
    gdf = _geo_frame(projects, chinese_headers=chinese_headers)
    return _via_file(gdf, suffix=".gpkg", driver="GPKG", layer=GPKG_LAYER)


_WRITERS = {
    "csv": to_csv_bytes,
    "xlsx": to_xlsx_bytes,
    "geojson": to_geojson_bytes,
    "gpkg": to_gpkg_bytes,
}


def extract_bytes(projects: gpd.GeoDataFrame, *, fmt: str, chinese_headers: bool = False) -> bytes:
    """Return an extract of ``projects`` in ``fmt`` (for download buttons).

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        The current selection (EPSG:4326 for GeoJSON and GeoPackage).
    fmt : str
        ``csv``, ``xlsx``, ``geojson`` or ``gpkg``.
    chinese_headers : bool
        Chinese column names and labels.

    Returns
    -------
    bytes
        File content.

    Raises
    ------
    ValueError
        If ``fmt`` is unknown or a geographic extract is not WGS-84.
    """
    kind = str(fmt).lower()
    if kind not in _WRITERS:
        known = ", ".join(EXTRACT_FORMATS)
        raise ValueError(f"unknown extract format {fmt!r}; use one of {known}")
    return _WRITERS[kind](projects, chinese_headers=chinese_headers)


def write_extract(
    projects: gpd.GeoDataFrame,
    path: Path | str,
    *,
    fmt: str | None = None,
    chinese_headers: bool = False,
) -> Path:
    """Write an extract of ``projects`` to ``path``.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        The current selection.
    path : Path or str
        Destination file.
    fmt : str, optional
        Format; taken from the file suffix when ``None``.
    chinese_headers : bool
        Chinese column names and labels.

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    data = extract_bytes(
        projects, fmt=fmt or path.suffix.lstrip("."), chinese_headers=chinese_headers
    )
    path.write_bytes(data)
    return path
