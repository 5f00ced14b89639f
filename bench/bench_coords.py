"""Coordinate conversion speed for 25,000 points, including the mainland-outline test.

Points are spread over 长治市 (inside the outline) and over the whole box
around China (many outside it, near the borders and at sea), so both the
bounding-box pre-filter and the prepared-outline test are exercised. Prints
the one-off outline load, :func:`geodata.coords.in_china` alone, and a
GCJ-02 → WGS-84 conversion (iterative inverse); aim: well under 1 s.

Usage: ``.venv/bin/python -m bench.bench_coords [N]``
"""

from __future__ import annotations

import sys
import time
import warnings
from typing import TYPE_CHECKING

import numpy as np

from geodata.coords import OutsideChinaWarning, _mainland_outline, convert, in_china
from geodata.settings import CITY_BBOX

if TYPE_CHECKING:
    from collections.abc import Callable

N_POINTS = 25_000


def _best_of(repeats: int, func: Callable[..., object], *args: object, **kwargs: object) -> float:
    """Return the best wall time of ``repeats`` calls in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def main(n: int = N_POINTS) -> None:
    """Print timings for ``n`` points in the city and ``n`` over the China box."""
    rng = np.random.default_rng(0)
    min_lon, min_lat, max_lon, max_lat = CITY_BBOX
    city = (rng.uniform(min_lon, max_lon, n), rng.uniform(min_lat, max_lat, n))
    box = (rng.uniform(72.0, 137.8, n), rng.uniform(0.8, 55.8, n))
    start = time.perf_counter()
    _mainland_outline()
    print(f"outline load (once): {1000 * (time.perf_counter() - start):.1f} ms")
    for label, (lon, lat) in (("city", city), ("china box", box)):
        share = float(in_china(lon, lat).mean())
        t_in = _best_of(5, in_china, lon, lat)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OutsideChinaWarning)
            t_conv = _best_of(5, convert, lon=lon, lat=lat, src="gcj02", dst="wgs84")
        print(
            f"{n:,} points ({label}, {share:.0%} inside): in_china {1000 * t_in:.1f} ms, "
            f"convert gcj02->wgs84 {1000 * t_conv:.1f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N_POINTS)
