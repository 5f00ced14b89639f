"""Store speed on both backends: GeoPackage (embedded) and PostGIS, 25,000 and 250,000 projects.

For each backend and size: create the store from synthetic projects
(:mod:`bench.synthetic`), then time a full read, a filtered read (energy
projects of one county, read then filtered), a commit of a 1,000-row import
(500 updated projects, 500 new ones), a one-point review edit (median of a
few), the history listing and ``current_version``. Then 20 writer processes
× 50 edits on 20 projects against each backend (:mod:`bench.writers`): edits
per second, refused (stale base), errors, lost updates. Aims: PostGIS read of
250,000 projects under 3 s, one-point edit under 0.2 s. Every call goes
through the store seam (:func:`geodata.store.create_store`, :class:`ProjectStore`).

PostGIS runs in a throw-away local cluster (:mod:`geodata._pgcluster`) with
``fsync`` off, one database per size.

Usage: ``.venv/bin/python -m bench.bench_store [--sizes 25000 250000]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bench.synthetic import synthetic_projects
from bench.writers import lost_updates, run_writers
from geodata._pgcluster import create_database, temporary_cluster
from geodata.filters import ProjectFilter, apply_filter
from geodata.store import Author, ProjectStore, create_store

SIZES = (25_000, 250_000)
IMPORT_ROWS = 1_000
EDITS = 5
WRITERS, WRITER_EDITS, WRITER_IDS = 20, 50, 20
AUTHOR = Author("bench", "基准测试", "system")


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Run ``fn`` once; return seconds and its result."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _import_rows(register: gpd.GeoDataFrame, n: int) -> gpd.GeoDataFrame:
    """Half updated copies of existing projects, half new projects (a typical yearly import)."""
    updated = register.iloc[: n // 2].copy()
    updated["stage"] = "completed"
    fresh = synthetic_projects(n - n // 2, seed=99)
    fresh["id"] = [f"NEW-{k:06d}" for k in range(len(fresh))]
    return pd.concat([updated, fresh], ignore_index=True)


def measure(store: ProjectStore, register: gpd.GeoDataFrame) -> dict[str, float]:
    """Time the reads and writes of one store; seconds per step."""
    flt = ProjectFilter(categories=("energy",), counties=(str(register["county_adcode"].iloc[0]),))
    out: dict[str, float] = {}
    out["full read"], full = _timed(lambda: store.projects())
    assert len(full) == len(register)
    out["filtered read"], _ = _timed(lambda: apply_filter(store.projects(), flt))
    rows = _import_rows(register, IMPORT_ROWS)
    out["commit 1,000-row import"], _ = _timed(
        lambda: store.commit(
            rows, author=AUTHOR, base_version=store.current_version(), message="bench import"
        )
    )
    edits = []
    for k in range(EDITS):
        pid = str(register["id"].iloc[1000 + k])
        base = store.current_version()
        took, _ = _timed(
            lambda pid=pid, k=k, base=base: store.set_location(
                pid, lon=113.1 + k * 1e-3, lat=36.2, author=AUTHOR, base_version=base
            )
        )
        edits.append(took)
    out["one-point edit (median)"] = statistics.median(edits)
    out["history listing"], history = _timed(lambda: store.history())
    assert len(history) == 2 + EDITS
    out["current_version"], _ = _timed(lambda: store.current_version())
    return out


def _writers(url: str) -> dict[str, float]:
    """Run the 20-writer test on a fresh store at ``url``; return its figures."""
    ids = [f"SYN-{k:06d}" for k in range(1, WRITER_IDS + 1)]
    create_store(url, seed=synthetic_projects(WRITER_IDS, seed=3)).close()
    outcomes, elapsed = run_writers(url, writers=WRITERS, edits=WRITER_EDITS, ids=ids)
    counts = outcomes["outcome"].value_counts()
    return {
        "edits": float(len(outcomes)),
        "committed": float(counts.get("ok", 0)),
        "refused (stale base)": float(counts.get("stale", 0)),
        "errors": float(counts.get("error", 0)),
        "lost": float(lost_updates(outcomes)),
        "seconds": elapsed,
        "edits/s (attempted)": len(outcomes) / elapsed,
        "edits/s (committed)": counts.get("ok", 0) / elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one table per part."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_store")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--no-writers", action="store_true", help="skip the 20-writer runs")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    table: dict[str, dict[str, float]] = {}
    writers: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, temporary_cluster(dbname="bench") as cluster:
        places = {
            "GeoPackage": lambda name: str(Path(tmp) / f"{name}.gpkg"),
            "PostGIS": lambda name: create_database(cluster.port, name),
        }
        for n in args.sizes:
            register = synthetic_projects(n)
            for backend, place in places.items():
                url = place(f"bench_{n}")
                took, store = _timed(lambda url=url, r=register: create_store(url, seed=r))
                row = {"create": took, **measure(store, register)}
                store.close()
                table[f"{backend} {n:,}"] = row
                print(f"{backend} {n:,}: " + ", ".join(f"{k} {v:.3f} s" for k, v in row.items()))
        if not args.no_writers:
            for backend, place in places.items():
                writers[backend] = _writers(place("bench_writers"))
    print()
    print(pd.DataFrame(table).round(3).to_string())
    if writers:
        print()
        print(f"{WRITERS} writer processes x {WRITER_EDITS} edits on {WRITER_IDS} projects:")
        print(pd.DataFrame(writers).round(1).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
