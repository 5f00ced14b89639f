"""What a planner does in the browser, timed with :file:`bench/probe.js` (async Playwright)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from bench._serve import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page

# every request that is not for loopback goes to a closed loopback port and fails;
# a proxy keeps the http cache, which page.route would switch off (warm loads)
BLOCKING_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost,[::1]"}
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome-error"})
VIEWPORT = {"width": 1400, "height": 1000}
MOVES = ("1", "pan", "-1")
# an app is idle once no websocket message has come for this long
QUIET_S = 0.5
_PROBE = (Path(__file__).with_name("probe.js")).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Widget:
    """A sidebar picker and the option a planner chooses in it."""

    label: str
    option: str
    multi: bool


@dataclass
class Outside:
    """Requests that tried to leave loopback (all of them fail at the blocking proxy)."""

    urls: list[str] = field(default_factory=list)

    def note(self, url: str) -> None:
        """Record ``url`` when it is not for loopback."""
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOOPBACK:
            return
        self.urls.append(url)

    def report(self) -> None:
        """Print how many requests tried to leave loopback, and which."""
        print(f"requests that tried to leave loopback (blocked): {len(self.urls)}")
        for url in dict.fromkeys(self.urls):
            print(f"  blocked: {url}")


async def launch(pw: Any) -> Browser:
    """Start Debian's headless Chromium with every non-loopback request blocked."""
    return await pw.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, proxy=BLOCKING_PROXY
    )


async def new_context(browser: Browser, outside: Outside, *, hooks: bool = False) -> BrowserContext:
    """Open a fresh browser context (empty cache) with the probe in every frame."""
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(_PROBE.replace("__BENCH_HOOKS__", "true" if hooks else "false"))
    context.on("request", lambda r: outside.note(r.url))
    context.set_default_timeout(120_000)
    return context


async def _settle(coro: Any, timeout_s: float) -> Any:
    """Await a page evaluation, giving up ``timeout_s`` (plus slack) later."""
    try:
        return await asyncio.wait_for(coro, timeout_s + 30)
    except TimeoutError:
        return None


class Drawn(NamedTuple):
    """When a load's map was drawn, in seconds from navigation start."""

    at: float
    """Painted: the probe's judgement (a canvas dated by its last draw call)."""
    seen: float
    """The first animation frame that saw it (a canvas one frame after it was painted)."""


async def load_drawn(page: Page, url: str, *, timeout_s: float) -> Drawn | None:
    """Navigate; return when the map has drawn points, painted and seen.

    ``None`` when nothing is drawn within ``timeout_s``. Returns once the app
    is idle (:func:`settle`, not timed), so the next step starts from a quiet page.
    """
    await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    got = await _settle(
        page.evaluate("(t) => window.__bench.waitDrawn(null, t)", timeout_s * 1000), timeout_s
    )
    await settle(page)
    return None if got is None else Drawn(got["at"] / 1000, got["seenAt"] / 1000)


async def load(page: Page, url: str, *, timeout_s: float) -> float | None:
    """Navigate; return seconds from navigation start until the map has drawn points."""
    drawn = await load_drawn(page, url, timeout_s=timeout_s)
    return None if drawn is None else drawn.at


async def settle(page: Page, *, quiet_s: float = QUIET_S, timeout_s: float = 30.0) -> None:
    """Wait until the app is idle: no websocket message for ``quiet_s``.

    A planner's next step does not race the page's last messages: an app that
    sends part of its page after the map has drawn is idle only later, and a
    navigation or click started before would wait on that server work.
    """
    await _settle(
        page.evaluate("([q, t]) => window.__bench.quiet(q, t)", [quiet_s * 1000, timeout_s * 1000]),
        timeout_s,
    )


async def choose(page: Page, widget: Widget, *, timeout_s: float) -> float | None:
    """Pick an option in a sidebar picker; return seconds from the click until redrawn."""
    await page.evaluate(
        """(t) => { const b = window.__bench;
            b.pending = b.waitDrawn(b.state().sig, t); b.clickAt = null; }""",
        timeout_s * 1000,
    )
    await page.get_by_label(widget.label, exact=True).first.click()
    await page.get_by_role("option", name=widget.option, exact=True).click()
    if widget.multi:
        await page.keyboard.press("Escape")
    got = await _settle(page.evaluate("() => window.__bench.pending"), timeout_s)
    clicked = await page.evaluate("() => window.__bench.clickAt")
    await settle(page)
    if got is None or clicked is None:
        return None
    return (got["at"] - clicked) / 1000


async def moves(page: Page, *, timeout_s: float) -> list[float]:
    """Zoom in, pan, zoom out (no animation); return seconds until each redraw."""
    out = []
    for step in MOVES:
        ms = await _settle(
            page.evaluate("([s, t]) => window.__bench.move(s, t)", [step, timeout_s * 1000]),
            timeout_s,
        )
        if ms is not None:
            out.append(ms / 1000)
    return out
