"""Synthetic projects for benchmarks: clearly labelled, never mixed into the register.

Every synthetic row has an id starting ``SYN-`` and a name starting ``合成项目``
and its ``source_sentence`` says it is synthetic. Points are drawn uniformly
inside the real county polygons, weighted by county area, with a share placed
exactly on the county seat (as many real projects are).

Usage: ``python -m bench.synthetic N OUT.csv`` writes a register-shaped CSV.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.boundaries import load_counties
from geodata.i18n import bilingual
from geodata.schema import REGISTER_COLUMNS, KeyLevel, Precision, Stage, Subcategory, major_flags
from geodata.settings import AREA_CRS, WGS84

SIZES: tuple[int, ...] = (2_537, 25_000, 250_000)
SEAT_SHARE = 0.2
# key levels shaped like the report: 777 省市重点工程 of 2,537 projects started
KEY_LEVEL_SHARES: dict[str, float] = {
    KeyLevel.PROVINCIAL.value: 0.04,
    KeyLevel.MUNICIPAL.value: 0.27,
    KeyLevel.GENERAL.value: 0.69,
}


def _points_in(polygon: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` uniform points inside ``polygon`` by rejection sampling."""
    minx, miny, maxx, maxy = polygon.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        need = (n - len(out)) * 2 + 16
        cand = np.column_stack([rng.uniform(minx, maxx, need), rng.uniform(miny, maxy, need)])
        keep = shapely.contains_xy(polygon, cand[:, 0], cand[:, 1])
        out = np.vstack([out, cand[keep]])
    return out[:n]


def _locations(
    counties: gpd.GeoDataFrame, county_idx: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return points inside each project's county (a share on its seat) and their precision."""
    n = len(county_idx)
    lon = np.empty(n)
    lat = np.empty(n)
    precision = np.full(n, Precision.EXACT.value, dtype=object)
    on_seat = rng.random(n) < SEAT_SHARE
    # sample points per county
    for i, row in counties.iterrows():
        mask = county_idx == i
        pts = _points_in(row.geometry, int(mask.sum()), rng)
        lon[mask], lat[mask] = pts[:, 0], pts[:, 1]
        seat = mask & on_seat
        lon[seat], lat[seat] = row.seat_lon, row.seat_lat
        precision[seat] = Precision.COUNTY.value
    return lon, lat, precision


def synthetic_projects(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Make ``n`` synthetic projects spread over the real counties.

    Parameters
    ----------
    n : int
        Number of projects.
    seed : int
        Random seed; the same seed gives the same frame.

    Returns
    -------
    geopandas.GeoDataFrame
        Register columns (:data:`geodata.schema.REGISTER_COLUMNS`) plus
        ``geometry`` in EPSG:4326.
    """
    rng = np.random.default_rng(seed)
    counties = load_counties()
    area = counties.to_crs(AREA_CRS).area.to_numpy()
    county_idx = rng.choice(len(counties), size=n, p=area / area.sum())
    lon, lat, precision = _locations(counties, county_idx, rng)
    subs = [s for s in Subcategory if s.category is not None]
    sub = rng.choice(len(subs), size=n)
    stages = [s.value for s in Stage]
    ids = [f"SYN-{k:06d}" for k in range(1, n + 1)]
    frame = pd.DataFrame(
        {
            "id": ids,
            "name_zh": [f"合成项目{k:06d}" for k in range(1, n + 1)],
            "name_en": [f"Synthetic project {k}" for k in range(1, n + 1)],
            "category": [subs[j].category.value for j in sub],  # type: ignore[union-attr]
            "subcategory": [subs[j].value for j in sub],
            "company": "",
            "county_adcode": counties["adcode"].to_numpy()[county_idx],
            "location_text": counties["name_zh"].to_numpy()[county_idx],
            "lon": lon.round(6),
            "lat": lat.round(6),
            "precision": precision,
            "stage": rng.choice(stages, size=n),
            "investment_yi": np.round(rng.lognormal(0.5, 1.2, size=n), 2),
            "capacity_value": np.nan,
            "capacity_unit": "",
            "capacity_text": "",
            "source_sentence": bilingual("synthetic_source"),
        },
        columns=list(REGISTER_COLUMNS),
    )
    # drawn from a stream of their own, so the other columns stay as they were
    levels = np.random.default_rng([seed, 1]).choice(
        list(KEY_LEVEL_SHARES), size=n, p=list(KEY_LEVEL_SHARES.values())
    )
    frame["key_level"] = levels.astype(object)
    frame["major_10yi"] = major_flags(frame["investment_yi"].to_numpy())
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=WGS84)


def main(argv: list[str]) -> int:
    """Write ``N`` synthetic projects to a CSV file."""
    if len(argv) != 2:
        print("usage: python -m bench.synthetic N OUT.csv", file=sys.stderr)
        return 2
    gdf = synthetic_projects(int(argv[0]))
    gdf.drop(columns="geometry").to_csv(Path(argv[1]), index=False, encoding="utf-8")
    print(f"wrote {len(gdf)} synthetic projects to {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
