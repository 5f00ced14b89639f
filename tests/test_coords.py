"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 conversions: round trips, offsets, outside China."""

from __future__ import annotations

import subprocess
import sys
import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geodata.coords import CoordSystem, OutsideChinaWarning, convert, in_china, require_wgs84
from geodata.settings import CITY_BBOX, GCJ02_OUTLINE_PATH, ROOT_DIR

EARTH_RADIUS_M = 6_371_008.8


def _metres(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Distance in metres (equirectangular, exact enough at these scales)."""
    lat = np.radians((lat1 + lat2) / 2)
    dx = np.radians(lon2 - lon1) * np.cos(lat) * EARTH_RADIUS_M
    dy = np.radians(lat2 - lat1) * EARTH_RADIUS_M
    return np.hypot(dx, dy)


@pytest.fixture(scope="module")
def city_points() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20251126)
    min_lon, min_lat, max_lon, max_lat = CITY_BBOX
    return rng.uniform(min_lon, max_lon, 2000), rng.uniform(min_lat, max_lat, 2000)


@pytest.mark.parametrize("other", [CoordSystem.GCJ02, CoordSystem.BD09])
def test_round_trip_below_one_centimetre(
    city_points: tuple[np.ndarray, np.ndarray], other: CoordSystem
) -> None:
    lon, lat = city_points
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideChinaWarning)
        x, y = convert(lon=lon, lat=lat, src="wgs84", dst=other)
        back_x, back_y = convert(lon=x, lat=y, src=other, dst="wgs84")
    assert len(lon) >= 1000
    # the forward step really moved the points
    assert _metres(lon, lat, x, y).min() > 50
    assert _metres(lon, lat, back_x, back_y).max() < 0.01


def test_gcj_to_bd_round_trip(city_points: tuple[np.ndarray, np.ndarray]) -> None:
    lon, lat = city_points
    x, y = convert(lon=lon, lat=lat, src="gcj02", dst="bd09")
    back_x, back_y = convert(lon=x, lat=y, src="bd09", dst="gcj02")
    assert _metres(lon, lat, back_x, back_y).max() < 0.01


def test_known_gcj_offset_in_changzhi() -> None:
    lon, lat = 113.1163, 36.1955
    x, y = convert(lon=lon, lat=lat, src=CoordSystem.WGS84, dst=CoordSystem.GCJ02)
    offset = float(_metres(np.array(lon), np.array(lat), np.array(x), np.array(y)))
    # gcj-02 shifts points in shanxi by a few hundred metres, north-east-ish
    assert 100 < offset < 1000
    assert x > lon
    bx, by = convert(lon=lon, lat=lat, src="wgs84", dst="bd09")
    bd_offset = float(_metres(np.array(lon), np.array(lat), np.array(bx), np.array(by)))
    assert bd_offset > offset


def test_outside_china_unchanged_with_warning() -> None:
    lon = np.array([2.35, 113.1, -74.0])
    lat = np.array([48.85, 36.2, 40.7])
    with pytest.warns(OutsideChinaWarning, match="2 point"):
        x, y = convert(lon=lon, lat=lat, src="wgs84", dst="gcj02")
    assert (x[[0, 2]] == lon[[0, 2]]).all()
    assert (y[[0, 2]] == lat[[0, 2]]).all()
    assert x[1] != lon[1]
    with pytest.warns(OutsideChinaWarning):
        assert convert(lon=2.35, lat=48.85, src="bd09", dst="wgs84") == (2.35, 48.85)


def test_scalar_and_array_agree() -> None:
    sx, sy = convert(lon=113.0, lat=36.5, src="wgs84", dst="gcj02")
    assert isinstance(sx, float)
    assert isinstance(sy, float)
    ax, ay = convert(lon=[113.0, 112.5], lat=[36.5, 36.0], src="wgs84", dst="gcj02")
    assert isinstance(ax, np.ndarray)
    assert ax.shape == (2,)
    assert (ax[0], ay[0]) == (sx, sy)


def test_same_system_is_identity() -> None:
    assert convert(lon=113.0, lat=36.5, src="gcj02", dst="gcj02") == (113.0, 36.5)


def test_shape_mismatch_raises() -> None:
    with pytest.raises(ValueError, match="differ in shape"):
        convert(lon=[1.0, 2.0], lat=[1.0], src="wgs84", dst="gcj02")


def test_require_wgs84_names_the_frame_and_its_crs() -> None:
    points = gpd.GeoDataFrame(geometry=[shapely.Point(113.1, 36.2)], crs="EPSG:4326")
    require_wgs84(points, what="projects")
    with pytest.raises(ValueError, match=r"projects must be in EPSG:4326.*got EPSG:3857"):
        require_wgs84(points.to_crs(3857), what="projects")
    with pytest.raises(ValueError, match=r"counties must be in EPSG:4326.*got None"):
        require_wgs84(gpd.GeoDataFrame(geometry=[shapely.Point(113.1, 36.2)]), what="counties")


# neighbours inside the old bounding box, and mainland cities near its edges
NEIGHBOURS = {
    "Seoul": (126.978, 37.5665),
    "Hanoi": (105.8342, 21.0278),
    "Ulaanbaatar": (106.9057, 47.8864),
    "Pyongyang": (125.7625, 39.0392),
}
MAINLAND = {
    "Beijing": (116.4074, 39.9042),
    "Urumqi": (87.6168, 43.8256),
    "Harbin": (126.535, 45.8038),
    "Sanya": (109.5119, 18.2528),
    "Changzhi": (113.1163, 36.1955),
}
# hong kong, macau and taiwan: gcj-02 applies on the mainland only
EXCLUDED = {
    "Hong Kong": (114.1694, 22.3193),
    "Macau": (113.5439, 22.1987),
    "Taipei": (121.5654, 25.033),
}


@pytest.mark.parametrize("src", ["wgs84", "gcj02", "bd09"])
@pytest.mark.parametrize("name", sorted(NEIGHBOURS | EXCLUDED))
def test_neighbours_unchanged_with_warning(name: str, src: str) -> None:
    lon, lat = (NEIGHBOURS | EXCLUDED)[name]
    dst = "gcj02" if src == "wgs84" else "wgs84"
    with pytest.warns(OutsideChinaWarning, match="1 point"):
        assert convert(lon=lon, lat=lat, src=src, dst=dst) == (lon, lat)


@pytest.mark.parametrize("name", sorted(MAINLAND))
def test_mainland_cities_shifted(name: str) -> None:
    lon, lat = MAINLAND[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideChinaWarning)
        x, y = convert(lon=lon, lat=lat, src="wgs84", dst="gcj02")
        back_x, back_y = convert(lon=x, lat=y, src="gcj02", dst="wgs84")
    shift = _metres(np.array(lon), np.array(lat), np.array(x), np.array(y))
    assert 50 < float(shift) < 1000
    assert float(_metres(np.array(lon), np.array(lat), np.array(back_x), np.array(back_y))) < 0.01


def test_in_china_is_vectorised_and_keeps_shape() -> None:
    names = [*NEIGHBOURS, *MAINLAND, *EXCLUDED]
    table = NEIGHBOURS | MAINLAND | EXCLUDED
    lon = np.array([table[n][0] for n in names])
    lat = np.array([table[n][1] for n in names])
    inside = in_china(lon, lat)
    assert inside.dtype == bool
    assert dict(zip(names, inside.tolist(), strict=True)) == {n: n in MAINLAND for n in names}
    assert in_china(lon.reshape(3, 4), lat.reshape(3, 4)).shape == (3, 4)
    assert in_china(np.array([np.nan, 113.1]), np.array([36.2, np.nan])).tolist() == [False, False]
    assert bool(in_china(113.1, 36.2)) is True


def test_outline_is_mainland_wgs84_and_loaded_lazily() -> None:
    code = (
        "import geodata.coords as c, geodata.ingest, geodata.store; "
        "print(c._mainland_outline.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT_DIR
    )
    assert out.stdout.strip() == "0"
    outline = gpd.read_file(GCJ02_OUTLINE_PATH)
    assert outline.crs.to_epsg() == 4326
    # small enough to ship, detailed enough to keep the mainland's shape
    assert GCJ02_OUTLINE_PATH.stat().st_size < 400_000
    minx, miny, maxx, maxy = outline.total_bounds
    assert 73 < minx < 74
    assert 53 < maxy < 54
    assert 3 < miny < 5
    assert 134 < maxx < 136
    assert outline.geometry.iloc[0].is_valid
