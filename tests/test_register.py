"""The project register: contents, validation errors, county facts and figures."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geodata.boundaries import load_counties
from geodata.geocode import geocode
from geodata.register import (
    RegisterError,
    load_figures,
    load_register,
    register_version,
    validate_register,
)
from geodata.schema import REGISTER_COLUMNS, Category, Precision, Stage, Subcategory
from geodata.settings import FIGURES_PATH, REGISTER_PATH, ROOT_DIR

REPORT = ROOT_DIR / "geodata" / "data" / "changzhi-2025-major-projects.txt"

# county the report states for each project (substring of name_zh → adcode)
STATED_COUNTY = {
    "雄山二矿": "140404",
    "襄垣“源网荷储”一体化项目": "140423",
    "5万千瓦光伏": "140423",
    "全钒液流": "140406",
    "沁源综合能源岛": "140431",
    "山海传奇": "140428",
    "绿农农牧": "140429",
    "吾悦广场": "140403",
    "炉坊巷": "140403",
    "长子县城市文旅商贸综合体": "140428",
    "欢乐海洋公园": "140427",
    "八路军": "140429",
    "云井青松岭": "140427",
    "花椒小镇": "140425",
    "魏家窑": "140429",
    "冻干食品": "140428",
}
# projects whose county the report does not state
NO_STATED_COUNTY = (
    "高科华烨",
    "PVDF",
    "铝基工业固废",
    "MLED",
    "光疗椅",
    "软磁材料",
    "正来制药",
    "观音堂",
    "漳泽湖",
    "后湾水库",
    "飞轮储能",
)


@pytest.fixture(scope="module")
def register() -> gpd.GeoDataFrame:
    return load_register()


def _row(register: gpd.GeoDataFrame, key: str) -> pd.Series:
    exact = register[register["name_zh"] == key]
    hits = exact if len(exact) else register[register["name_zh"].str.contains(key, regex=False)]
    assert len(hits) == 1, f"{key!r} matches {len(hits)} rows"
    return hits.iloc[0]


def _good_frame() -> pd.DataFrame:
    row = {
        "id": "T-1",
        "name_zh": "测试项目",
        "name_en": "Test project",
        "category": "energy",
        "subcategory": "photovoltaic",
        "company": "",
        "county_adcode": "140423",
        "location_text": "襄垣县",
        "lon": "113.0518",
        "lat": "36.5354",
        "precision": "county",
        "stage": "construction",
        "investment_yi": "5.39",
        "key_level": "provincial",
        "major_10yi": "no",
        "capacity_value": "50",
        "capacity_unit": "MW",
        "capacity_text": "5万千瓦",
        "source_sentence": "测试。",
    }
    second = {
        **row,
        "id": "T-2",
        "investment_yi": "",
        "key_level": "",
        "major_10yi": "",
        "capacity_value": "",
        "capacity_unit": "",
    }
    return pd.DataFrame([row, second], columns=list(REGISTER_COLUMNS))


def test_register_loads_with_contract(register: gpd.GeoDataFrame) -> None:
    assert list(register.columns) == [*REGISTER_COLUMNS, "geometry"]
    assert register.crs.to_epsg() == 4326
    assert 25 <= len(register) <= 30
    assert register["id"].is_unique
    assert register["id"].str.fullmatch(r"CZ25-\d{3}").all()
    assert (register.geom_type == "Point").all()
    assert register["lon"].dtype == float
    assert register["investment_yi"].dtype == float
    assert register["capacity_value"].dtype == float
    for col in ("company", "county_adcode", "capacity_unit", "capacity_text"):
        assert all(isinstance(v, str) for v in register[col])
    assert set(register["category"]) == {c.value for c in Category}
    assert set(register["precision"]) <= {p.value for p in Precision}
    assert set(register["stage"]) <= {s.value for s in Stage}
    for cat, sub in zip(register["category"], register["subcategory"], strict=True):
        assert Subcategory(sub).category == Category(cat)


def test_every_source_sentence_is_verbatim(register: gpd.GeoDataFrame) -> None:
    report = REPORT.read_text("utf-8")
    for rid, sentence in zip(register["id"], register["source_sentence"], strict=True):
        for part in sentence.split("｜"):
            assert part and part in report, f"{rid}: {part!r} not in the report"


def test_every_capacity_text_quotes_the_report(register: gpd.GeoDataFrame) -> None:
    report = REPORT.read_text("utf-8")
    for rid, text in zip(register["id"], register["capacity_text"], strict=True):
        for part in filter(None, text.split("; ")):
            assert part in report, f"{rid}: capacity {part!r} is not the report's wording"


def test_names_from_the_report_are_all_present(register: gpd.GeoDataFrame) -> None:
    for key in [*STATED_COUNTY, *NO_STATED_COUNTY]:
        _row(register, key)
    # the hydrogen caption names no project
    assert not register["source_sentence"].str.contains("氢能制储运一体化").any()


def test_stated_counties(register: gpd.GeoDataFrame) -> None:
    for key, adcode in STATED_COUNTY.items():
        assert _row(register, key)["county_adcode"] == adcode, key
    for key in NO_STATED_COUNTY:
        assert _row(register, key)["county_adcode"] == "", key
    assert set(register["county_adcode"]) - {""} == set(STATED_COUNTY.values())


def test_only_houwan_states_investment(register: gpd.GeoDataFrame) -> None:
    stated = register[register["investment_yi"].notna()]
    assert list(stated["name_zh"]) == ["后湾水库供水工程"]
    assert stated["investment_yi"].iloc[0] == pytest.approx(5.39)
    # the 7.2亿元 profit of the pvdf project is not an investment
    assert math.isnan(_row(register, "PVDF")["investment_yi"])


def test_capacities(register: gpd.GeoDataFrame) -> None:
    expected = {
        "5万千瓦光伏": (50, "MW"),
        "全钒液流": (300, "MW"),
        "PVDF": (10000, "t/yr"),
        "飞轮储能": (30, "MW"),
        "后湾水库": (21_000_000, "m³/yr"),
        "正来制药": (3000, "t/yr"),
        "欢乐海洋公园": (300_000, "visitors/yr"),
    }
    for key, (value, unit) in expected.items():
        row = _row(register, key)
        assert row["capacity_value"] == value, key
        assert row["capacity_unit"] == unit, key
    assert (register["capacity_value"].isna() == (register["capacity_unit"] == "")).all()


def test_stages_follow_the_text(register: gpd.GeoDataFrame) -> None:
    assert _row(register, "后湾水库")["stage"] == "construction"
    assert _row(register, "MLED")["stage"] == "construction"
    assert _row(register, "观音堂")["stage"] == "construction"
    assert _row(register, "全钒液流")["stage"] == "operation"
    # commissioning still to come: not in operation
    assert _row(register, "PVDF")["stage"] == "unknown"
    assert _row(register, "正来制药")["stage"] == "unknown"
    assert not register["stage"].isin(["planning", "reserve"]).any()


def test_coordinates_come_from_the_geocoder(register: gpd.GeoDataFrame) -> None:
    for row in register.itertuples():
        res = geocode(row.location_text, county=row.county_adcode or None)
        assert res.resolved, (row.id, res.reason)
        assert res.lon == pytest.approx(row.lon, abs=1e-9), row.id
        assert res.lat == pytest.approx(row.lat, abs=1e-9), row.id
        assert res.precision == Precision(row.precision), row.id
        if row.county_adcode:
            assert res.adcode == row.county_adcode, row.id


def test_stated_county_points_lie_in_their_county(register: gpd.GeoDataFrame) -> None:
    counties = load_counties().set_index("adcode")
    stated = register[register["county_adcode"] != ""]
    assert len(stated) == len(STATED_COUNTY)
    for row in stated.itertuples():
        polygon = counties.loc[row.county_adcode, "geometry"]
        assert polygon.contains(shapely.Point(row.lon, row.lat)), row.id


def test_precise_rows(register: gpd.GeoDataFrame) -> None:
    place = set(register.loc[register["precision"] == "place", "name_zh"])
    assert place == {
        "炉坊巷、锡坊巷等老街改造",
        "八路军文化旅游景区基础设施升级",
        "漳泽湖国家城市湿地公园",
        "后湾水库供水工程",
    }
    # a city-precision row says nothing beyond the city
    city = register[register["precision"] == "city"]
    assert (city["county_adcode"] == "").all()


def test_good_frame_validates() -> None:
    validate_register(_good_frame())


def test_bundled_register_names_no_key_level_and_derives_major(register) -> None:
    # the report names no level per project; 10亿元 follows the stated investment only
    assert set(register["key_level"]) == {""}
    stated = register["investment_yi"].notna()
    assert set(register.loc[~stated, "major_10yi"]) == {""}
    want = register.loc[stated, "investment_yi"].ge(10).map({True: "yes", False: "no"})
    assert register.loc[stated, "major_10yi"].tolist() == want.tolist()


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("category", "transport", "unknown value 'transport'"),
        ("subcategory", "rockets", "unknown value 'rockets'"),
        ("subcategory", "water", "belongs to category 'livelihood'"),
        ("county_adcode", "140421", "not a current county"),
        ("county_adcode", "110101", "not a current county"),
        ("lon", "116.40", "outside the city box"),
        ("lat", "39.9", "outside the city box"),
        ("lat", "north", "is not a number"),
        ("precision", "street", "unknown value 'street'"),
        ("stage", "建设", "unknown value '建设'"),
        ("name_zh", "", "is empty"),
        ("investment_yi", "5.39亿元", "is not a number"),
        ("investment_yi", "-1", "is negative"),
        ("capacity_value", "五十", "is not a number"),
        ("key_level", "省重点", "unknown value '省重点'"),
        ("major_10yi", "yes", "does not follow from investment_yi ('no')"),
        ("major_10yi", "", "does not follow from investment_yi"),
        ("capacity_unit", "", "capacity_value is given"),
        ("source_sentence", " ", "is empty"),
    ],
)
def test_bad_value_names_row_and_field(field: str, value: str, needle: str) -> None:
    df = _good_frame()
    df.loc[0, field] = value
    with pytest.raises(RegisterError) as info:
        validate_register(df)
    text = str(info.value)
    assert f"row 1 (id T-1), field {field!r}" in text
    assert needle in text
    assert "T-2" not in text
    assert all(p.row == 1 and p.field == field for p in info.value.problems)


def test_duplicate_id_names_second_row() -> None:
    df = _good_frame()
    df.loc[1, "id"] = "T-1"
    with pytest.raises(RegisterError, match=r"row 2 \(id T-1\), field 'id': duplicate id"):
        validate_register(df)


def test_every_problem_is_listed() -> None:
    df = _good_frame()
    df.loc[0, "category"] = "x"
    df.loc[1, "stage"] = "y"
    with pytest.raises(RegisterError) as info:
        validate_register(df)
    assert [(p.row, p.field) for p in info.value.problems] == [(1, "category"), (2, "stage")]


def test_missing_column() -> None:
    df = _good_frame().drop(columns=["stage"])
    with pytest.raises(RegisterError, match="field 'stage': column is missing"):
        validate_register(df)


def test_numeric_cells_are_accepted() -> None:
    df = _good_frame()
    df["lon"] = df["lon"].astype(float)
    df["investment_yi"] = pd.to_numeric(df["investment_yi"].replace("", None))
    validate_register(df)


def test_load_register_rejects_a_bad_file(tmp_path: pytest.TempPathFactory) -> None:
    text = REGISTER_PATH.read_text("utf-8").replace(",storage,", ",solar,", 1)
    bad = tmp_path / "projects.csv"
    bad.write_text(text, "utf-8")
    with pytest.raises(RegisterError, match=r"field 'subcategory': unknown value 'solar'"):
        load_register(bad)


def test_register_version_tracks_content(tmp_path: pytest.TempPathFactory) -> None:
    version = register_version()
    assert len(version) == 12
    assert version == register_version(REGISTER_PATH)
    copy = tmp_path / "projects.csv"
    copy.write_bytes(REGISTER_PATH.read_bytes() + b"\n")
    assert register_version(copy) != version


def test_headline_figures() -> None:
    figures = load_figures().set_index("key")
    assert list(load_figures().columns) == [
        "key",
        "label_zh",
        "label_en",
        "value",
        "unit",
        "kind",
        "sentence",
    ]
    expected = {
        "projects_started": (2537, "个", "actual"),
        "investment_completed": (956, "亿元", "actual"),
        "policy_funds": (76.9, "亿元", "actual"),
        "key_projects": (777, "个", "actual"),
        "major_projects_10yi": (180, "个", "actual"),
        "target_fai_growth": (10, "%", "target"),
        "target_industrial_projects_completed": (500, "个", "target"),
        "target_industrial_investment": (750, "亿元", "target"),
        "target_infrastructure_investment": (400, "亿元", "target"),
    }
    for key, (value, unit, kind) in expected.items():
        assert figures.loc[key, "value"] == pytest.approx(value), key
        assert figures.loc[key, "unit"] == unit, key
        assert figures.loc[key, "kind"] == kind, key
    report = REPORT.read_text("utf-8")
    for key, sentence in figures["sentence"].items():
        assert sentence in report, key
        number = f"{figures.loc[key, 'value']:g}"
        assert number in sentence, key
    assert FIGURES_PATH.exists()
