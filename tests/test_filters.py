"""Project filters: selection and URL round trip."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geodata.filters import ProjectFilter, apply_filter
from geodata.i18n import Lang


def _frame() -> gpd.GeoDataFrame:
    rows = [
        (
            "a",
            "后湾水库供水工程",
            "Houwan Reservoir",
            "livelihood",
            "water",
            "140423",
            "construction",
            5.39,
        ),
        (
            "b",
            "全钒液流电池项目",
            "Vanadium battery",
            "energy",
            "storage",
            "140406",
            "unknown",
            np.nan,
        ),
        (
            "c",
            "吾悦广场项目",
            "Wuyue Plaza",
            "livelihood",
            "commerce",
            "140403",
            "construction",
            20.0,
        ),
    ]
    cols = [
        "id",
        "name_zh",
        "name_en",
        "category",
        "subcategory",
        "county_adcode",
        "stage",
        "investment_yi",
    ]
    df = gpd.GeoDataFrame(
        [dict(zip(cols, r, strict=True)) for r in rows],
        geometry=[Point(113.0, 36.5)] * 3,
        crs="EPSG:4326",
    )
    df["company"] = ""
    df["location_text"] = ""
    return df


def test_empty_filter_selects_all():
    assert ProjectFilter().is_empty
    assert len(apply_filter(_frame(), ProjectFilter())) == 3


def test_each_field_narrows():
    f = _frame()
    assert apply_filter(f, ProjectFilter(categories=("energy",)))["id"].tolist() == ["b"]
    assert apply_filter(f, ProjectFilter(subcategories=("water", "commerce")))["id"].tolist() == [
        "a",
        "c",
    ]
    assert apply_filter(f, ProjectFilter(counties=("140403",)))["id"].tolist() == ["c"]
    assert apply_filter(f, ProjectFilter(stages=("unknown",)))["id"].tolist() == ["b"]
    # a bound drops projects without a stated amount
    assert apply_filter(f, ProjectFilter(invest_min=1.0, invest_max=10.0))["id"].tolist() == ["a"]
    assert apply_filter(f, ProjectFilter(query="wuyue"))["id"].tolist() == ["c"]
    assert apply_filter(f, ProjectFilter(query="水库"))["id"].tolist() == ["a"]


def test_resolved_county_preferred_when_present():
    f = _frame()
    f["resolved_adcode"] = ["140403", "140406", "140403"]
    assert apply_filter(f, ProjectFilter(counties=("140403",)))["id"].tolist() == ["a", "c"]


def test_query_params_round_trip():
    flt = ProjectFilter(
        categories=("energy", "livelihood"),
        counties=("140404",),
        stages=("construction",),
        invest_min=1.5,
        query="水库",
    )
    params = flt.to_query_params()
    assert params == {
        "cat": "energy,livelihood",
        "county": "140404",
        "stage": "construction",
        "min": "1.5",
        "q": "水库",
    }
    assert ProjectFilter.from_query_params(params) == flt


def test_query_params_drop_garbage_and_accept_legacy_county_names():
    flt = ProjectFilter.from_query_params(
        {"cat": "energy,bogus", "county": "长治县,nowhere", "min": "abc", "max": "-3"}
    )
    assert flt == ProjectFilter(categories=("energy",), counties=("140404",))


def test_describe_names_filters_in_both_languages():
    flt = ProjectFilter(categories=("energy",), counties=("140428",))
    assert flt.describe(lang=Lang.ZH) == "类别：能源；县区：长子县"
    assert flt.describe(lang=Lang.EN) == "Category: Energy; County: Zhangzi County"
    assert ProjectFilter().describe() == "全部项目"
    two = ProjectFilter(categories=("energy", "industry"))
    assert two.describe(lang=Lang.ZH) == "类别：能源、产业"
    assert two.describe(lang=Lang.EN) == "Category: Energy, Industry"


@pytest.mark.parametrize("lang", ["fr", "ZH", "", "chinese"])
def test_describe_refuses_unknown_languages(lang):
    # a text that is not a Lang member is refused, not read as Chinese
    with pytest.raises(ValueError, match="unknown language"):
        ProjectFilter(categories=("energy",)).describe(lang=lang)
    with pytest.raises(ValueError, match="unknown language"):
        ProjectFilter().describe(lang=lang)


def test_describe_in_english_names_every_field():
    flt = ProjectFilter(
        categories=("energy",),
        subcategories=("photovoltaic",),
        counties=("140403",),
        stages=("construction",),
        invest_min=1.0,
        query="光伏",
    )
    en = flt.describe(lang=Lang.EN)
    assert en.split("; ")[0] == "Category: Energy"
    assert "Investment: 1– 亿元" in en and en.endswith("Name contains: 光伏")
    assert "类别" not in en
    zh = flt.describe(lang=Lang.ZH)
    assert zh.startswith("类别：能源；子类：") and "县区：潞州区" in zh


def _levelled() -> gpd.GeoDataFrame:
    from geodata.schema import register_frame

    df = _frame()
    df["key_level"] = ["provincial", "", "municipal"]
    return register_frame(df)


def test_key_level_and_major_filters() -> None:
    df = _levelled()
    assert df["major_10yi"].tolist() == ["no", "", "yes"]
    assert list(apply_filter(df, ProjectFilter(key_levels=("provincial",)))["id"]) == ["a"]
    both = ProjectFilter(key_levels=("provincial", "municipal"))
    assert list(apply_filter(df, both)["id"]) == ["a", "c"]
    # a project without a stated investment is not a major one
    assert list(apply_filter(df, ProjectFilter(major_only=True))["id"]) == ["c"]


def test_key_level_and_major_query_params_round_trip() -> None:
    flt = ProjectFilter(key_levels=("municipal", "provincial"), major_only=True)
    params = flt.to_query_params()
    assert params == {"level": "municipal,provincial", "major": "1"}
    assert ProjectFilter.from_query_params(params) == flt
    odd = ProjectFilter.from_query_params({"level": "省重点,provincial,x", "major": "maybe"})
    assert odd == ProjectFilter(key_levels=("provincial",))
    assert "级别：市重点、省重点" in flt.describe(lang="zh")
    assert "1 billion yuan or more" in flt.describe(lang="en")


def test_counts_beside_the_headline_figures() -> None:
    from geodata.counts import figure_counts, key_project_count, major_project_count
    from geodata.register import load_register

    df = _levelled()
    assert key_project_count(df) == 2 and major_project_count(df) == 1
    table = figure_counts(df).set_index("key")
    assert table.loc["key_projects", "figure"] == 777
    assert table.loc["key_projects", ["counted", "not_stated"]].tolist() == [2, 1]
    assert table.loc["major_projects_10yi", "figure"] == 180
    assert table.loc["major_projects_10yi", ["counted", "not_stated"]].tolist() == [1, 1]
    # the bundled register states no level: nothing counted, never guessed
    bundled = figure_counts(load_register()).set_index("key")
    assert bundled.loc["key_projects", "counted"] == 0
