"""Many planners at once: K browser contexts against one server of our app.

One Chromium; contexts are started ``batch`` at a time (each batch loads and
filters in parallel) and all stay open until the end, so the server holds K
sessions when its resident memory is read again.
"""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from bench._app_servers import Server, build_data, serve
from bench._app_steps import Outside, choose, launch, load, new_context

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.async_api import Browser, BrowserContext

    from bench.bench_app_browser import App

TIMEOUT_S = 300.0


@dataclass
class Tally:
    """Times and errors of all sessions."""

    loads: list[float] = field(default_factory=list)
    filters: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)


async def _one(browser: Browser, server: Server, app: App, tally: Tally, outside: Outside) -> None:
    """One planner: open the app, wait for the map, choose a category."""
    context = await new_context(browser, outside)
    tally.contexts.append(context)
    page = await context.new_page()
    page.on("pageerror", lambda e: tally.errors.append(f"page error: {e}"))
    took = await load(page, server.url, timeout_s=TIMEOUT_S)
    if took is None:
        tally.errors.append("load: no drawing")
        return
    tally.loads.append(took)
    took = await choose(page, app.category, timeout_s=TIMEOUT_S)
    if took is None:
        tally.errors.append("filter: no redraw")
        return
    tally.filters.append(took)
    if await page.locator("[data-testid='stException']").count():
        tally.errors.append("app exception shown")


def _stats(values: list[float]) -> str:
    if not values:
        return "—"
    p95 = float(np.percentile(values, 95))
    return f"median {statistics.median(values):.2f} s, p95 {p95:.2f} s (n={len(values)})"


async def _sessions(
    browser: Browser, server: Server, app: App, *, sessions: int, batch: int
) -> tuple[Tally, float, float, Outside]:
    """Warm the server with one session, then run ``sessions`` planners."""
    outside = Outside()
    context = await new_context(browser, outside)
    await load(await context.new_page(), server.url, timeout_s=TIMEOUT_S)
    await context.close()
    await asyncio.sleep(2)
    before = server.rss_mib()
    tally = Tally()
    for start in range(0, sessions, batch):
        group = range(start, min(sessions, start + batch))
        done = await asyncio.gather(
            *(_one(browser, server, app, tally, outside) for _ in group), return_exceptions=True
        )
        tally.errors += [f"{type(e).__name__}: {e}" for e in done if isinstance(e, BaseException)]
    await asyncio.sleep(2)
    after = server.rss_mib()
    for context in tally.contexts:
        await context.close()
    return tally, before, after, outside


async def run(sizes: list[int], *, app: App, sessions: int, batch: int, folder: Path) -> None:
    """Print load and filter times, errors and server memory for ``sessions`` planners."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await launch(pw)
        for n in sizes:
            data = build_data(n, folder)
            log = folder / f"sessions-{n}.log"
            with serve(app.script, extra_env=app.env(data), log=log) as server:
                tally, before, after, outside = await _sessions(
                    browser, server, app, sessions=sessions, batch=batch
                )
            print(f"{n:,} projects, {sessions} sessions ({batch} at a time), one server:")
            print(f"  load:   {_stats(tally.loads)}")
            print(f"  filter: {_stats(tally.filters)}")
            print(f"  errors: {len(tally.errors)}")
            for problem in dict.fromkeys(tally.errors):
                print(f"    {problem}")
            per = (after - before) / sessions
            print(
                f"  server RSS: {before:.0f} MiB before, {after:.0f} MiB with {sessions} "
                f"sessions open → {per:.1f} MiB per extra session"
            )
            outside.report()
        await browser.close()
