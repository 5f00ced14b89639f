"""Time what the planner waits for: our app beside two plain streamlit-folium apps.

For each size, ``N`` synthetic projects (:mod:`bench.synthetic`) are imported
with our ingest CLI (``python -m geodata.ingest FILE --store S --report R``,
into a new empty store, in files of at most
``bench._app_servers.FILE_ROWS`` (100,000) rows, so 250,000 projects are three
imports) and written to a GeoPackage for the plain
apps. Three real ``streamlit run`` servers then run side by side on free
loopback ports: our app (``CHANGZHI_STORE``), ``bench/plain_apps/
plain_fastmarkercluster.py`` (FastMarkerCluster) and ``plain_markercluster.py``
(a MarkerCluster of ``folium.Marker`` with popup and tooltip), each with a
category and a county picker in the sidebar. Debian's headless Chromium
(Playwright, the flags of ``tests/conftest.py``, viewport 1400×1000) drives them;
every request that is not for loopback is sent to a closed loopback port by a
proxy setting and fails (counted and printed; ``page.route`` would switch the
http cache off and spoil warm loads).

What is timed (seconds, medians of ``--repeats`` rounds, each round timing
every app once, so that a slower spell of a shared machine hits every app
alike), judged the same way for
every app by :file:`bench/probe.js`: the map "has drawn points" when the
streamlit-folium frame's Leaflet marker pane holds image markers or
markercluster icons, or a canvas of the map has non-transparent pixels; a
redraw is a drawing that differs from before, has points and stays the same
for 100 ms, dated when it was painted: markers in the DOM by the first
animation frame that sees them (that frame paints them), a canvas by its last
draw call (it is painted in the frame it was drawn in, while the probe, whose
animation frame callback runs before the map frame's, sees it one frame later).

- first: the first load after the server started (server caches empty);
- cold: first navigation of a fresh browser context (empty http cache), from
  navigation start until the map has drawn points;
- warm: the second navigation in that context, once the first page is idle
  (every step waits, untimed, until no websocket message has come for 0.5 s:
  a planner does not navigate or click in the same instant the map appears,
  and an app that sends part of its page after the map would otherwise be
  timed against its own leftover work);
- category: choosing 能源 in the sidebar, from the click until redrawn;
- county: then choosing 潞州区, from the click until redrawn;
- pan/zoom: zoom in, pan 300×200 px, zoom out (no animation), median of the
  three, from the call until redrawn (markercluster's 200 ms fade is not waited for);
- warm seen: the warm load dated by the first animation frame that saw the
  points, as this bench dated every drawing before (for a canvas, one frame
  after it was painted);
- ×fast: warm, warm seen, category and county relative to FastMarkerCluster.

MarkerCluster is skipped ("skipped (> 60 s)") at a size and above once one of
its loads takes longer than ``--skip-markercluster-above`` seconds.

``--breakdown`` times our app only, step by step (see
:mod:`bench._app_breakdown`). ``--sessions K`` opens K browser contexts (one
Chromium, ``--batch`` at a time, all kept open) that load and filter against
one server of our app and reports median and 95th percentile times, errors
and the server's resident memory before and after.

Usage::

    python -m bench.bench_app_browser [--sizes 2537 25000 250000] [--repeats 3]
        [--skip-markercluster-above 60] [--breakdown] [--sessions 20 [--batch 5]]

:mod:`bench.bench_map` times the bare map page without Streamlit.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError

from bench import _app_breakdown, _app_sessions
from bench._app_servers import ROOT, BenchData, Server, build_data, serve
from bench._app_steps import (
    Outside,
    Widget,
    choose,
    launch,
    load,
    load_drawn,
    moves,
    new_context,
)
from bench.synthetic import SIZES

if TYPE_CHECKING:
    from playwright.async_api import Browser

SLOW_LIMIT_S = 600.0
MOVE_LIMIT_S = 20.0


@dataclass(frozen=True)
class App:
    """One app under test and how a planner filters in it."""

    key: str
    label: str
    script: Path
    category: Widget
    county: Widget
    skippable: bool = False

    def env(self, data: BenchData) -> dict[str, str]:
        """Environment naming the data this app reads."""
        if self.key == "ours":
            return {"CHANGZHI_STORE": str(data.store)}
        return {"BENCH_PROJECTS": str(data.plain)}


PLAIN = ROOT / "bench" / "plain_apps"
OURS = App(
    "ours",
    "ours",
    ROOT / "streamlit_app.py",
    Widget("类别", "能源", multi=True),
    Widget("县区", "潞州区", multi=True),
)
APPS = (
    OURS,
    App(
        "fast",
        "FastMarkerCluster",
        PLAIN / "plain_fastmarkercluster.py",
        Widget("类别", "能源", multi=False),
        Widget("县区", "潞州区", multi=False),
    ),
    App(
        "cluster",
        "MarkerCluster",
        PLAIN / "plain_markercluster.py",
        Widget("类别", "能源", multi=False),
        Widget("县区", "潞州区", multi=False),
        skippable=True,
    ),
)
# "warm seen": the warm load dated by the first animation frame that saw the points
# (before the probe dated a canvas by its draw: one frame later for a canvas map)
COLUMNS = ("first", "cold", "warm", "warm seen", "category", "county", "pan/zoom")


@dataclass
class Result:
    """Timings of one app at one size (lists over repeats)."""

    app: App
    times: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    failed: list[str] = field(default_factory=list)
    skipped: str = ""

    def median(self, column: str) -> float | None:
        """Median of one column, ``None`` when nothing was measured."""
        values = self.times[column]
        return statistics.median(values) if values else None


async def _repeat(
    browser: Browser, url: str, res: Result, outside: Outside, *, limit: float
) -> bool:
    """One fresh context: cold, warm, category, county, pan/zoom; False when too slow."""
    app = res.app
    context = await new_context(browser, outside)
    page = await context.new_page()
    page.on("pageerror", lambda e: res.failed.append(f"page error: {e}"))
    try:
        for column in ("cold", "warm"):
            drawn = await load_drawn(page, url, timeout_s=limit)
            if drawn is None:
                return False
            res.times[column].append(drawn.at)
        res.times["warm seen"].append(drawn.seen)
        for column, widget in (("category", app.category), ("county", app.county)):
            try:
                took = await choose(page, widget, timeout_s=limit)
            except PlaywrightError as exc:
                # a picker that is not there (labels changed): say so, keep measuring
                res.failed.append(f"{column}: {str(exc).splitlines()[0]}")
                continue
            if took is None:
                res.failed.append(f"{column}: no redraw within {limit:.0f} s")
            else:
                res.times[column].append(took)
        # a move that changes nothing on screen would wait the whole limit
        steps = await moves(page, timeout_s=min(limit, MOVE_LIMIT_S))
        if steps:
            res.times["pan/zoom"].append(statistics.median(steps))
    finally:
        await context.close()
    return True


def _cutoff(app: App, limit: float) -> float:
    return limit if app.skippable else SLOW_LIMIT_S


async def first_load(
    browser: Browser, server: Server, app: App, outside: Outside, *, limit: float
) -> Result:
    """Time one app's first load after its server started (fills the server's caches)."""
    res = Result(app)
    cutoff = _cutoff(app, limit)
    context = await new_context(browser, outside)
    try:
        first = await load(await context.new_page(), server.url, timeout_s=cutoff)
    finally:
        await context.close()
    if first is None:
        res.skipped = f"skipped (> {cutoff:.0f} s)" if app.skippable else "failed (no drawing)"
    else:
        res.times["first"].append(first)
    return res


async def measure_rounds(
    browser: Browser,
    servers: dict[str, Server],
    results: list[Result],
    outside: Outside,
    *,
    repeats: int,
    limit: float,
) -> None:
    """Run ``repeats`` rounds, each app once per round (a slower spell hits every app).

    The order turns by one app each round, so that no app always runs right
    after the same one (the browser and the machine are still busy for a while
    after MarkerCluster's heavy page is closed).
    """
    for round_no in range(repeats):
        turn = round_no % len(results)
        for res in results[turn:] + results[:turn]:
            if res.skipped:
                continue
            cutoff = _cutoff(res.app, limit)
            if not await _repeat(browser, servers[res.app.key].url, res, outside, limit=cutoff):
                res.skipped = f"skipped (> {cutoff:.0f} s)" if res.app.skippable else "failed"


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def print_table(rows: list[tuple[int, Result]]) -> None:
    """Print the side-by-side table with ratios to FastMarkerCluster."""
    header = ["projects", "app", *(f"{c} s" for c in COLUMNS), "warm ×fast", "seen ×fast"]
    header += ["cat ×fast", "county ×fast"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    fast = {n: r for n, r in rows if r.app.key == "fast"}
    for n, res in rows:
        if res.skipped:
            print(f"{n:,} | {res.app.label} | {res.skipped}")
            continue
        cells = [f"{n:,}", res.app.label, *(_cell(res.median(c)) for c in COLUMNS)]
        for column in ("warm", "warm seen", "category", "county"):
            mine, base = res.median(column), fast[n].median(column) if n in fast else None
            cells.append("—" if mine is None or not base else f"{mine / base:.2f}")
        print(" | ".join(cells))
    for n, res in rows:
        for problem in dict.fromkeys(res.failed):
            print(f"note: {n:,} {res.app.label}: {problem}")


async def side_by_side(sizes: list[int], *, repeats: int, limit: float, folder: Path) -> None:
    """Run the three apps at every size and print one table."""
    from playwright.async_api import async_playwright

    rows: list[tuple[int, Result]] = []
    outside = Outside()
    skip_cluster = ""
    async with async_playwright() as pw:
        browser = await launch(pw)
        for n in sizes:
            data = build_data(n, folder)
            print(f"{n:,} projects: ingest CLI {data.ingest_s:.1f} s", flush=True)
            with ExitStack() as stack:
                servers = {
                    app.key: stack.enter_context(
                        serve(
                            app.script, extra_env=app.env(data), log=folder / f"{app.key}-{n}.log"
                        )
                    )
                    for app in APPS
                    if not (app.skippable and skip_cluster)
                }
                results = [
                    await first_load(browser, servers[app.key], app, outside, limit=limit)
                    if app.key in servers
                    else Result(app, skipped=skip_cluster)
                    for app in APPS
                ]
                await measure_rounds(
                    browser, servers, results, outside, repeats=repeats, limit=limit
                )
                skip_cluster = next((r.skipped for r in results if r.app.skippable), "")
                rows += [(n, res) for res in results]
                print(f"  {n:,}: done", flush=True)
        await browser.close()
    print()
    print_table(rows)
    outside.report()


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_app_browser")
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-markercluster-above", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--breakdown", action="store_true", help="our app, step by step")
    parser.add_argument("--sessions", type=int, default=0, help="parallel planners (one server)")
    parser.add_argument("--batch", type=int, default=5, help="sessions started at once")
    parser.add_argument("--workdir", type=Path, default=None, help="keep stores and logs here")
    return parser.parse_args(argv)


async def _run(args: argparse.Namespace, folder: Path) -> None:
    if args.sessions:
        sizes = args.sizes or [25_000]
        await _app_sessions.run(
            sizes, app=OURS, sessions=args.sessions, batch=args.batch, folder=folder
        )
    elif args.breakdown:
        sizes = args.sizes or list(SIZES)
        await _app_breakdown.run(sizes, app=OURS, repeats=args.repeats, folder=folder)
    else:
        sizes = args.sizes or list(SIZES)
        await side_by_side(
            sizes, repeats=args.repeats, limit=args.skip_markercluster_above, folder=folder
        )


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    with ExitStack() as stack:
        if args.workdir is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-app-")))
        else:
            folder = args.workdir
            folder.mkdir(parents=True, exist_ok=True)
        asyncio.run(_run(args, folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
