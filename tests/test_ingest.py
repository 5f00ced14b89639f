"""Spreadsheet import: every rule of the issue, on the adversarial samples in tests/data/ingest."""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest

from geodata.coords import convert
from geodata.ingest import (
    IngestError,
    RowStatus,
    _limits,
    _read,
    commit_import,
    import_table,
    read_table,
)
from geodata.ingest._text import number_text
from geodata.ingest._xlsx import XlsxError, xlsx_sheets
from geodata.schema import REGISTER_COLUMNS, register_frame
from geodata.settings import MAX_UPLOAD_BYTES
from geodata.store import Author, create_store

DATA = Path(__file__).parent / "data" / "ingest"


def load(name: str, **kwargs):
    return import_table((DATA / name).read_bytes(), filename=name, **kwargs)


def by_row(issues):
    out: dict[int, list[str]] = {}
    for issue in issues:
        out.setdefault(issue.row, []).append(issue.reason)
    return out


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("utf8.csv", "utf-8"), ("utf8_bom.csv", "utf-8-sig"), ("gbk.csv", "gb18030")],
)
def test_encodings_give_the_same_rows(name, encoding):
    result = load(name)
    assert result.report.encoding == encoding
    assert list(result.projects["id"]) == ["T-001", "T-002", "T-003"]
    assert result.projects["name_zh"].iloc[0] == "潞州区测试光伏项目"
    assert result.projects["investment_yi"].tolist() == pytest.approx([5.39, 0.3, 0.12])
    assert result.projects["stage"].tolist() == ["construction", "planning", "operation"]
    assert result.projects["subcategory"].tolist() == [
        "photovoltaic",
        "culture_tourism",
        "new_materials",
    ]


