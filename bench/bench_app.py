"""Time the server's rerun of the map page after a filter change, without a browser.

For each size a store of synthetic projects (:mod:`bench.synthetic`) is
created and the app (``streamlit_app.py``) is run in-process with
Streamlit's ``AppTest``, its map marked as drawn (so the tabs are built as in
a browser after the map's first report). After a first run (caches filled)
the category picker is set to six combinations in turn, each new to the
server, then to the same six again (views already built). Printed per size:
median wall and CPU seconds of the rerun for a new filter and for a filter
seen before (target: a new filter under 0.2 s at 25,000 projects). ``AppTest``
adds its own cost (reading the element tree); the "seen" rerun shows it.

Also printed: the first run (caches empty) and this process's peak resident
memory. Usage: ``python -m bench.bench_app [--sizes 2537 25000]``
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.state import Keys
from bench.synthetic import synthetic_projects
from geodata.settings import ROOT_DIR, runtime
from geodata.store import create_store

CHOICES = (
    ["energy"],
    ["industry"],
    ["livelihood"],
    ["energy", "industry"],
    ["industry", "livelihood"],
    ["energy", "livelihood"],
)


def _rerun(at: AppTest, choice: list[str]) -> tuple[float, float]:
    """Choose categories; return wall and CPU seconds of the rerun."""
    wall, cpu = time.perf_counter(), time.process_time()
    at.multiselect(key=Keys.CATEGORIES).set_value(choice).run()
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(n: int, folder: Path) -> dict[str, float]:
    """Time new and seen filter reruns at ``n`` projects."""
    store = folder / f"server-{n}.gpkg"
    create_store(store, seed=synthetic_projects(n))
    os.environ["CHANGZHI_STORE"] = str(store)
    runtime.cache_clear()
    at = AppTest.from_file(str(ROOT_DIR / "streamlit_app.py"), default_timeout=600)
    at.session_state[Keys.MAP_REPORTED] = True
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    new = [_rerun(at, c) for c in CHOICES]
    seen = [_rerun(at, c) for c in CHOICES]
    return {
        "first run s": first,
        "new filter, wall s": statistics.median(w for w, _ in new),
        "new filter, CPU s": statistics.median(c for _, c in new),
        "seen filter, wall s": statistics.median(w for w, _ in seen),
        "seen filter, CPU s": statistics.median(c for _, c in seen),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the rerun times at every size."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_app")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_537, 25_000])
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            figures = measure(n, Path(tmp))
            # peak resident memory of this process so far (linux reports KiB)
            figures["peak RSS MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            cells = ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
            print(f"{n:,} projects: {cells}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
