"""Time the whole app script (Python side) after a filter change, via Streamlit's AppTest.

For each size a temporary store is seeded with synthetic projects; the app runs
once to warm its caches, then the category filter changes and the rerun is
timed: filtering, county summary and ranking, the map and its project layers
as streamlit-folium serialises them, the tables. Run from the repository root:
``.venv/bin/python -m bench.bench_app``.
"""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import geodata.settings
from app.state import Keys
from bench.synthetic import synthetic_projects
from geodata.settings import ROOT_DIR
from geodata.store import create_store

SIZES = (2_537, 25_000)
REPEATS = 3
FILTERS = (["energy", "industry"], ["livelihood"], [])


def _time_app(n: int, folder: Path) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    store = folder / f"bench-{n}.gpkg"
    create_store(store, seed=lambda: synthetic_projects(n))
    os.environ["CHANGZHI_STORE"] = str(store)
    geodata.settings.runtime.cache_clear()
    at = AppTest.from_file(str(ROOT_DIR / "streamlit_app.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    assert not at.exception, at.exception
    times = []
    for _ in range(REPEATS):
        for cats in FILTERS:
            t0 = time.perf_counter()
            at.multiselect(key=Keys.CATEGORIES).set_value(cats).run()
            times.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
    return first, statistics.median(times)


def main() -> None:
    header = ("projects", "first run s", "filter change s (median)", "peak RSS MiB")
    print(f"{header[0]:>10} {header[1]:>12} {header[2]:>26} {header[3]:>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            first, change = _time_app(n, Path(tmp))
            # peak resident memory of this process so far (linux reports KiB)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{n:>10,} {first:>12.2f} {change:>26.2f} {rss:>13.0f}")


if __name__ == "__main__":
    main()
