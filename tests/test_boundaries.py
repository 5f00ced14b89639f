"""County boundaries: validity, codes, areas, seats and reproducibility."""

from __future__ import annotations

import itertools

import geopandas as gpd
import pytest
import shapely

from geodata._build_boundaries import build_counties
from geodata.boundaries import county_seats, load_counties
from geodata.divisions import DIVISIONS
from geodata.settings import AREA_CRS, CITY_AREA_KM2


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_counties()


def test_twelve_valid_polygons(counties: gpd.GeoDataFrame) -> None:
    assert len(counties) == 12
    assert counties.crs.to_epsg() == 4326
    assert counties.is_valid.all()
    assert counties.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert not counties.is_empty.any()


def test_codes_and_names_match_divisions(counties: gpd.GeoDataFrame) -> None:
    expected = sorted((d.adcode, d.name_zh, d.name_en, d.kind.value) for d in DIVISIONS)
    got = sorted(
        zip(
            counties["adcode"],
            counties["name_zh"],
            counties["name_en"],
            counties["kind"],
            strict=True,
        )
    )
    assert got == expected
    assert set(counties["kind_zh"]) == {"区", "县"}


def test_no_overlaps(counties: gpd.GeoDataFrame) -> None:
    metric = counties.to_crs(AREA_CRS)
    smallest = metric.area.min()
    for a, b in itertools.combinations(range(len(metric)), 2):
        shared = metric.geometry.iloc[a].intersection(metric.geometry.iloc[b]).area
        assert shared < 1e-5 * smallest, (metric["name_zh"].iloc[a], metric["name_zh"].iloc[b])


def test_total_area_matches_official(counties: gpd.GeoDataFrame) -> None:
    total_km2 = counties.to_crs(AREA_CRS).area.sum() / 1e6
    assert abs(total_km2 - CITY_AREA_KM2) / CITY_AREA_KM2 < 0.01


def test_every_seat_inside_its_county(counties: gpd.GeoDataFrame) -> None:
    seats = county_seats(counties)
    for polygon, seat, name in zip(
        counties.geometry, seats.geometry, counties["name_zh"], strict=True
    ):
        assert polygon.contains(seat), name
        # and in no other county
        others = counties[counties["name_zh"] != name]
        assert not others.contains(seat).any(), name


def test_build_reproduces_committed_file(counties: gpd.GeoDataFrame) -> None:
    built = build_counties().sort_values("adcode").reset_index(drop=True)
    assert list(built["adcode"]) == list(counties["adcode"])
    for new, old, name in zip(built.geometry, counties.geometry, counties["name_zh"], strict=True):
        assert shapely.equals_exact(new.normalize(), old.normalize(), tolerance=1e-6) or (
            new.hausdorff_distance(old) < 1e-6
        ), name
