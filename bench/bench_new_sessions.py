"""Time a new session's first run on a running server, as a websocket client sees it.

No browser: for each size, our app and the plain FastMarkerCluster app
(:mod:`bench.bench_app_browser`'s stores and GeoPackages, built the same way)
run under ``streamlit run`` on loopback ports, and a plain websocket client
(``websockets``, which Streamlit itself requires) opens ``--sessions`` new
sessions one after the other, each asking for the page as a browser's first
run does. Per session it records, in ms from the rerun request: the session
status (the script has started), the map component's delta and
``script_finished``. Printed per app: median, 95th percentile and longest.

This is the server's share of a warm load. On the bench machine nearly every
new session of our app used to stall 110–230 ms in a full garbage collection
before its map left (see :mod:`app._heap`).

Usage: ``python -m bench.bench_new_sessions [--sizes 2537 25000] [--sessions 20]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import websockets

from bench._app_breakdown import first_run_request, frame_kind, is_map_delta
from bench._app_servers import build_data, serve
from bench.bench_app_browser import APPS

# the map's delta, ours or a plain app's (is_map_delta)
MAP_DELTA = "map"
STEPS = {"started": "session_status_changed", "map sent": MAP_DELTA, "finished": "script_finished"}
PAUSE_S = 0.3
TIMEOUT_S = 120.0


async def first_run(url: str) -> dict[str, float]:
    """Open one new session, ask for its first run; return ms from the request per step."""
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
        request = first_run_request()
        start = time.perf_counter()
        await ws.send(request)
        seen: dict[str, float] = {}
        while "script_finished" not in seen:
            frame = await asyncio.wait_for(ws.recv(), TIMEOUT_S)
            kind = frame_kind("in", frame)
            if is_map_delta(kind):
                kind = MAP_DELTA
            seen.setdefault(kind, (time.perf_counter() - start) * 1000)
    return {name: seen.get(kind, float("nan")) for name, kind in STEPS.items()}


async def sessions(url: str, count: int) -> list[dict[str, float]]:
    """Open ``count`` new sessions one after the other (a first one, untimed, warms caches)."""
    await first_run(url)
    runs = []
    for _ in range(count):
        await asyncio.sleep(PAUSE_S)
        runs.append(await first_run(url))
    return runs


def _line(label: str, runs: list[dict[str, float]]) -> str:
    """One app's figures: median, 95th percentile and longest per step."""
    cells = []
    for step in STEPS:
        values = sorted(r[step] for r in runs)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        cells.append(f"{step} {statistics.median(values):.0f} / {p95:.0f} / {values[-1]:.0f}")
    return f"  {label:18s} " + ", ".join(cells) + "  (ms: median / p95 / longest)"


def main(argv: list[str] | None = None) -> int:
    """Print the first-run figures of every app at every size."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_new_sessions")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_537, 25_000])
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args(argv)
    # ours and FastMarkerCluster (MarkerCluster's first run is its own story)
    apps = [app for app in APPS if not app.skippable]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            data = build_data(n, folder)
            print(f"{n:,} projects, {args.sessions} new sessions each:", flush=True)
            with ExitStack() as stack:
                for app in apps:
                    log = folder / f"{app.key}-{n}.log"
                    server = stack.enter_context(
                        serve(app.script, extra_env=app.env(data), log=log)
                    )
                    runs = asyncio.run(sessions(server.url, args.sessions))
                    print(_line(app.label, runs), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
