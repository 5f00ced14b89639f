"""The gazetteer: derived counties, named places and their positions."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from geodata.boundaries import load_counties
from geodata.divisions import DIVISIONS, LEGACY_NAMES
from geodata.gazetteer import GAZETTEER_COLUMNS, GazetteerError, load_gazetteer
from geodata.schema import Precision
from geodata.settings import GAZETTEER_PATH


@pytest.fixture(scope="module")
def gazetteer() -> pd.DataFrame:
    return load_gazetteer()


def test_columns_and_types(gazetteer: pd.DataFrame) -> None:
    assert list(gazetteer.columns) == list(GAZETTEER_COLUMNS)
    assert gazetteer["lon"].dtype == float
    assert gazetteer["name"].is_unique
    assert set(gazetteer["precision"]) <= {p.value for p in Precision}
    assert (gazetteer["source"].str.len() > 10).all()


def test_counties_are_derived_with_legacy_aliases(gazetteer: pd.DataFrame) -> None:
    counties = gazetteer[gazetteer["kind"] == "county"].set_index("adcode")
    assert sorted(counties.index) == sorted(d.adcode for d in DIVISIONS)
    for d in DIVISIONS:
        assert counties.loc[d.adcode, "name"] == d.name_zh
        assert (counties.loc[d.adcode, "lon"], counties.loc[d.adcode, "lat"]) == (
            d.seat_lon,
            d.seat_lat,
        )
    for legacy, adcode in LEGACY_NAMES.items():
        assert legacy in counties.loc[adcode, "aliases"].split("|")
    seats = gazetteer[gazetteer["kind"] == "county_seat"]
    assert sorted(seats["name"]) == sorted(d.seat_zh for d in DIVISIONS)


def test_csv_does_not_repeat_derived_entries() -> None:
    raw = pd.read_csv(GAZETTEER_PATH, dtype=str, keep_default_na=False)
    names = {d.name_zh for d in DIVISIONS} | {d.seat_zh for d in DIVISIONS} | {"长治市"}
    assert not set(raw["name"]) & names
    assert not set(raw["kind"]) & {"county", "county_seat", "city"}


def test_register_places_are_present(gazetteer: pd.DataFrame) -> None:
    names = set(gazetteer["name"])
    for place in (
        "后湾水库",
        "漳泽湖",
        "八路军文化旅游景区",
        "炉坊巷",
        "锡坊巷",
        "长治经济技术开发区",
    ):
        assert place in names


def test_points_lie_in_their_county(gazetteer: pd.DataFrame) -> None:
    counties = load_counties().set_index("adcode")
    located = gazetteer[gazetteer["adcode"] != ""]
    assert len(located) >= 24 + 5
    for row in located.itertuples():
        polygon = counties.loc[row.adcode, "geometry"]
        assert polygon.contains(shapely.Point(row.lon, row.lat)), row.name


def test_place_entries_state_their_uncertainty(gazetteer: pd.DataFrame) -> None:
    raw = pd.read_csv(GAZETTEER_PATH, dtype=str, keep_default_na=False)
    for row in raw.itertuples():
        assert "approximate" in row.source or "not located" in row.source, row.name
        if row.precision == "city":
            assert row.adcode == "", row.name


def test_bad_file_is_rejected(tmp_path: pytest.TempPathFactory) -> None:
    text = GAZETTEER_PATH.read_text("utf-8").replace(",reservoir,112.9300,", ",reservoir,121.5,")
    bad = tmp_path / "gazetteer.csv"
    bad.write_text(text, "utf-8")
    with pytest.raises(GazetteerError, match=r"row \d+ \(后湾水库\).*outside the city box"):
        load_gazetteer(bad)


def test_alias_naming_two_places_is_rejected(tmp_path: pytest.TempPathFactory) -> None:
    text = GAZETTEER_PATH.read_text("utf-8").replace("炉坊巷,,old_street", "炉坊巷,长子,old_street")
    bad = tmp_path / "gazetteer.csv"
    bad.write_text(text, "utf-8")
    with pytest.raises(GazetteerError, match="alias '长子' names both"):
        load_gazetteer(bad)
