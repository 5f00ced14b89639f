"""The offline geocoder: matches, county hints, former names, unresolved text."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from geodata.divisions import BY_ADCODE
from geodata.geocode import RESULT_COLUMNS, GeocodeResult, geocode, geocode_many
from geodata.schema import Precision

CITY = BY_ADCODE["140403"]


@pytest.mark.parametrize(
    ("text", "adcode"),
    [
        ("长治县", "140404"),
        ("长治县韩店镇", "140404"),
        ("城区", "140403"),
        ("郊区", "140403"),
        ("长治市郊区", "140403"),
        ("潞城市", "140406"),
        ("屯留县", "140405"),
        ("140421", "140404"),
        ("140481", "140406"),
    ],
)
def test_former_names_resolve_to_today(text: str, adcode: str) -> None:
    res = geocode(text)
    assert res.resolved
    assert res.adcode == adcode
    assert res.precision is Precision.COUNTY
    assert res.matched == BY_ADCODE[adcode].name_zh
    assert (res.lon, res.lat) == (BY_ADCODE[adcode].seat_lon, BY_ADCODE[adcode].seat_lat)


@pytest.mark.parametrize(
    ("text", "adcode"),
    [
        ("长子县", "140428"),
        ("长子", "140428"),
        ("沁县", "140430"),
        ("沁源县", "140431"),
        ("Qin County", "140430"),
        ("长治市长子县丹朱镇某路", "140428"),
        ("山西省长治市武乡县", "140429"),
    ],
)
def test_counties(text: str, adcode: str) -> None:
    res = geocode(text)
    assert res.adcode == adcode
    assert res.precision in (Precision.COUNTY, Precision.PLACE)


def test_longest_alias_wins() -> None:
    # 长治县 (3) beats 长治 (2); 沁源 beats nothing shorter
    assert geocode("长治县").matched == "上党区"
    # a place inside a county name beats the county
    res = geocode("武乡县八路军文化旅游景区")
    assert res.matched == "八路军文化旅游景区"
    assert res.precision is Precision.PLACE
    assert res.adcode == "140429"
    assert geocode("沁源县沁河镇").matched == "沁河镇"


def test_city_words_give_city_precision() -> None:
    for text in ("长治", "长治市", "全市"):
        res = geocode(text)
        assert res.resolved
        assert res.precision is Precision.CITY
        assert res.adcode is None
        assert (res.lon, res.lat) == (CITY.seat_lon, CITY.seat_lat)


def test_named_places() -> None:
    res = geocode("后湾水库引水入市")
    assert (res.matched, res.precision, res.adcode) == ("后湾水库", Precision.PLACE, "140423")
    res = geocode("漳泽湖国家城市湿地公园")
    assert (res.matched, res.precision, res.adcode) == ("漳泽湖", Precision.PLACE, "140403")
    # a zone that could not be located offline says so by its precision
    res = geocode("长治经济技术开发区")
    assert res.precision is Precision.CITY
    assert res.adcode is None
    assert geocode("电铝经开区").matched == "电铝经开区"


def test_county_hint_gives_county_precision() -> None:
    res = geocode("武乡县魏家窑村", county="武乡县")
    assert (res.precision, res.adcode, res.matched) == (Precision.COUNTY, "140429", "武乡县")
    res = geocode("某工业园", county="140428")
    assert res.resolved
    assert (res.precision, res.adcode) == (Precision.COUNTY, "140428")
    assert "hint" in res.reason
    res = geocode("", county="长治县")
    assert (res.precision, res.adcode) == (Precision.COUNTY, "140404")


def test_county_hint_beats_city_level_match() -> None:
    res = geocode("长治经济技术开发区", county="潞州区")
    assert (res.precision, res.adcode) == (Precision.COUNTY, "140403")
    res = geocode("全市", county="壶关")
    assert (res.precision, res.adcode) == (Precision.COUNTY, "140427")


def test_county_hint_drops_places_in_other_counties() -> None:
    res = geocode("后湾水库", county="武乡县")
    assert res.adcode == "140429"
    assert res.precision is Precision.COUNTY
    assert "后湾水库" in res.reason
    res = geocode("后湾水库", county="襄垣")
    assert (res.matched, res.precision) == ("后湾水库", Precision.PLACE)


def test_ambiguous_former_names_only_match_whole_text() -> None:
    # 主城区 must not be read as the former 城区
    assert not geocode("主城区城南").resolved
    assert geocode("潞州区主城区城南").adcode == "140403"


@pytest.mark.parametrize("text", ["火星基地", "北京市朝阳区", "  ", "xyz"])
def test_unresolved_text_has_a_reason(text: str) -> None:
    res = geocode(text)
    assert not res.resolved
    assert (res.lon, res.lat, res.adcode, res.precision, res.matched) == (None,) * 4 + ("",)
    assert res.reason


def test_unknown_county_hint_is_unresolved() -> None:
    res = geocode("长子县", county="朝阳区")
    assert not res.resolved
    assert "朝阳区" in res.reason


def test_result_is_frozen_and_deterministic() -> None:
    res = geocode("炉坊巷、锡坊巷")
    assert res == geocode("炉坊巷、锡坊巷")
    assert res.matched == "炉坊巷"
    assert isinstance(res, GeocodeResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.lon = 0.0  # type: ignore[misc]


def test_normalisation() -> None:
    assert geocode("　长子 县 ").adcode == "140428"
    assert geocode("ＱＩＮ ＣＯＵＮＴＹ").adcode == "140430"


def test_geocode_many_matches_geocode() -> None:
    texts = ["长治县", "火星", "武乡县魏家窑村", "", None, "后湾水库", "长治县"]
    counties = [None, None, "140429", "140428", None, "", ""]
    frame = geocode_many(texts, counties)
    assert list(frame.columns) == list(RESULT_COLUMNS)
    assert len(frame) == len(texts)
    for i, (text, county) in enumerate(zip(texts, counties, strict=True)):
        one = geocode(text or "", county=county or None)
        row = frame.iloc[i]
        assert row["resolved"] == one.resolved
        assert row["adcode"] == (one.adcode or "")
        assert row["precision"] == (one.precision.value if one.precision else "")
        if one.resolved:
            assert (row["lon"], row["lat"]) == (one.lon, one.lat)
        else:
            assert pd.isna(row["lon"])
    assert frame["lon"].dtype == float


def test_geocode_many_length_mismatch() -> None:
    with pytest.raises(ValueError, match="2 texts but 1"):
        geocode_many(["a", "b"], [None])
