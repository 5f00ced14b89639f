"""Data extracts read back with real readers: pandas, openpyxl, pyogrio."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest

from geodata.schema import REGISTER_COLUMNS
from layers.export.extracts import extract_bytes, formula_like, neutralise, write_extract


@pytest.fixture
def projects() -> gpd.GeoDataFrame:
    rows = [
        {
            "id": "T-1",
            "name_zh": "长治光伏储能项目",
            "name_en": '=HYPERLINK("http://evil")',
            "category": "energy",
            "subcategory": "photovoltaic",
            "company": "+cmd|' /C calc'!A0",
            "county_adcode": "140403",
            "location_text": "-2+3",
            "lon": 113.11,
            "lat": 36.19,
            "precision": "county",
            "stage": "construction",
            "investment_yi": -1.5,
            "capacity_value": np.nan,
            "capacity_unit": "",
            "capacity_text": "@SUM(A1)",
            "source_sentence": "\t=1+1",
        },
        {
            "id": "T-2",
            "name_zh": "潞城区医院",
            "name_en": "Lucheng hospital",
            "category": "livelihood",
            "subcategory": "health",
            "company": "",
            "county_adcode": "",
            "location_text": "潞城区",
            "lon": 113.22,
            "lat": 36.33,
            "precision": "place",
            "stage": "planning",
            "investment_yi": 2.25,
            "capacity_value": 100.0,
            "capacity_unit": "床",
            "capacity_text": "100床",
            "source_sentence": "原文：潞城区医院。",
        },
    ]
    frame = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


def test_xlsx_quotes_only_what_would_read_as_a_formula(projects, tmp_path):
    for text in ("-3万", "+86 13812345678", "-x", "@长治", "- 中文"):
        assert not formula_like(text), text
    for text in ("=1", "-2+3", "@SUM(A1)", "+cmd|' /C calc'!A0", "-A1", "\t=1+1"):
        assert formula_like(text), text
    plain = projects.copy()
    plain.loc[0, "capacity_text"] = "-3万"
    plain.loc[1, "company"] = "+86 13812345678"
    path = write_extract(plain, tmp_path / "plain.xlsx")
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert sheet[2][header.index("capacity_text")].value == "-3万"
    assert sheet[3][header.index("company")].value == "+86 13812345678"
    assert sheet[2][header.index("location_text")].value == "'-2+3"
    # csv still quotes every leading sign, as spreadsheets opening csv guess
    back = pd.read_csv(io.BytesIO(extract_bytes(plain, fmt="csv")), encoding="utf-8-sig")
    assert back.loc[0, "capacity_text"] == "'-3万"


def test_neutralise_rules():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-x") == "'-x"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("长治") == "长治"
    assert neutralise(-1.5) == -1.5


def test_csv_has_bom_chinese_and_neutralised_formulas(projects):
    data = extract_bytes(projects, fmt="csv")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"county_adcode": str})
    assert list(back.columns) == list(REGISTER_COLUMNS)
    assert back.loc[0, "name_zh"] == "长治光伏储能项目"
    assert back.loc[0, "name_en"].startswith("'=")
    assert back.loc[0, "company"].startswith("'+")
    assert back.loc[0, "location_text"] == "'-2+3"
    assert back.loc[0, "capacity_text"] == "'@SUM(A1)"
    assert back.loc[0, "source_sentence"] == "'\t=1+1"
    # numbers stay numbers, a negative amount is not a formula
    assert back.loc[0, "investment_yi"] == -1.5
    assert pd.api.types.is_float_dtype(back["investment_yi"])


def test_csv_chinese_headers_and_labels(projects):
    back = pd.read_csv(io.BytesIO(extract_bytes(projects, fmt="csv", chinese_headers=True)))
    assert back.columns[0] == "编号"
    assert "县区" in back.columns
    assert back.loc[0, "类别"] == "能源"
    assert back.loc[0, "阶段"] == "建设"
    assert back.loc[0, "县区"] == "潞州区"


def test_xlsx_reads_back_with_strings_and_numbers(projects, tmp_path):
    path = write_extract(projects, tmp_path / "sel.xlsx", chinese_headers=True)
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["编号", "项目名称", "英文名称"]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["项目名称"].value == "长治光伏储能项目"
    for name in ("英文名称", "建设单位", "位置描述", "规模描述", "原文出处"):
        assert row[name].data_type == "s"
        assert row[name].value.startswith("'")
    assert row["投资额（亿元）"].data_type == "n"
    assert row["投资额（亿元）"].value == -1.5
    assert row["规模数值"].value is None
    # no cell anywhere is a formula
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_geojson_round_trip(projects):
    data = extract_bytes(projects, fmt="geojson")
    doc = json.loads(data.decode("utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == 2
    assert doc["features"][0]["properties"]["name_zh"] == "长治光伏储能项目"
    # geojson is not a spreadsheet: text kept verbatim
    assert doc["features"][0]["properties"]["name_en"].startswith("=")
    assert doc["features"][0]["geometry"]["coordinates"] == pytest.approx([113.11, 36.19])


def test_gpkg_round_trip(projects, tmp_path):
    path = write_extract(projects, tmp_path / "sel.gpkg")
    assert pyogrio.list_layers(path)[0][0] == "projects"
    back = gpd.read_file(path, engine="pyogrio")
    assert back.crs.to_epsg() == 4326
    assert back.loc[1, "name_zh"] == "潞城区医院"
    assert back.geometry.iloc[1].x == pytest.approx(113.22)


def test_bad_format_and_crs(projects):
    with pytest.raises(ValueError, match="unknown extract format"):
        extract_bytes(projects, fmt="docx")
    with pytest.raises(ValueError, match="EPSG:4326"):
        extract_bytes(projects.to_crs("EPSG:32649"), fmt="gpkg")