def test_register_shape():
    gdf = load("utf8.csv").projects
    assert list(gdf.columns) == [*REGISTER_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.x.tolist() == pytest.approx(gdf["lon"].tolist())


def test_undecodable_refused_with_offset():
    with pytest.raises(IngestError, match="120"):
        load("undecodable.csv")


def test_missing_column_named():
    with pytest.raises(IngestError, match="所在县区"):
        load("missing_column.csv")


def test_amounts():
    rep = load("amounts.csv")
    values = dict(zip(rep.projects["id"], rep.projects["investment_yi"], strict=True))
    assert values["A-01"] == pytest.approx(5.39)
    assert values["A-02"] == pytest.approx(0.3)
    assert values["A-03"] == pytest.approx(0.12)
    assert values["A-04"] == pytest.approx(5.39)
    assert values["A-05"] == pytest.approx(5.39)
    assert values["A-06"] == pytest.approx(5.0)
    for rid in ("A-07", "A-08", "A-09"):
        assert math.isnan(values[rid]), rid
    warned = by_row(rep.report.warnings)
    # rows 7-10 (约5亿, 待定, —, empty) each carry a warning; none is a silent 0
    assert sorted(warned) == [7, 8, 9, 10]
    rejected = by_row(rep.report.rejected)
    assert sorted(rejected) == [11, 12]
    assert "很多钱" in rejected[11][0]
    assert (rep.projects["investment_yi"] != 0).all()


def test_amount_unit_from_header():
    assert load("amounts_wan.csv").projects["investment_yi"].iloc[0] == pytest.approx(5.39)


def test_swapped_coordinates():
    result = load("swapped.csv")
    warned = by_row(result.report.warnings)
    assert any("填反" in w for w in warned[2])
    fixed = result.projects.set_index("id").loc["S-01"]
    assert (fixed["lon"], fixed["lat"]) == pytest.approx((113.1163, 36.1955))
    rejected = by_row(result.report.rejected)
    assert list(rejected) == [3]
    assert "填反" in rejected[3][0]
    assert result.report.status.loc[4] == RowStatus.ACCEPTED


def test_swap_check_uses_the_mainland_outline():
    # seoul as given, and a swapped pair that lands in the sea off korea: neither is swapped
    text = (
        "项目编号,项目名称,所在县区,建设地点,总投资,建设阶段,类别,子类,经度,纬度,建设单位\n"
        "K-01,首尔,潞州区,,1,在建,产业,,126.978,37.5665,\n"
        "K-02,海上,潞州区,,1,在建,产业,,36.0,124.0,\n"
        "K-03,颠倒,潞州区,,1,在建,产业,,36.1955,113.1163,\n"
    )
    result = import_table(text.encode("utf-8"), filename="k.csv")
    warned = by_row(result.report.warnings)
    rejected = by_row(result.report.rejected)
    assert not any("填反" in w for w in warned.get(2, []) + rejected.get(2, []))
    assert "填反" not in " ".join(warned.get(3, []))
    assert any("填反" in w for w in warned[4])
    assert set(rejected) == {2, 3}


def test_outside_city_and_county():
    result = load("outside.csv")
    rejected = by_row(result.report.rejected)
    assert list(rejected) == [2]
    assert "长治市" in rejected[2][0]
    warned = by_row(result.report.warnings)
    assert "武乡县" in warned[3][0] and "潞州区" in warned[3][0]
    assert "界外" in warned[4][0]
    assert 5 not in warned
    assert result.report.status.loc[5] == RowStatus.ACCEPTED


def test_legacy_county_names_and_codes():
    result = load("legacy_counties.csv")
    codes = dict(zip(result.projects["id"], result.projects["county_adcode"], strict=True))
    assert codes == {
        "L-01": "140404",
        "L-02": "140403",
        "L-03": "140403",
        "L-04": "140406",
        "L-05": "140405",
        "L-06": "140404",
        "L-07": "140404",
    }
    rejected = by_row(result.report.rejected)
    assert list(rejected) == [9]
    assert "太原市" in rejected[9][0]


def test_duplicates():
    result = load("duplicates.csv")
    dup_rows = sorted(d.row for d in result.report.duplicates)
    assert dup_rows == [3, 5, 7]
    rejected = by_row(result.report.rejected)
    assert sorted(rejected) == [3, 5]
    assert "D-01" in rejected[3][0] and "第 2 行" in rejected[3][0]
    assert "第 4 行" in rejected[5][0]
    # same name with different ids is accepted with a warning
    assert result.report.status.loc[7] == RowStatus.WARNINGS
    # same name in another county is not a duplicate
    assert result.report.status.loc[8] == RowStatus.ACCEPTED
    assert result.projects["id"].is_unique


def test_generated_ids_are_stable():
    a = load("duplicates.csv").projects["id"].tolist()
    b = load("duplicates.csv").projects["id"].tolist()
    assert a == b
    assert sum(i.startswith("IMP-") for i in a) == 2


def test_bad_coordinates_reject_rows():
    result = load("bad_coords.csv")
    rejected = by_row(result.report.rejected)
    assert sorted(rejected) == [2, 3, 4, 5]
    assert "NaN" in rejected[2][0]
    assert "超出范围" in rejected[4][0]
    assert "之一" in rejected[5][0]
    assert result.projects["id"].tolist() == ["C-05"]
    assert result.projects["lon"].iloc[0] == pytest.approx(113.1163)


def test_geocoding_rows_without_coordinates():
    result = load("geocode.csv")
    gdf = result.projects.set_index("id")
    assert gdf.loc["G-01", "precision"] == "place"
    assert gdf.loc["G-01", "county_adcode"] == "140429"
    assert gdf.loc["G-02", "precision"] == "county"
    assert gdf.loc["G-04", "precision"] == "place"
    # nothing findable: listed for review, no point (never a default position)
    assert gdf.loc["G-03", "precision"] == ""
    assert gdf.loc["G-03"].geometry is None
    assert math.isnan(gdf.loc["G-03", "lon"])
    assert [u.row for u in result.report.unresolved] == [4]
    assert result.report.status.loc[4] == RowStatus.NEEDS_REVIEW
    assert result.report.status.loc[3] == RowStatus.WARNINGS
    assert any("需复核" in w for w in by_row(result.report.warnings)[3])


def test_vocabularies():
    result = load("vocabulary.csv")
    gdf = result.projects.set_index("id")
    assert gdf.loc["V-01", "stage"] == "reserve"
    assert gdf.loc["V-02", "stage"] == "construction"
    assert gdf.loc["V-02", "category"] == "industry"
    assert gdf.loc["V-03", "stage"] == "operation"
    assert gdf.loc["V-04", "stage"] == "unknown"
    assert gdf.loc["V-07", "category"] == "industry"
    rejected = by_row(result.report.rejected)
    assert sorted(rejected) == [6, 7, 9]
    assert "名称为空" in rejected[9][0]


def test_gcj02_declared_is_converted():
    result = load("gcj02.csv", crs="gcj02")
    gdf = result.projects.set_index("id")
    assert (gdf.loc["J-01", "lon"], gdf.loc["J-01", "lat"]) == pytest.approx(
        (113.1163, 36.1955), abs=1e-6
    )
    assert gdf["county_adcode"].tolist() == ["140403", "140429", "140428"]
    # read as wgs-84 the same file lands some hundred metres away
    raw = load("gcj02.csv").projects.set_index("id")
    assert abs(raw.loc["J-01", "lon"] - 113.1163) > 1e-3


def test_bd09_declared_is_converted():
    lon, lat = convert(lon=113.1163, lat=36.1955, src="wgs84", dst="bd09")
    text = f"项目名称,所在县区,类别,经度,纬度\n百度点,潞州区,能源,{lon},{lat}\n"
    result = import_table(text.encode(), filename="bd.csv", crs="bd09")
    assert (result.projects["lon"].iloc[0], result.projects["lat"].iloc[0]) == pytest.approx(
        (113.1163, 36.1955), abs=1e-6
    )


def test_xlsx_chinese_and_english_headers():
    basic = load("basic.xlsx")
    assert basic.projects["id"].tolist() == ["T-001", "T-002", "T-003"]
    assert basic.report.sheet == "项目表"
    eng = load("english_headers.xlsx")
    row = eng.projects.iloc[0]
    assert row["id"] == "E-1"
    assert row["county_adcode"] == "140403"
    assert row["investment_yi"] == pytest.approx(2.5)
    # the header sits under a title row: the data row is row 3 as staff see it
    assert eng.report.status.index.tolist() == [3]


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("entity_bomb.xlsx", "DTD"),
        ("zip_bomb.xlsx", "zip bomb"),
        ("csv_named.xlsx", "not an xlsx"),
        ("xlsx_named.csv", "zip/xlsx"),
    ],
)
def test_hostile_files_refused_before_parsing(name, match, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("parser reached")

    monkeypatch.setattr(_read, "xlsx_sheets", fail)
    with pytest.raises(IngestError, match=match):
        load(name)


def test_total_uncompressed_size_checked(monkeypatch):
    monkeypatch.setattr(_limits, "MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(IngestError, match="zip bomb"):
        load("basic.xlsx")


def test_oversize_refused():
    data = b"a" * (MAX_UPLOAD_BYTES + 1)
    with pytest.raises(IngestError, match="limit"):
        import_table(data, filename="big.csv")


@pytest.mark.parametrize(
    ("data", "filename", "match"),
    [
        (b"", "empty.csv", "empty"),
        (b"abc", "x.xls", "xls"),
        (b"abc", "x.pdf", "unsupported"),
        ("项目名称".encode("utf-16"), "u16.csv", "UTF-16"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xlsx", "xls"),
    ],
)
def test_other_refusals(data, filename, match):
    with pytest.raises(IngestError, match=match):
        import_table(data, filename=filename)


def test_no_header_row():
    with pytest.raises(IngestError, match="header"):
        import_table(b"a,b\n1,2\n", filename="x.csv")


def test_every_row_has_one_outcome():
    result = load("amounts.csv")
    rep = result.report
    assert rep.total == 11
    assert len(rep.status) == rep.total
    assert set(rep.status) <= {s.value for s in RowStatus}
    assert rep.accepted + len(rep.rejected) == rep.total
    assert rep.counts()["rejected"] == 2
    preview = result.preview
    assert {"row", "status", "messages"} <= set(preview.columns)
    assert len(preview) == rep.accepted


def test_report_json():
    rep = load("duplicates.csv").report
    doc = json.loads(rep.to_json())
    assert doc["accepted"] == 5
    assert {"row", "reason"} <= set(doc["rejected"][0])
    assert isinstance(doc["warnings"], list)
    assert doc["columns"]["name_zh"] == "项目名称"


def test_rejected_workbook_round_trip():
    text = (
        '项目名称,所在县区,类别,总投资\n好项目,潞州区,能源,1\n=HYPERLINK("x"),火星,能源,1\n'
        "坏金额,潞州区,能源,很多钱\n"
    )
    rep = import_table(text.encode(), filename="x.csv").report
    book = openpyxl.load_workbook(io.BytesIO(rep.rejected_workbook()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (
        "原行号 (row)",
        "项目名称",
        "所在县区",
        "类别",
        "总投资",
        "拒绝原因 (reason)",
    )
    assert [r[0] for r in rows[1:]] == ["3", "4"]
    assert rows[1][1] == '=HYPERLINK("x")'
    assert book.active.cell(2, 2).data_type == "s"
    assert "火星" in rows[1][-1]
    assert "很多钱" in rows[2][-1]
    # the workbook is itself importable after fixing
    assert read_table(rep.rejected_workbook(), filename="fix.xlsx")["项目名称"].tolist() == [
        '=HYPERLINK("x")',
        "坏金额",
    ]


def test_read_table_indexes_by_spreadsheet_row():
    text = "2025年项目表\n\n项目名称,所在县区,类别\n甲,潞州区,能源\n\n乙,长子县,产业\n"
    table = read_table(text.encode(), filename="t.csv")
    assert table.index.tolist() == [4, 6]
    assert table.attrs["encoding"] == "utf-8"


def test_commit_requires_staff(tmp_path):
    result = load("utf8.csv")
    store = create_store(tmp_path / "s.gpkg", seed=lambda: result.projects.iloc[:0])
    with pytest.raises(PermissionError):
        commit_import(result, store=store, author=None, base_version=1)
    assert store.current_version() == 1


def test_no_row_gets_a_default_point():
    result = load("geocode.csv")
    located = result.projects[result.projects.geometry.notna()]
    assert not np.isclose(located["lon"], 0).any()
    assert len(located) == 3


def test_per_row_coordinate_system_column():
    glon, glat = convert(lon=113.1163, lat=36.1955, src="wgs84", dst="gcj02")
    blon, blat = convert(lon=113.1163, lat=36.1955, src="wgs84", dst="bd09")
    text = (
        "项目名称,所在县区,类别,经度,纬度,坐标系\n"
        f"甲,潞州区,能源,{glon},{glat},高德\n"
        f"乙,潞州区,能源,{blon},{blat},BD-09\n"
        "丙,潞州区,能源,113.1163,36.1955,\n"
        "丁,潞州区,能源,113.1163,36.1955,火星文\n"
    )
    result = import_table(text.encode(), filename="mixed.csv")
    assert result.projects["lon"].tolist() == pytest.approx([113.1163] * 3, abs=1e-6)
    assert result.projects["lat"].tolist() == pytest.approx([36.1955] * 3, abs=1e-6)
    assert [r.row for r in result.report.rejected] == [5]


def test_row_limit(monkeypatch):
    monkeypatch.setattr(_limits, "MAX_IMPORT_ROWS", 0)
    monkeypatch.setattr(_limits, "IMPORT_HEADER_SEARCH_ROWS", 1)
    with pytest.raises(IngestError, match="rows"):
        load("amounts.csv")
    with pytest.raises(IngestError, match="rows"):
        load("basic.xlsx")


def _openpyxl_rows(data: bytes) -> list[list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [[number_text(v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def _dense(sheet):
    top = max(sheet.rows, default=0)
    return [sheet.rows.get(n, []) for n in range(1, top + 1)]


def _trim(rows):
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] == "":
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


@pytest.mark.parametrize("name", ["basic.xlsx", "english_headers.xlsx"])
def test_xlsx_reader_agrees_with_openpyxl(name):
    data = (DATA / name).read_bytes()
    first, *_ = list(xlsx_sheets(data))
    assert _trim(_dense(first)) == _trim(_openpyxl_rows(data))


def test_xlsx_reader_cell_types_and_gaps(monkeypatch):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "项目名称"
    sheet["C1"] = 5.0
    sheet["D1"] = True
    sheet["E1"] = 113.1163
    sheet["F1"] = "=1+1"
    sheet["B4"] = "a < b & c"
    sheet.title = "第一"
    second = book.create_sheet("第二")
    second["A1"] = "x"
    out = io.BytesIO()
    book.save(out)
    sheets = list(xlsx_sheets(out.getvalue()))
    assert [s.title for s in sheets] == ["第一", "第二"]
    rows = _dense(sheets[0])
    # the formula saved by openpyxl has no cached result: blank, with a note naming the cell
    assert rows[0] == ["项目名称", "", "5", "TRUE", "113.1163"]
    assert "F1" in sheets[0].cell_notes[1][0]
    assert rows[1] == [] and rows[2] == []
    assert rows[3] == ["", "a < b & c"]
    monkeypatch.setattr(_limits, "MAX_IMPORT_ROWS", 0)
    monkeypatch.setattr(_limits, "IMPORT_HEADER_SEARCH_ROWS", 1)
    with pytest.raises(XlsxError):
        list(xlsx_sheets(out.getvalue()))


def test_county_with_province_and_city_prefix():
    text = (
        "项目名称,所在县区,类别\n甲,长治市潞州区,能源\n乙,山西省长治市长子县,能源\n"
        "丙,长治市郊区,能源\n丁,长治市,能源\n"
    )
    result = import_table(text.encode(), filename="p.csv")
    assert result.projects["county_adcode"].tolist() == ["140403", "140428", "140403", ""]
    # a city-wide project is placed at city level, flagged for review
    assert result.projects["precision"].iloc[3] == "city"
    assert result.report.status.loc[5] == RowStatus.WARNINGS
    assert result.report.rejected == []


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
    return out.getvalue()


@pytest.mark.parametrize(
    "doc",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.org/x.dtd"><x/>',
    ],
)
def test_dtd_in_any_part_refused(doc):
    data = _with_part((DATA / "basic.xlsx").read_bytes(), "docProps/app.xml", doc)
    with pytest.raises(IngestError, match="DTD"):
        import_table(data, filename="x.xlsx")


def test_damaged_xml_part_refused():
    data = _with_part((DATA / "basic.xlsx").read_bytes(), "xl/workbook.xml", b"<workbook><")
    with pytest.raises(IngestError, match="not valid XML"):
        import_table(data, filename="x.xlsx")


# matching against the register the rows go into

HEADER = "项目编号,项目名称,所在县区,建设地点,总投资,建设阶段,类别,子类,经度,纬度,建设单位\n"


def register_rows() -> gpd.GeoDataFrame:
    rows = [
        ("P-1", "甲光伏项目", "photovoltaic", 113.12, 36.21, "exact", 5.0, "报告原句一"),
        ("P-2", "乙项目", "other", 113.10, 36.20, "exact", np.nan, "报告原句二"),
        ("P-3", "丙项目", "other", 113.10, 36.20, "exact", np.nan, "报告原句三"),
        ("P-4", "丙项目", "other", 113.11, 36.19, "exact", np.nan, "报告原句四"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["id", "name_zh", "subcategory", "lon", "lat", "precision", "investment_yi",
                 "source_sentence"],
    )  # fmt: skip
    frame["category"] = "energy"
    frame["county_adcode"] = "140403"
    frame["stage"] = "construction"
    return register_frame(frame)


def existing_import(existing):
    text = HEADER + (
        ",甲光伏项目,潞州区,,,在建,能源,,,,新公司\n"
        "X-9,乙项目,潞州区,,1,在建,能源,,113.1,36.2,\n"
        ",丙项目,潞州区,,1,在建,能源,,113.1,36.2,\n"
        ",丁项目,潞州区,,1,在建,能源,,113.1,36.2,\n"
    )
    return import_table(text.encode("utf-8"), filename="again.csv", existing=existing)


def test_row_without_id_updates_the_register_project_of_that_name_and_county():
    result = existing_import(register_rows())
    got = result.projects.set_index("name_zh")
    updated = got.loc["甲光伏项目"]
    assert updated["id"] == "P-1"
    # blank cells keep the register's values, stated ones replace them
    assert updated["investment_yi"] == pytest.approx(5.0)
    assert updated["subcategory"] == "photovoltaic"
    assert updated["company"] == "新公司"
    # the report sentence stays; the import's provenance is added beside it
    assert updated["source_sentence"] == (
        "报告原句一｜导入自 again.csv 第 2 行 (imported from again.csv, row 2)"
    )
    # no coordinates in the file: the register's exact point stays
    assert (updated["lon"], updated["lat"], updated["precision"]) == (113.12, 36.21, "exact")
    assert result.report.status.loc[2] == RowStatus.WARNINGS
    dup = by_row(result.report.duplicates)
    assert "P-1" in dup[2][0] and "更新" in dup[2][0]
    assert any("P-1" in w for w in by_row(result.report.warnings)[2])


def test_other_register_matches_are_warnings_and_import_as_given():
    result = existing_import(register_rows())
    got = result.projects.set_index("name_zh")
    assert got.loc["乙项目", "id"] == "X-9"
    assert got.loc["丙项目", "id"].startswith("IMP-")
    assert got.loc["丁项目", "id"].startswith("IMP-")
    dup = by_row(result.report.duplicates)
    assert "P-2" in dup[3][0] and "重复" in dup[3][0]
    assert "P-3" in dup[4][0] and "P-4" in dup[4][0]
    assert 5 not in dup
    assert result.report.status.loc[5] == RowStatus.ACCEPTED


def test_without_the_register_rows_get_their_own_ids():
    result = existing_import(None)
    assert result.projects.set_index("name_zh").loc["甲光伏项目", "id"].startswith("IMP-")
    assert result.report.duplicates == []


def test_commit_matches_against_the_store(tmp_path):
    store = create_store(tmp_path / "s.gpkg", seed=register_rows)
    # checked without the register, as an app that did not pass it would
    result = existing_import(None)
    version = commit_import(result, store=store, author=Author("tester"), base_version=1)
    projects = store.projects(include_unlocated=True)
    assert version == 2
    assert (projects["name_zh"] == "甲光伏项目").sum() == 1
    updated = projects.set_index("id").loc["P-1"]
    assert updated["company"] == "新公司"
    assert updated["investment_yi"] == pytest.approx(5.0)
    assert len(projects) == 4 + 3
    dup = by_row(result.report.duplicates)
    assert "P-1" in dup[2][0]
    assert "P-2" in dup[3][0]
    assert result.report.status.loc[2] == RowStatus.WARNINGS


def test_commit_after_checking_against_the_store_reports_once(tmp_path):
    store = create_store(tmp_path / "s.gpkg", seed=register_rows)
    result = existing_import(store.projects(include_unlocated=True))
    before = len(result.report.duplicates)
    commit_import(result, store=store, author=Author("tester"), base_version=1)
    assert len(result.report.duplicates) == before == 3
    assert len(store.projects(include_unlocated=True)) == 4 + 3


def test_commit_on_a_stale_base_names_the_colleague_and_writes_nothing(tmp_path):
    from geodata.store import StaleBase

    store = create_store(tmp_path / "s.gpkg", seed=register_rows)
    result = existing_import(store.projects(include_unlocated=True))
    # a colleague edits p-1 between validation (version 1) and the commit
    store.set_location("P-1", lon=113.13, lat=36.2, author=Author("li", "李工"), base_version=1)
    with pytest.raises(StaleBase, match=r"P-1.*李工 \(li\)"):
        commit_import(result, store=store, author=Author("tester"), base_version=1)
    assert store.current_version() == 2
