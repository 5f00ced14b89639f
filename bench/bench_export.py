"""Time print exports: A4 300-dpi PNG, PDF, SVG and the 12-page atlas.

Run with ``python -m bench.bench_export``. Measures the real register and
25,000 synthetic projects (:mod:`bench.synthetic`). Aims: under 2 s for one
A4 300-dpi page, under 20 s for the atlas. Each figure is the best of a few
runs, wall-clock, including rendering and encoding (not loading the data).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import geopandas as gpd

from bench.synthetic import synthetic_projects
from geodata.boundaries import load_counties
from geodata.register import load_register
from layers.export.atlas import atlas_bytes as _atlas_bytes
from layers.export.extracts import extract_bytes
from layers.export.print_map import map_bytes as _map_bytes
from layers.export.provenance import make_provenance

REPEATS = 3
PAGE_AIM_S = 2.0
ATLAS_AIM_S = 20.0


def map_bytes(projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, **options: Any) -> bytes:
    """Render one page of ``projects`` with its provenance (as the export pipeline does)."""
    return _map_bytes(projects, counties, provenance=make_provenance(projects), **options)


def atlas_bytes(projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, **options: Any) -> bytes:
    """Render the atlas of ``projects`` with its provenance."""
    return _atlas_bytes(projects, counties, provenance=make_provenance(projects), **options)


def best_of(fn: Callable[[], bytes], repeats: int = REPEATS) -> tuple[float, int]:
    """Return the best wall time (s) of ``repeats`` runs and the output size."""
    best = float("inf")
    size = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        size = len(fn())
        best = min(best, time.perf_counter() - t0)
    return best, size


def main() -> int:
    counties = load_counties()
    datasets = {
        "register": load_register(),
        "synthetic 25,000": synthetic_projects(25_000, seed=0),
    }
    # warm up fonts and projections once
    map_bytes(datasets["register"], counties, fmt="png", dpi=72)
    print(f"{'data':<18}{'n':>8}  {'export':<28}{'seconds':>9}{'size':>12}  aim")
    for label, projects in datasets.items():
        cases: list[tuple[str, Callable[[], bytes], float | None, int]] = [
            (
                "A4 PNG 300 dpi + table",
                lambda p=projects: map_bytes(p, counties, fmt="png", dpi=300),
                PAGE_AIM_S,
                REPEATS,
            ),
            (
                "A4 PDF + table",
                lambda p=projects: map_bytes(p, counties, fmt="pdf"),
                PAGE_AIM_S,
                REPEATS,
            ),
            (
                "A4 SVG + table",
                lambda p=projects: map_bytes(p, counties, fmt="svg"),
                PAGE_AIM_S,
                REPEATS,
            ),
            (
                "A3 PNG 300 dpi + table",
                lambda p=projects: map_bytes(p, counties, fmt="png", dpi=300, paper="A3"),
                None,
                1,
            ),
            (
                "atlas PDF, 12 pages",
                lambda p=projects: atlas_bytes(p, counties, fmt="pdf"),
                ATLAS_AIM_S,
                1,
            ),
            (
                "atlas ZIP, 12 PNG 150 dpi",
                lambda p=projects: atlas_bytes(p, counties, fmt="png", dpi=150),
                ATLAS_AIM_S,
                1,
            ),
            ("extract XLSX", lambda p=projects: extract_bytes(p, fmt="xlsx"), None, 1),
            ("extract GPKG", lambda p=projects: extract_bytes(p, fmt="gpkg"), None, 1),
        ]
        for name, fn, aim, repeats in cases:
            seconds, size = best_of(fn, repeats)
            verdict = "" if aim is None else ("ok" if seconds < aim else f"OVER {aim:g} s")
            print(f"{label:<18}{len(projects):>8}  {name:<28}{seconds:>9.2f}{size:>12,}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
