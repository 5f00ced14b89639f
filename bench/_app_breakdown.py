"""Where our app's time goes: a cold load, a warm load and a category change, step by step.

Everything is measured from outside the page scripts: :file:`bench/probe.js`
wraps the page's WebSocket (time and bytes of every frame) and, inside the
map's component frame, stamps when Leaflet ran, the map and GeoJSON layers
were created, our project layers' ``onAdd`` began and ended and supercluster
built its index (``Supercluster.prototype.load``, wrapped). Playwright hands
over the frame payloads, decoded here with Streamlit's protobufs to tell the
rerun request, each delta, the map component's delta and ``script_finished``
apart. Times are ms from navigation start (loads) or from the click (filter).

Point decode is the time from a project layer's ``onAdd`` to its index build
(decoding the payload is the only work in between); the first canvas draw is
when the probe first sees points on the map's canvas; projects.js's own
``czFirstDrawMs`` (when the first layer reported drawn) is shown beside it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench._app_servers import build_data, serve
from bench._app_steps import Outside, choose, launch, load, new_context

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.async_api import Page, WebSocket

    from bench.bench_app_browser import App

TIMEOUT_S = 300.0
ACTIONS = ("cold load", "warm load", "category")
# what the page can tell after an action, in page-clock ms
_READ = """(t0) => {
    const b = window.__bench, f = b.frame(), w = f && f.contentWindow;
    const shift = w ? w.performance.timeOrigin - performance.timeOrigin : 0;
    return {ws: b.ws, seen: b.seen, origin: performance.timeOrigin,
            marks: (w && w.__benchMarks) || {}, frameOrigin: w ? w.performance.timeOrigin : null,
            czFirst: w && w.czFirstDrawMs !== undefined ? w.czFirstDrawMs + shift : null};
}"""


@dataclass
class Capture:
    """WebSocket payloads Playwright saw, per socket in opening order."""

    sockets: list[list[tuple[str, bytes]]] = field(default_factory=list)

    def attach(self, ws: WebSocket) -> None:
        """Record the frames of a new socket."""
        frames: list[tuple[str, bytes]] = []
        self.sockets.append(frames)
        ws.on("framereceived", lambda p: frames.append(("in", _as_bytes(p))))
        ws.on("framesent", lambda p: frames.append(("out", _as_bytes(p))))

    async def finished(self, start: int, *, timeout_s: float) -> None:
        """Wait until the last socket has received ``script_finished`` after frame ``start``."""
        frames = self.sockets[-1]
        checked, deadline = start, time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for direction, payload in frames[checked:]:
                if direction == "in" and frame_kind(direction, payload) == "script_finished":
                    return
            checked = len(frames)
            await asyncio.sleep(0.05)


def _as_bytes(payload: str | bytes) -> bytes:
    return payload.encode("utf-8") if isinstance(payload, str) else payload


def first_run_request() -> bytes:
    """Return the BackMsg a new page sends for its first run (no query, default page)."""
    back = BackMsg()
    back.rerun_script.query_string = ""
    back.rerun_script.page_script_hash = ""
    return back.SerializeToString()


def frame_kind(direction: str, payload: bytes) -> str:
    """Name a frame: BackMsg type, ForwardMsg type, delta element type."""
    try:
        if direction == "out":
            back = BackMsg()
            back.ParseFromString(payload)
            return back.WhichOneof("type") or "?"
        msg = ForwardMsg()
        msg.ParseFromString(payload)
    except Exception:  # a frame we cannot decode is only named so
        return "undecoded"
    kind = msg.WhichOneof("type") or "?"
    if kind != "delta":
        return kind
    if msg.delta.WhichOneof("type") != "new_element":
        return f"delta:{msg.delta.WhichOneof('type')}"
    element = msg.delta.new_element.WhichOneof("type")
    if element == "component_instance":
        return f"delta:component:{msg.delta.new_element.component_instance.component_name}"
    return f"delta:{element}"


def is_map_delta(kind: str) -> bool:
    """Tell whether a frame (named by :func:`frame_kind`) is a map component's delta.

    Ours is ``app.map_frame.st_folium`` (streamlit-folium's frontend, served
    from the app's copy); the plain apps' is ``streamlit_folium.st_folium``.
    """
    return kind.startswith("delta:component:") and kind.endswith(".st_folium")


def _events(js: list[list[Any]], frames: list[tuple[str, bytes]]) -> list[tuple[float, str, int]]:
    """Pair the page's frame times with Playwright's payloads (same order per direction)."""
    payloads = {d: [p for dd, p in frames if dd == d] for d in ("in", "out")}
    seen = {"in": 0, "out": 0}
    out = []
    for direction, at, size in js:
        if direction == "open":
            out.append((at, "open", 0))
            continue
        k = seen[direction]
        seen[direction] += 1
        pl = payloads[direction]
        kind = frame_kind(direction, pl[k]) if k < len(pl) and len(pl[k]) == size else "unpaired"
        out.append((at, kind, int(size)))
    return out


def _since(t0: float, value: float | None) -> float | None:
    """Return a page-clock time as ms after ``t0`` (``None`` stays ``None``)."""
    return None if value is None else value - t0


def _step_rows(events: list[tuple[float, str, int]], t0: float) -> dict[str, float | None]:
    """Websocket steps after ``t0`` (ms after it) and their bytes."""
    after = [(at, kind, size) for at, kind, size in events if at >= t0]
    sent = next((at for at, kind, _ in after if kind == "rerun_script"), None)
    deltas = [(at, kind, size) for at, kind, size in after if kind.startswith("delta")]
    folium = [(at, size) for at, kind, size in deltas if is_map_delta(kind)]
    done = next((at for at, kind, _ in after if kind == "script_finished"), None)
    return {
        "websocket open": _since(t0, next((at for at, k, _ in after if k == "open"), None)),
        "rerun request sent": _since(t0, sent),
        "first delta received": _since(t0, deltas[0][0] if deltas else None),
        "map component delta received": _since(t0, folium[0][0] if folium else None),
        "script_finished received": _since(t0, done),
        "= server script run (ms)": None if sent is None or done is None else done - sent,
        "bytes: all deltas": sum(s for _, _, s in deltas),
        "count: deltas": len(deltas),
        "bytes: map component delta": folium[0][1] if folium else None,
        "bytes: largest other delta": max(
            (s for _, k, s in deltas if not is_map_delta(k)), default=0
        ),
    }


def _frame_rows(read: dict[str, Any], t0: float) -> dict[str, float | None]:
    """Return the component frame's steps after ``t0``, in ms after it."""
    origin = read["origin"]
    marks = {k: [v - origin for v in vs if v - origin >= t0] for k, vs in read["marks"].items()}
    # the probe notes what it saw first; before t0 means "already there", not a step
    seen = {k: v for k, v in read["seen"].items() if v >= t0}
    starts, idx0, idx1 = (marks.get(k, []) for k in ("points_start", "index_start", "index_end"))
    decode = [i - s for s, i in zip(starts, idx0, strict=False)]
    index = [e - s for s, e in zip(idx0, idx1, strict=False)]
    frame_start = None if read["frameOrigin"] is None else read["frameOrigin"] - origin
    return {
        "component frame document start": _since(
            t0, frame_start if frame_start is not None and frame_start >= t0 else None
        ),
        "Leaflet script ran": _since(t0, min(marks.get("leaflet", []), default=None)),
        "map created": _since(t0, min(marks.get("map", []), default=None)),
        "county layer created (GeoJSON)": _since(t0, min(marks.get("geojson", []), default=None)),
        "county paths seen": _since(t0, seen.get("vector_paths")),
        "project layers: first onAdd": _since(t0, min(starts, default=None)),
        "project layers: last onAdd done": _since(
            t0, max(marks.get("points_end", []), default=None)
        ),
        "= point decode, all layers (ms)": sum(decode) if decode else None,
        "= supercluster index, all layers (ms)": sum(index) if index else None,
        "czFirstDrawMs (projects.js)": _since(
            t0, read["czFirst"] if read["czFirst"] is not None and read["czFirst"] >= t0 else None
        ),
        "first canvas draw seen": _since(t0, seen.get("points")),
    }


async def _act(page: Page, capture: Capture, action: str, app: App, url: str) -> dict[str, Any]:
    """Do one action; return its rows relative to its start."""
    if action == "category":
        start_js = len(await page.evaluate("() => window.__bench.ws"))
        start_py = len(capture.sockets[-1])
        await page.evaluate("() => { window.__bench.seen = {}; }")
        took = await choose(page, app.category, timeout_s=TIMEOUT_S)
        t0 = await page.evaluate("() => window.__bench.clickAt") or 0.0
    else:
        start_js = start_py = 0
        took = await load(page, url, timeout_s=TIMEOUT_S)
        t0 = 0.0
    # the script may still run after the map has redrawn
    await capture.finished(start_py, timeout_s=TIMEOUT_S)
    frames = capture.sockets[-1]
    read = await page.evaluate(_READ, t0)
    events = _events(read["ws"], frames)[start_js:]
    rows = {**_step_rows(events, t0), **_frame_rows(read, t0)}
    deltas = sorted((size, kind) for at, kind, size in events if at >= t0 and "delta" in kind)
    rows["_largest"] = ", ".join(f"{kind[6:]} {size:,} B" for size, kind in deltas[-3:][::-1])
    # the judge's time is from navigation (loads) or from the click (filter)
    rows["map drawn (judge, stable 100 ms)"] = None if took is None else took * 1000
    return rows


async def _one_run(browser: Any, app: App, url: str, outside: Outside) -> list[dict[str, Any]]:
    context = await new_context(browser, outside, hooks=True)
    page = await context.new_page()
    capture = Capture()
    page.on("websocket", capture.attach)
    try:
        return [await _act(page, capture, action, app, url) for action in ACTIONS]
    finally:
        await context.close()


def _print(n: int, runs: list[list[dict[str, Any]]]) -> None:
    print(f"\n{n:,} projects, our app (medians of {len(runs)}; ms from navigation or click)")
    print(" | ".join(["step", *ACTIONS]))
    print(" | ".join(["---"] * (len(ACTIONS) + 1)))
    for key in runs[0][0]:
        if key.startswith("_"):
            continue
        cells = []
        for i in range(len(ACTIONS)):
            values = [run[i][key] for run in runs if run[i][key] is not None]
            cells.append(f"{statistics.median(values):,.0f}" if values else "—")
        print(" | ".join([key, *cells]))
    for action, rows in zip(ACTIONS, runs[-1], strict=True):
        print(f"largest deltas, {action}: {rows['_largest']}")


async def run(sizes: list[int], *, app: App, repeats: int, folder: Path) -> None:
    """Print the breakdown of our app at every size."""
    from playwright.async_api import async_playwright

    outside = Outside()
    async with async_playwright() as pw:
        browser = await launch(pw)
        for n in sizes:
            data = build_data(n, folder)
            with serve(app.script, extra_env=app.env(data), log=folder / f"bd-{n}.log") as server:
                # the server's first run fills its caches; not part of the breakdown
                context = await new_context(browser, outside)
                await load(await context.new_page(), server.url, timeout_s=TIMEOUT_S)
                await context.close()
                runs = [await _one_run(browser, app, server.url, outside) for _ in range(repeats)]
            _print(n, runs)
        await browser.close()
    outside.report()
