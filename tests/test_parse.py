"""Cell parsers: encodings, headers, amounts, coordinates, vocabularies."""

from __future__ import annotations

import math

import pytest

from geodata.ingest._cells import Verdict
from geodata.ingest._headers import map_headers, missing_fields
from geodata.ingest._parse_amounts import parse_amount
from geodata.ingest._parse_coords import parse_coordinate
from geodata.ingest._text import DecodeError, decode_text, number_text
from geodata.ingest._vocab import lookup_category, lookup_stage, lookup_subcategory
from geodata.schema import Category, Stage, Subcategory


def test_decode_utf8_bom_gbk_in_order():
    text = "项目名称,所在县区\n"
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert decode_text(text.encode("gbk")) == (text, "gb18030")


def test_decode_refuses_with_offset_and_never_replaces():
    data = "项目名称".encode() + b"\x80\xff\xfe"
    with pytest.raises(DecodeError) as err:
        decode_text(data)
    assert err.value.offset == 12
    assert "12" in str(err.value)
    assert "\ufffd" not in str(err.value)


def test_bom_with_bad_bytes_reports_offset_in_file():
    with pytest.raises(DecodeError) as err:
        decode_text(b"\xef\xbb\xbfab\xff")
    assert err.value.offset == 5


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5.39亿元", 5.39),
        ("3000万元", 0.3),
        ("１，２００万元", 0.12),
        ("5.39 亿", 5.39),
        ("5.39", 5.39),
        ("12,000 万", 1.2),
        ("150000000元", 1.5),
    ],
)
def test_amounts_to_yi(text, value):
    parsed = parse_amount(text)
    assert parsed.verdict is Verdict.OK
    assert parsed.value == pytest.approx(value)


def test_bare_number_uses_header_unit():
    assert parse_amount("53900", default_unit="万元").value == pytest.approx(5.39)


@pytest.mark.parametrize("unit", ["亿元", "万元", "元"])
@pytest.mark.parametrize(
    "text", ["0", "5.39", "0012.50", "53900", "4999", "5001", "150000000", "99999999999.123"]
)
def test_plain_numbers_read_like_any_other_cell(text, unit):
    # a plain number takes the short way; padded it goes the whole way: same result
    assert parse_amount(text, default_unit=unit) == parse_amount(f" {text} ", default_unit=unit)


@pytest.mark.parametrize("text", ["待定", "—", "", "  ", "--", "暂无"])
def test_not_stated_amount_warns_never_zero(text):
    parsed = parse_amount(text)
    assert parsed.verdict is Verdict.WARN
    assert math.isnan(parsed.value)
    assert "未填写" in parsed.message


def test_approximate_amount_warns_with_value():
    parsed = parse_amount("约5亿")
    assert parsed.verdict is Verdict.WARN
    assert parsed.value == pytest.approx(5.0)
    assert "约数" in parsed.message


@pytest.mark.parametrize("text", ["很多钱", "5亿美元", "1.2.3", "-3亿元"])
def test_unreadable_amount_rejects(text):
    parsed = parse_amount(text)
    assert parsed.verdict is Verdict.REJECT
    assert math.isnan(parsed.value)


def test_coordinates():
    assert parse_coordinate("113.1163").value == pytest.approx(113.1163)
    assert parse_coordinate("１１３．１１６３").value == pytest.approx(113.1163)
    assert parse_coordinate("36.2°N").value == pytest.approx(36.2)
    empty = parse_coordinate("")
    assert empty.verdict is Verdict.OK and math.isnan(empty.value)
    for bad in ("NaN", "nan", "inf", "东经113度", "113,1"):
        assert parse_coordinate(bad).verdict is Verdict.REJECT, bad


def test_headers_chinese_english_and_units():
    header = map_headers(["项目名称", "所在县区", "总投资（万元）", "Longitude", "纬度", "备注"])
    assert header.fields["name_zh"] == "项目名称"
    assert header.fields["investment"] == "总投资（万元）"
    assert header.investment_unit == "万元"
    assert header.fields["lon"] == "Longitude"
    assert header.unknown == ("备注",)
    assert missing_fields(header) == ["category"]
    assert missing_fields(map_headers(["Name", "County", "子类"])) == []


def test_missing_required_names_the_column():
    missing = missing_fields(map_headers(["项目名称", "类别"]))
    assert missing == ["county"]


def test_vocabularies_are_lookup_tables():
    assert lookup_stage("在建") is Stage.CONSTRUCTION
    assert lookup_stage("开工") is Stage.CONSTRUCTION
    assert lookup_stage("达产达效") is Stage.OPERATION
    assert lookup_stage("投产") is Stage.OPERATION
    assert lookup_stage("谋划") is Stage.PLANNING
    assert lookup_stage("储备") is Stage.RESERVE
    assert lookup_stage("") is Stage.UNKNOWN
    assert lookup_stage("研究中") is None
    assert lookup_category("能源") is Category.ENERGY
    assert lookup_category("民生类") is Category.LIVELIHOOD
    assert lookup_category("Industry") is Category.INDUSTRY
    assert lookup_category("农业") is None
    assert lookup_subcategory("光伏") is Subcategory.PHOTOVOLTAIC
    assert lookup_subcategory("Energy storage") is Subcategory.STORAGE


def test_number_text():
    assert number_text(5.0) == "5"
    assert number_text(5.39) == "5.39"
    assert number_text(None) == ""
    assert number_text(12) == "12"
