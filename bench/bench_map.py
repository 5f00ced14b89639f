"""Time the bare map page, without Streamlit, at 2,537, 25,000 and 250,000 projects.

This is the page itself: the rendered folium map served as a plain HTML file
by a local server, with no Streamlit script run, websocket, component frame or
sidebar. What a planner waits for in the running app (load, filter change,
pan/zoom, beside plain streamlit-folium apps) is timed by
:mod:`bench.bench_app_browser`.

For each size it prints:

- build: Python seconds to rebuild the project layers after a filter change
  (two of three categories) and render their script, which is what the app
  does on a filter change (the base map stays, ``feature_group_to_add``);
- full: Python seconds to build and render the whole standalone map;
- bytes: size of the rendered map page (base map, project layers, controls;
  what st_folium sends is this minus the HTML boilerplate) and bytes per point;
- first / all: seconds from navigation start until the first layer, and all
  three category layers, have drawn their markers in headless Chromium (the
  page is served from a local server with ``static/`` at ``/app/static``);
- markers: leaf markers and cluster bubbles drawn in a 1200×800 viewport;
- redraw ms: the slowest redraw (all three layers) after a zoom or pan.

Usage: ``.venv/bin/python -m bench.bench_map [SIZE ...]``.
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

# make the repository importable when run as a script (make bench)
import folium

from bench._serve import CHROMIUM, CHROMIUM_ARGS
from bench.synthetic import SIZES, synthetic_projects
from geodata.boundaries import load_counties
from geodata.schema import Category
from geodata.settings import STATIC_DIR, STATIC_URL
from layers.map import build_map
from layers.projects import project_layers

if TYPE_CHECKING:
    from collections.abc import Iterator

# move the map (awaiting moveend) and read the layers' redraw times
_MOVE = """(step) => new Promise((done) => {
    const map = window[Object.keys(window).find((k) => k.startsWith('map_'))];
    map.once('moveend', () => done(true));
    if (step === 'pan') map.panBy([300, 200], {animate: false});
    else map.setZoom(map.getZoom() + Number(step.slice(1)), {animate: false});
})"""
_SUM_UPDATE = "Object.values(window.czStats).reduce((a, s) => a + (s.updateMs || 0), 0)"
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class _Handler(BaseHTTPRequestHandler):
    """Serve one page at ``/`` and ``static/`` at ``/app/static``."""

    def __init__(self, *args: object, page: bytes, **kwargs: object) -> None:
        self.page = page
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        """Answer a GET request."""
        path = self.path.split("?", 1)[0]
        body, ctype = None, "text/html; charset=utf-8"
        if path in ("/", "/index.html"):
            body = self.page
        elif path.startswith(STATIC_URL + "/"):
            target = (STATIC_DIR / path[len(STATIC_URL) + 1 :]).resolve()
            if target.is_file() and target.is_relative_to(STATIC_DIR.resolve()):
                body = target.read_bytes()
                ctype = _TYPES.get(target.suffix, "application/octet-stream")
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


@contextmanager
def serve_page(html: str) -> Iterator[str]:
    """Serve ``html`` at ``/`` and ``static/`` at ``/app/static`` on a free port.

    Parameters
    ----------
    html : str
        The page.

    Yields
    ------
    str
        The page URL (``http://127.0.0.1:<port>/``).
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, page=html.encode("utf-8")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def time_first_draw(browser: object, url: str, *, layers: int) -> tuple[float, float, int, float]:
    """Load ``url``; return seconds to the first and all layers drawn, markers, redraw ms."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.czFirstDrawMs !== undefined", timeout=120_000)
        first_ms = page.evaluate("window.czFirstDrawMs")
        page.wait_for_function(
            f"Object.values(window.czStats || {{}}).filter(s => s.firstMs).length === {layers}",
            timeout=120_000,
        )
        all_ms = page.evaluate("Math.max(...Object.values(window.czStats).map(s => s.firstMs))")
        drawn = int(page.evaluate("document.documentElement.dataset.czDrawn"))
        # redraw cost of a pan or zoom: the slowest of the three layers' updates
        slowest = 0.0
        for step in ("z+1", "z+1", "pan", "z-2"):
            page.evaluate(_MOVE, step)
            slowest = max(slowest, page.evaluate(_SUM_UPDATE))
    finally:
        page.close()
    return first_ms / 1000, all_ms / 1000, drawn, slowest


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    sizes = [int(a) for a in argv] or list(SIZES)
    counties = load_counties()
    subset = [Category.ENERGY, Category.INDUSTRY]
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for n in sizes:
            projects = synthetic_projects(n)
            # filter change: rebuild and render the project layers only
            start = time.perf_counter()
            chosen = projects[projects["category"].isin([c.value for c in subset])]
            scratch = folium.Map(tiles=None)
            for group in project_layers(chosen, categories=subset):
                group.add_to(scratch)
            scratch.get_root().render()
            build_s = time.perf_counter() - start
            start = time.perf_counter()
            html = build_map(projects, counties).get_root().render()
            full_s = time.perf_counter() - start
            size = len(html.encode("utf-8"))
            with serve_page(html) as url:
                draw_s, all_s, drawn, move_ms = time_first_draw(browser, url, layers=len(Category))
            rows.append((n, build_s, full_s, size, size / n, draw_s, all_s, drawn, move_ms))
        browser.close()
    header = (
        "projects",
        "build s",
        "full s",
        "bytes",
        "B/point",
        "first s",
        "all s",
        "markers",
        "redraw ms",
    )
    print("  ".join(f"{h:>10}" for h in header))
    for n, build_s, full_s, size, per, draw_s, all_s, drawn, move_ms in rows:
        print(
            f"{n:>10,}  {build_s:>10.3f}  {full_s:>10.3f}  {size:>10,}  {per:>10.1f}  "
            f"{draw_s:>10.2f}  {all_s:>10.2f}  {drawn:>10,}  {move_ms:>10.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
