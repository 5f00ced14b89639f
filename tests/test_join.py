"""The county join, summary and mismatch list on tiny in-code frames and the real counties."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from geodata.boundaries import load_counties
from geodata.join import (
    assign_counties,
    county_at,
    county_mismatches,
    county_summary,
    unplaced_count,
)


def _projects(rows: list[dict], crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    base = {
        "id": "",
        "name_zh": "",
        "category": "energy",
        "county_adcode": "",
        "precision": "exact",
        "investment_yi": np.nan,
    }
    records = [{**base, **r} for r in rows]
    geoms = [Point(r.pop("lon"), r.pop("lat")) for r in records]
    return gpd.GeoDataFrame(records, geometry=geoms, crs=crs)


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_counties()


def _seat(counties: gpd.GeoDataFrame, adcode: str) -> tuple[float, float]:
    row = counties.set_index("adcode").loc[adcode]
    return float(row.seat_lon), float(row.seat_lat)


def test_assign_counties_uses_point_in_polygon(counties):
    lon, lat = _seat(counties, "140428")
    p = _projects([{"id": "a", "lon": lon, "lat": lat}, {"id": "b", "lon": 100.0, "lat": 30.0}])
    out = assign_counties(p, counties)
    assert out["spatial_adcode"].tolist() == ["140428", ""]
    assert out["spatial_name_zh"].tolist() == ["长子县", ""]
    assert out["id"].tolist() == ["a", "b"]


def test_summary_counts_and_sums_by_category(counties):
    lz = _seat(counties, "140403")
    qy = _seat(counties, "140431")
    p = _projects(
        [
            {"lon": lz[0], "lat": lz[1], "category": "energy", "investment_yi": 2.5},
            {"lon": lz[0], "lat": lz[1], "category": "livelihood", "investment_yi": 1.0},
            {"lon": lz[0], "lat": lz[1], "category": "livelihood"},
            {"lon": qy[0], "lat": qy[1], "category": "industry", "investment_yi": 4.0},
        ]
    )
    s = county_summary(p, counties)
    assert len(s) == 12
    assert s.loc["140403", "count_all"] == 3
    assert s.loc["140403", "count_livelihood"] == 2
    assert s.loc["140403", "invest_all"] == pytest.approx(3.5)
    assert s.loc["140403", "invested_known"] == 2
    assert s.loc["140431", "invest_industry"] == pytest.approx(4.0)
    assert s.loc["140429", "count_all"] == 0
    assert s["count_all"].sum() == 4


def test_mismatches_list_only_disagreeing_stated_counties(counties):
    lz = _seat(counties, "140403")
    p = _projects(
        [
            {"id": "ok", "lon": lz[0], "lat": lz[1], "county_adcode": "140403"},
            {"id": "bad", "lon": lz[0], "lat": lz[1], "county_adcode": "140431"},
            {"id": "unstated", "lon": lz[0], "lat": lz[1]},
        ]
    )
    m = county_mismatches(p, counties)
    assert m["id"].tolist() == ["bad"]
    assert m["spatial_adcode"].tolist() == ["140403"]


def test_crs_mismatch_raises(counties):
    p = _projects([{"lon": 500000.0, "lat": 4000000.0}], crs="EPSG:32649")
    with pytest.raises(ValueError, match="EPSG:4326"):
        assign_counties(p, counties)
    wrong = gpd.GeoDataFrame({"adcode": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:3857")
    with pytest.raises(ValueError, match="counties"):
        assign_counties(_projects([{"lon": 113.0, "lat": 36.0}]), wrong)


def test_assign_counties_is_idempotent(counties):
    lon, lat = _seat(counties, "140429")
    once = assign_counties(_projects([{"id": "a", "lon": lon, "lat": lat}]), counties)
    twice = assign_counties(once, counties)
    assert list(twice.columns) == list(once.columns)
    assert twice["spatial_adcode"].tolist() == ["140429"]
    assert county_summary(once, counties).loc["140429", "count_all"] == 1


def test_resolved_county_trusts_stated_county_then_precise_points(counties):
    lz = _seat(counties, "140403")
    p = _projects(
        [
            {"id": "stated", "lon": lz[0], "lat": lz[1], "county_adcode": "140428"},
            {"id": "exact", "lon": lz[0], "lat": lz[1]},
            {"id": "city", "lon": lz[0], "lat": lz[1], "precision": "city"},
            {"id": "seat", "lon": lz[0], "lat": lz[1], "precision": "county"},
        ]
    )
    out = assign_counties(p, counties)
    assert out["resolved_adcode"].tolist() == ["140428", "140403", "", ""]
    s = county_summary(p, counties)
    assert s.loc["140428", "count_all"] == 1
    assert s.loc["140403", "count_all"] == 1
    assert unplaced_count(p, counties) == 2


def test_summary_reuses_an_existing_join(counties):
    lz = _seat(counties, "140403")
    joined = assign_counties(_projects([{"id": "a", "lon": lz[0], "lat": lz[1]}]), counties)
    # the join columns are trusted as given: no second spatial join
    joined["resolved_adcode"] = "140431"
    assert county_summary(joined, counties).loc["140431", "count_all"] == 1


def test_investment_is_unknown_not_zero_where_nothing_is_stated(counties):
    lz = _seat(counties, "140403")
    qy = _seat(counties, "140431")
    p = _projects(
        [
            {"lon": lz[0], "lat": lz[1], "category": "energy"},
            {"lon": qy[0], "lat": qy[1], "category": "energy", "investment_yi": 0.0},
        ]
    )
    s = county_summary(p, counties)
    # a project without an amount says nothing about the county's investment
    assert np.isnan(s.loc["140403", "invest_all"])
    assert np.isnan(s.loc["140403", "invest_energy"])
    # a stated zero stays a zero
    assert s.loc["140431", "invest_all"] == 0.0
    assert np.isnan(s.loc["140429", "invest_all"])


def test_county_at_gives_each_seat_its_county_and_blank_outside(counties):
    lon = counties["seat_lon"].to_numpy(dtype=float)
    lat = counties["seat_lat"].to_numpy(dtype=float)
    codes = county_at(np.append(lon, [100.0, np.nan]), np.append(lat, [30.0, 36.2]), counties)
    assert list(codes[:-2]) == list(counties["adcode"].astype(str))
    assert list(codes[-2:]) == ["", ""]


def test_county_at_refuses_projected_counties(counties):
    with pytest.raises(ValueError, match="4326"):
        county_at(np.array([113.1]), np.array([36.2]), counties.to_crs(32649))
