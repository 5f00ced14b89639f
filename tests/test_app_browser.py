"""The running app in headless Chromium with no internet: drawn, filterable, escaped, local-only."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest
from conftest import HOSTILE_NAMES, MAP_FRAME
from websockets.sync.client import connect

from bench._app_breakdown import first_run_request, frame_kind
from geodata.register import load_register
from geodata.settings import FRONTEND_MIRROR_URL

pytestmark = pytest.mark.browser

STATS = "() => JSON.parse(JSON.stringify(window.czStats || {}))"
# screen offsets of every drawn leaf marker of one colour, relative to the map frame
LEAVES = """(colour) => {
    const out = [];
    map_div.eachLayer(l => {
        if (l.czIndex !== undefined && l.options.fillColor === colour) {
            const p = map_div.latLngToContainerPoint(l.getLatLng());
            const box = map_div.getContainer().getBoundingClientRect();
            out.push({i: l.czIndex, x: box.left + p.x, y: box.top + p.y});
        }
    });
    return out;
}"""


@pytest.fixture
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.set_default_timeout(60_000)
    page.requests = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    page.close()


def _open(page, url: str, *, whole: bool = True):
    """Open the app and return the map frame once markers are drawn.

    With ``whole``, also wait for the rest of the page (it follows the map's
    first report), as a person does before using the filters or the map.
    """
    page.goto(url)
    handle = page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = handle.content_frame()
    frame.wait_for_function("Number(document.documentElement.dataset.czDrawn) > 0", timeout=60_000)
    if whole:
        page.get_by_role("tab", name="县区对比").wait_for(timeout=60_000)
    return frame


def _points(frame) -> int:
    return sum(s["points"] for s in frame.evaluate(STATS).values() if s["visible"])


def test_counties_and_projects_drawn_offline(page, app_url, artifacts):
    frame = _open(page, app_url)
    # twelve county outlines and their Chinese labels
    assert frame.locator(".leaflet-overlay-pane svg path").count() >= 12
    labels = frame.locator(".cz-county-label").all_text_contents()
    assert "潞州区" in labels and len(labels) == 12
    assert _points(frame) == len(load_register()) + len(HOSTILE_NAMES)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(artifacts / "app.png"), full_page=True)
    local = app_url.rstrip("/")
    outside = [u for u in page.requests if not u.startswith((local, "data:", "blob:"))]
    assert outside == []
    assert page.errors == []


def test_the_tabs_follow_once_the_map_has_drawn(page, app_url):
    # a new session's first run holds the tabs back; the map's first report brings them
    frame = _open(page, app_url, whole=False)
    frame.evaluate("window.czKept = 1")
    # the report that brings them waited for the map's first picture
    assert frame.evaluate("window.Streamlit.czAfterPaint") is True
    page.get_by_role("tab", name="县区对比").wait_for(timeout=30_000)
    assert page.get_by_text("地图绘制完成后显示").count() == 0
    assert page.locator("button", has_text="立即显示").count() == 0
    # the map was not rebuilt by the run that sent them: the same frame, still drawn
    assert page.locator(MAP_FRAME).count() == 1
    assert frame.evaluate("window.czKept") == 1
    assert int(frame.evaluate("document.documentElement.dataset.czDrawn")) > 0
    assert page.errors == []


def test_the_browser_keeps_the_map_frontend_between_page_loads(page, app_url):
    # streamlit-folium's page and script come from the app's static copy, which a
    # browser keeps; from the component route it would download them on every load
    scripts = """() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/static/js/main.'))
        .map(e => [new URL(e.name).pathname, e.transferSize, e.decodedBodySize])"""
    first = _open(page, app_url, whole=False)
    assert urlparse(first.url).path == f"{FRONTEND_MIRROR_URL}/index.html"
    [(path, size, body)] = first.evaluate(scripts)
    assert path.startswith(f"{FRONTEND_MIRROR_URL}/static/js/main.") and size > 10_000
    again = _open(page, app_url, whole=False)
    # the second load: not downloaded again (from the cache, or at most a bodiless 304)
    [(path2, size2, body2)] = again.evaluate(scripts)
    assert (path2, body2) == (path, body) and size2 < 1_000
    assert page.errors == []


def test_a_new_sessions_first_run_sends_the_map_last(app_url):
    # what sits below the map is sent before it: small messages right after a large
    # one often wait ~40 ms for the browser's delayed TCP acknowledgement
    stream = app_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
    kinds: list[str] = []
    with connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=30) as ws:
        ws.send(first_run_request())
        while not kinds or kinds[-1] != "script_finished":
            kinds.append(frame_kind("in", ws.recv(timeout=60)))
    deltas = [k for k in kinds if k.startswith("delta")]
    assert deltas[-1] == "delta:component:app.map_frame.st_folium"
    assert kinds[-2:] == [deltas[-1], "script_finished"]
    # the title, the panel's hint and the waiting caption and button went before it
    assert {"delta:heading", "delta:alert", "delta:markdown", "delta:button"} <= set(deltas)


def test_toggling_a_category_layer_changes_what_is_shown(page, app_url):
    frame = _open(page, app_url)
    before = int(frame.evaluate("document.documentElement.dataset.czDrawn"))
    energy = frame.evaluate(STATS)["energy"]["drawn"]
    assert energy > 0
    frame.locator(".leaflet-control-layers label", has_text="能源").locator("input").click()
    frame.wait_for_function(
        f"Number(document.documentElement.dataset.czDrawn) === {before - energy}"
    )
    assert frame.evaluate(STATS)["energy"]["visible"] is False


def test_filters_change_the_marker_count(page, app_url):
    register = load_register()
    frame = _open(page, f"{app_url}/?cat=energy")
    assert _points(frame) == int((register["category"] == "energy").sum())
    # typing into the sidebar search narrows the map to one project
    frame = _open(page, app_url)
    box = page.get_by_label("名称搜索")
    box.fill("后湾")
    box.press("Enter")
    page.wait_for_function(
        f"""() => {{
            const f = document.querySelector("{MAP_FRAME}");
            const s = f && f.contentWindow.czStats;
            if (!s) return false;
            return Object.values(s).reduce((n, c) => n + (c.visible ? c.points : 0), 0) === 1;
        }}""",
        timeout=60_000,
    )
    assert "q=" in page.url and quote("后湾") in page.url


def _leaf_xy(page, frame, index: int) -> tuple[float, float]:
    """Page coordinates of the leaf marker with a given index (positions change on pans)."""
    box = page.locator(MAP_FRAME).bounding_box()
    leaf = next(lf for lf in frame.evaluate(LEAVES, "#1c7ed6") if lf["i"] == index)
    return box["x"] + leaf["x"], box["y"] + leaf["y"]


def test_hostile_names_show_literally_and_run_nothing(page, app_url, artifacts):
    frame = _open(page, f"{app_url}/?cat=industry")
    view = frame.evaluate("() => [map_div.getCenter(), map_div.getZoom()]")
    # hover every leaf: tooltips only, nothing reruns
    tooltips = {}
    for index in sorted({leaf["i"] for leaf in frame.evaluate(LEAVES, "#1c7ed6")}):
        page.mouse.move(*_leaf_xy(page, frame, index))
        frame.wait_for_selector(".leaflet-tooltip")
        tooltips[index] = frame.locator(".leaflet-tooltip").last.inner_text()
        page.mouse.move(5, 5)
        frame.wait_for_selector(".leaflet-tooltip", state="detached")
    assert set(HOSTILE_NAMES) <= set(tooltips.values())
    # click the hostile ones: popups (each click also selects the project in the app)
    popups = []
    for index in [i for i, text in tooltips.items() if text in HOSTILE_NAMES]:
        page.mouse.click(*_leaf_xy(page, frame, index))
        frame.wait_for_selector(".leaflet-popup-content")
        popups.append(frame.locator(".leaflet-popup-content").last.inner_text())
        # the click also opens the project in the side panel, name shown literally
        name = HOSTILE_NAMES[int(popups[-1].splitlines()[0].removeprefix("XSS-"))]
        page.wait_for_function(
            "(name) => Array.from(document.querySelectorAll('h4')).some(h => h.innerText === name)",
            arg=name,
            timeout=30_000,
        )
        page.screenshot(path=str(artifacts / f"app_popup_{index}.png"))
        # close it and undo the popup's auto-pan
        frame.evaluate(
            "([c, z]) => { map_div.closePopup(); map_div.setView(c, z, {animate: false}); }", view
        )
        frame.wait_for_selector(".leaflet-popup-content", state="detached")
    # one popup per hostile project, each showing its name literally
    assert sorted(text.splitlines()[0] for text in popups) == [
        f"XSS-{k}" for k in range(len(HOSTILE_NAMES))
    ]
    for name in HOSTILE_NAMES:
        assert any(name in text for text in popups)
    assert frame.evaluate("document.body.dataset.pwned") is None
    assert page.evaluate("document.body.dataset.pwned") is None
    assert frame.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
    assert page.errors == []
