"""Import hardening: wide and malformed sheets, merged cells, formulas, amounts, re-imports."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from geodata.auth import system_identity
from geodata.ingest import IngestError, _read, commit_import, import_table, read_table
from geodata.schema import register_frame
from geodata.store import create_store

DATA = Path(__file__).parent / "data" / "ingest"
MiB = 2**20

_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
_WORKBOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/>'
    b"</Relationships>"
)
_HEADER_ROW = (
    "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABC", ("项目名称", "所在县区", "类别"), strict=True)
    )
    .join(('<row r="1">', "</row>"))
    .encode()
)


def workbook(rows: bytes, *, shared: bytes | None = None, skip: tuple[str, ...] = ()) -> bytes:
    """A minimal XLSX whose first sheet holds ``rows`` (XML of <row> elements)."""
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _RELS,
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            if name not in skip:
                z.writestr(name, content)
    return out.getvalue()


def refused_cheaply(data: bytes, filename: str, match: str) -> tuple[float, float]:
    """Import must raise IngestError matching ``match``; return seconds and peak MiB."""
    tracemalloc.start()
    t = time.perf_counter()
    try:
        with pytest.raises(IngestError, match=match) as err:
            import_table(data, filename=filename)
        took = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "\n" not in str(err.value)
    return took, peak / MiB


# sheets that are small on disk and huge in memory


def test_xlsx_cell_far_right_is_refused_by_the_column_limit():
    rows = _HEADER_ROW + b"".join(
        b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(2, 22)
    )
    data = workbook(rows)
    assert len(data) < 2048
    _took, peak = refused_cheaply(data, "wide.xlsx", "200")
    assert peak < 100


def test_xlsx_column_aaaaaa_is_a_malformed_reference():
    rows = _HEADER_ROW + b"".join(
        b'<row r="%d"><c r="AAAAAA%d"><v>1</v></c></row>' % (r, r) for r in range(2, 30)
    )
    data = workbook(rows)
    assert len(data) < 2048
    _took, peak = refused_cheaply(data, "wide.xlsx", "AAAAAA")
    assert peak < 100


def test_csv_with_ten_million_commas_in_one_row_is_refused_without_building_it():
    data = (
        "项目名称,所在县区,类别\n".encode()
        + b"," * 10_000_000
        + b"\n"
        + "甲,潞州区,能源\n".encode()
    )
    _took, peak = refused_cheaply(data, "wide.csv", "200")
    # the decoded text and one copy of it, never ten million cells
    assert peak < 100


def test_csv_quoted_commas_are_text_not_columns():
    text = '项目名称,所在县区,类别,建设规模\n甲,潞州区,能源,"' + "，a," * 300 + '"\n'
    table = read_table(text.encode(), filename="q.csv")
    assert table.shape == (1, 4)


def test_cell_limit(monkeypatch):
    from geodata.ingest import _limits

    monkeypatch.setattr(_limits, "MAX_IMPORT_CELLS", 10)
    with pytest.raises(IngestError, match="10"):
        import_table((DATA / "amounts.csv").read_bytes(), filename="amounts.csv")
    with pytest.raises(IngestError, match="10"):
        import_table((DATA / "basic.xlsx").read_bytes(), filename="basic.xlsx")


@pytest.mark.parametrize(
    ("rows", "shared", "match"),
    [
        (_HEADER_ROW + b'<row r="2"><c r="A2" t="s"><v>7</v></c></row>', None, "共享字符串"),
        (
            _HEADER_ROW + b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>',
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>x</t></si></sst>",
            "out of range",
        ),
        (_HEADER_ROW + b'<row r="abc"><c><v>1</v></c></row>', None, "row number"),
        (_HEADER_ROW + b'<row r="2"><c r="1A"><v>1</v></c></row>', None, "cell reference"),
        (_HEADER_ROW + b'<row r="2"><c r="A0"><v>1</v></c></row>', None, "cell reference"),
        (_HEADER_ROW + b'<row r="9999999"><c><v>1</v></c></row>', None, "row number"),
    ],
)
def test_malformed_xlsx_is_one_ingest_error(rows, shared, match):
    with pytest.raises(IngestError, match=match) as err:
        import_table(workbook(rows, shared=shared), filename="bad.xlsx")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"]
)
def test_missing_parts_are_named(part):
    data = workbook(_HEADER_ROW, skip=(part,))
    with pytest.raises(IngestError, match="missing"):
        import_table(data, filename="bad.xlsx")


def test_crc_mismatch_is_an_ingest_error():
    data = bytearray(workbook(_HEADER_ROW + b'<row r="2"><c r="A2"><v>123456</v></c></row>'))
    # corrupt the sheet's crc in the central directory (what zipfile checks on reading)
    at = data.rfind(b"xl/worksheets/sheet1.xml")
    crc = at - 46 + 16
    data[crc : crc + 4] = bytes(b ^ 0xFF for b in data[crc : crc + 4])
    with pytest.raises(IngestError, match=r"damaged|损坏"):
        import_table(bytes(data), filename="crc.xlsx")


def test_memory_error_while_reading_is_an_ingest_error(monkeypatch):
    def exhaust(*_args, **_kwargs):
        raise MemoryError

    monkeypatch.setattr(_read, "frame_from_rows", exhaust)
    with pytest.raises(IngestError, match="memory"):
        import_table((DATA / "utf8.csv").read_bytes(), filename="utf8.csv")


# sheets as county offices really make them


def _xlsx(build) -> bytes:
    book = openpyxl.Workbook()
    build(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_vertically_merged_cells_are_filled_down_with_a_note():
    def build(ws):
        ws.append(["类别", "所在县区", "项目名称", "总投资"])
        ws.append(["能源", "潞州区", "甲光伏", 1])
        ws.append([None, None, "乙储能", 2])
        ws.append([None, "长子县", "丙光伏", 3])
        ws.merge_cells("A2:A4")
        ws.merge_cells("B2:B3")

    result = import_table(_xlsx(build), filename="merged.xlsx")
    assert result.report.rejected == []
    assert result.projects["category"].tolist() == ["energy"] * 3
    assert result.projects["county_adcode"].tolist() == ["140403", "140403", "140428"]
    notes = " ".join(result.report.notes)
    assert "A2:A4" in notes and "B2:B3" in notes
    assert "A2:A4" in result.report.to_json()


def test_formula_without_saved_result_is_a_warning_naming_the_cell():
    def build(ws):
        ws.append(["项目名称", "所在县区", "类别", "总投资"])
        for k in range(3):
            ws.append([f"项目{k}", "潞州区", "能源", 1])
        ws.append(["公式项目", "潞州区", "能源", "=D2+D3"])

    result = import_table(_xlsx(build), filename="formula.xlsx")
    warned = " ".join(w.reason for w in result.report.warnings if w.row == 5)
    assert "D5 是公式但没有保存计算结果" in warned


@pytest.mark.parametrize(
    ("amount", "header", "hint"),
    [
        ("539000000", "总投资", "5.39亿元"),
        ("1500亿元", "总投资", "1.5e-05亿元"),
        ("5390000", "总投资（万元）", "0.0539亿元"),
    ],
)
def test_implausible_amounts_warn_with_the_likely_unit(amount, header, hint):
    text = f"项目名称,所在县区,类别,{header}\n甲,潞州区,能源,{amount}\n"
    result = import_table(text.encode(), filename="a.csv")
    warned = " ".join(w.reason for w in result.report.warnings)
    assert "看起来是元" in warned and hint in warned


def test_plausible_amounts_do_not_warn():
    text = (
        "项目名称,所在县区,类别,总投资,经度,纬度\n甲,潞州区,能源,5.39亿元,113.1,36.2\n"
        "乙,潞州区,能源,999,113.1,36.2\n"
    )
    assert import_table(text.encode(), filename="a.csv").report.warnings == []


# re-imports that erase work


def _stored() -> pd.DataFrame:
    columns = ["id", "name_zh", "subcategory", "company", "lon", "lat", "precision",
               "investment_yi", "source_sentence"]  # fmt: skip
    rows = [
        ("P-1", "甲光伏项目", "photovoltaic", "老公司", 113.12, 36.21, "exact", 5.0, "原句一"),
        ("P-2", "乙项目", "other", "乙公司", 113.10, 36.20, "place", np.nan, "原句二"),
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["category"] = "energy"
    frame["county_adcode"] = "140403"
    frame["stage"] = "construction"
    frame["location_text"] = "长治高新区"
    return register_frame(frame)


def test_reimport_by_id_keeps_blank_cells_point_and_source(tmp_path):
    store = create_store(tmp_path / "s.gpkg", seed=_stored)
    text = (
        "项目编号,项目名称,所在县区,类别,建设单位,经度,纬度,总投资,建设阶段\n"
        "P-1,甲光伏项目,,能源,,,,6,\n"
    )
    result = import_table(text.encode(), filename="again.csv")
    version = commit_import(result, store=store, author=system_identity("tester").author())
    assert version == 2
    row = store.projects(include_unlocated=True).set_index("id").loc["P-1"]
    assert row["company"] == "老公司"
    assert row["county_adcode"] == "140403"
    assert (row["lon"], row["lat"], row["precision"]) == (113.12, 36.21, "exact")
    assert row["stage"] == "construction"
    assert row["investment_yi"] == 6.0
    assert row["source_sentence"].startswith("原句一｜导入自 again.csv 第 2 行")
    changes = {c.field: (c.old, c.new) for c in result.report.changes}
    assert changes["investment_yi"] == ("5", "6")
    assert set(changes) == {"investment_yi", "source_sentence"}
    assert result.report.to_dict()["changes"][0]["id"] == "P-1"


def test_coarser_location_never_replaces_a_finer_one():
    text = (
        "项目编号,项目名称,所在县区,类别,经度,纬度,定位精度\n"
        "P-1,甲光伏项目,潞州区,能源,113.11,36.19,县区级\n"
        "P-2,乙项目,潞州区,能源,113.101,36.201,精确\n"
    )
    result = import_table(text.encode(), filename="coarse.csv", existing=_stored())
    got = result.projects.set_index("id")
    assert (got.loc["P-1", "lon"], got.loc["P-1", "precision"]) == (113.12, "exact")
    warned = {w.row: w.reason for w in result.report.warnings}
    assert "保留原位置" in warned[2]
    # a finer point does replace a coarser one
    assert (got.loc["P-2", "lon"], got.loc["P-2", "precision"]) == (113.101, "exact")
    assert 3 not in warned
