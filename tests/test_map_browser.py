"""The standalone map in headless Chromium: drawn, toggleable, escaped, offline."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _frames import make_projects
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.bench_map import serve_page
from geodata.boundaries import load_counties
from geodata.settings import CATEGORY_COLORS, CHOROPLETH_COLORS
from layers.counties import ChoroplethSpec
from layers.map import base_map, build_map
from layers.shading import ChoroplethChoice, Metric

pytestmark = pytest.mark.browser

CANARY = '<img src=x onerror="document.body.dataset.pwned=1">'
NAMES = [CANARY, "${document.body.dataset.pwned=2}", "back`tick`${1+1}", "D:\\资料\\x4"]
# spread over the city so that each is its own marker at the opening zoom
SPOTS = [(112.35, 36.95), (113.55, 36.95), (112.45, 36.05), (113.45, 35.95)]
SEAT = (113.11, 36.19)

FIND_MAP = """() => {
    for (const k of Object.keys(window)) {
        if (k.startsWith('map_') && window[k] && window[k].getZoom) return k;
    }
    return null;
}"""
IDLE = "(v) => !window[v]._panAnim || !window[v]._panAnim._inProgress"
# screen position of every drawn leaf marker, keyed by project index within its layer
LEAVES = """([mapVar, cat]) => {
    const map = window[mapVar];
    const box = map.getContainer().getBoundingClientRect();
    const out = [];
    map.eachLayer(l => {
        if (l.czIndex !== undefined && l.options.fillColor === cat) {
            const p = map.latLngToContainerPoint(l.getLatLng());
            out.push({i: l.czIndex, x: box.left + p.x, y: box.top + p.y});
        }
    });
    return out.sort((a, b) => a.i - b.i);
}"""
# screen position and count of every cluster bubble (drawn on the canvas)
BUBBLES = """(mapVar) => {
    const map = window[mapVar];
    const box = map.getContainer().getBoundingClientRect();
    const out = [];
    map.eachLayer(l => {
        if (l.czCount !== undefined) {
            const p = map.latLngToContainerPoint(l.getLatLng());
            const color = l.options.fillColor;
            out.push({n: l.czCount, color: color, x: box.left + p.x, y: box.top + p.y});
        }
    });
    return out;
}"""

# alpha of the canvas pixel at an offset from every drawn leaf of one colour
LEAF_PIXELS = """([mapVar, colour, dx, dy]) => {
    const map = window[mapVar], r = map._czRenderer, dpr = window.devicePixelRatio || 1;
    const out = [];
    map.eachLayer(l => {
        if (l.czIndex !== undefined && l.options.fillColor === colour) {
            const p = l._point.subtract(r._bounds.min);
            const x = Math.round((p.x + dx) * dpr), y = Math.round((p.y + dy) * dpr);
            out.push(r._ctx.getImageData(x, y, 1, 1).data[3]);
        }
    });
    return out;
}"""


def _projects() -> gpd.GeoDataFrame:
    rows = []
    for k, (name, (lon, lat)) in enumerate(zip(NAMES, SPOTS, strict=True)):
        rows.append(
            {
                "id": f"XSS-{k}",
                "name_zh": name,
                "name_en": name,
                "category": "industry",
                "subcategory": "electronics",
                "company": name,
                "lon": lon,
                "lat": lat,
                "source_sentence": name,
            }
        )
    # three projects on the same county seat, and a few more energy projects
    for k in range(3):
        rows.append(
            {
                "id": f"SEAT-{k}",
                "name_zh": f"县城项目{k}",
                "category": "livelihood",
                "subcategory": "water",
                "lon": SEAT[0],
                "lat": SEAT[1],
                "precision": "county",
            }
        )
    for k in range(5):
        rows.append(
            {
                "id": f"E-{k}",
                "name_zh": f"光伏项目{k}",
                "category": "energy",
                "subcategory": "photovoltaic",
                "lon": 112.6 + 0.2 * k,
                "lat": 36.6,
                "investment_yi": 1.5,
            }
        )
    return make_projects(rows)


@pytest.fixture(scope="module")
def page_html() -> str:
    return build_map(_projects(), load_counties()).get_root().render()


@pytest.fixture
def loaded(browser, page_html):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    with serve_page(page_html) as url:
        page.goto(url)
        page.wait_for_function("Number(document.documentElement.dataset.czDrawn) > 0")
        map_var = page.evaluate(FIND_MAP)
        yield page, map_var, url, requests, errors
    page.close()


def _hover(page, map_var: str, k: int) -> dict:
    """Hover leaf ``k`` of the industry layer until its tooltip shows; return its position."""
    for _ in range(20):
        # positions change while an auto-pan from the last popup settles
        leaf = page.evaluate(LEAVES, [map_var, "#1c7ed6"])[k]
        page.mouse.move(leaf["x"] + 20, leaf["y"] + 20)
        # leaflet's canvas ignores hover moves closer than 32 ms apart
        page.wait_for_timeout(50)
        page.mouse.move(leaf["x"], leaf["y"])
        try:
            page.wait_for_selector(".leaflet-tooltip", timeout=500)
        except PlaywrightTimeout:
            continue
        return leaf
    raise AssertionError(f"no tooltip on leaf {k}")


def _stats(page) -> dict:
    return page.evaluate("JSON.parse(JSON.stringify(window.czStats))")


def test_counties_and_markers_drawn(loaded, artifacts):
    page, map_var, _, _, errors = loaded
    # twelve county outlines (svg paths) and their labels, in Chinese
    assert page.locator(".leaflet-overlay-pane svg path").count() >= 12
    labels = page.locator(".cz-county-label").all_text_contents()
    assert len(labels) == 12
    assert "潞州区" in labels
    stats = _stats(page)
    assert stats["industry"]["drawn"] == 4
    assert stats["energy"]["drawn"] >= 1
    # the three projects on one seat form one bubble
    bubbles = page.evaluate(BUBBLES, map_var)
    assert [(b["n"], b["color"]) for b in bubbles] == [(3, "#2b8a3e")]
    legend = page.locator(".cz-legend").inner_text()
    assert "能源" in legend
    assert "产业" in legend
    page.screenshot(path=str(artifacts / "map.png"))
    assert errors == []


def test_toggling_a_layer_hides_its_markers(loaded):
    page, _, _, _, _ = loaded
    before = int(page.evaluate("document.documentElement.dataset.czDrawn"))
    energy = _stats(page)["energy"]["drawn"]
    page.locator(".leaflet-control-layers label", has_text="能源").locator("input").click()
    page.wait_for_function(
        f"Number(document.documentElement.dataset.czDrawn) === {before - energy}"
    )
    assert _stats(page)["energy"]["visible"] is False
    page.locator(".leaflet-control-layers label", has_text="能源").locator("input").click()
    page.wait_for_function(f"Number(document.documentElement.dataset.czDrawn) === {before}")
    assert _stats(page)["energy"]["visible"] is True


def test_injected_names_show_literally_and_run_nothing(loaded, artifacts):
    page, map_var, _, _, errors = loaded
    assert len(page.evaluate(LEAVES, [map_var, "#1c7ed6"])) == 4
    tooltips, popups = [], []
    for k in range(4):
        leaf = _hover(page, map_var, k)
        tooltips.append(page.locator(".leaflet-tooltip").last.inner_text())
        page.mouse.click(leaf["x"], leaf["y"])
        page.wait_for_selector(".leaflet-popup-content .cz-popup")
        # let the popup's auto-pan finish (markers are redrawn on moveend)
        page.wait_for_function(IDLE, arg=map_var)
        popups.append(page.locator(".leaflet-popup-content").inner_text())
        page.screenshot(path=str(artifacts / "map_popup.png"))
        page.locator(".leaflet-popup-close-button").click()
        page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
        page.mouse.move(5, 400)
    assert sorted(tooltips) == sorted(NAMES)
    for name in NAMES:
        assert sum(name in text for text in popups) == 1
    assert all(text.splitlines()[0].startswith("XSS-") for text in popups)
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
    assert errors == []


def test_colocated_projects_are_spiderfied(loaded):
    page, map_var, _, _, _ = loaded
    (bubble,) = page.evaluate(BUBBLES, map_var)
    page.mouse.click(bubble["x"], bubble["y"])
    # identical points cannot be split by zooming: they fan out in place
    page.wait_for_function(f"(v) => ({LEAVES})([v, '#2b8a3e']).length === 3", arg=map_var)
    leaves = page.evaluate(LEAVES, [map_var, "#2b8a3e"])
    spots = {(round(leaf["x"]), round(leaf["y"])) for leaf in leaves}
    assert len(spots) == 3  # fanned out to distinct positions
    page.mouse.click(leaves[0]["x"], leaves[0]["y"])
    page.wait_for_selector(".leaflet-popup-content .cz-popup")
    text = page.locator(".leaflet-popup-content").inner_text()
    assert text.startswith("SEAT-")
    assert "县区级" in text


def test_no_request_leaves_localhost(loaded):
    page, _, url, requests, _ = loaded
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(300)
    assert requests
    assert all(r.startswith(url.rstrip("/")) for r in requests), requests


def test_choropleth_fills_counties_with_a_graduated_legend(browser, artifacts):
    counties = load_counties()
    values = np.arange(len(counties), dtype=float) * 7
    summary = pd.DataFrame({"count_all": values}, index=counties["adcode"].tolist())
    spec = ChoroplethSpec(summary=summary, choice=ChoroplethChoice(Metric.COUNT))
    html = base_map(counties, choropleth=spec).get_root().render()
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    with serve_page(html) as url:
        page.goto(url)
        page.wait_for_selector(".cz-legend .cz-box")
        fills = page.evaluate(
            "Array.from(document.querySelectorAll('.leaflet-overlay-pane svg path'))"
            ".map(p => p.getAttribute('fill'))"
        )
        assert set(CHOROPLETH_COLORS) <= set(fills)
        legend = page.locator(".cz-legend", has_text="全部类别").inner_text()
        assert "项目数 · 全部类别" in legend
        assert page.locator(".cz-legend .cz-box").count() == len(CHOROPLETH_COLORS)
        # hovering the darkest county names it and its value
        name = counties["name_zh"].iloc[-1]
        label = page.locator(".cz-county-label", has_text=name).bounding_box()
        page.mouse.move(label["x"] + label["width"] / 2, label["y"] + label["height"] + 12)
        page.wait_for_selector(".leaflet-tooltip")
        assert page.locator(".leaflet-tooltip").inner_text().startswith(f"{name}: 77")
        page.screenshot(path=str(artifacts / "map_choropleth.png"))
    page.close()


def test_leaves_are_drawn_in_their_category_shape(loaded):
    page, map_var, _, _, _ = loaded
    energy, industry = CATEGORY_COLORS["energy"], CATEGORY_COLORS["industry"]
    # a circle of radius 6 paints (-6, -3) but not (5, 5) or (0, -8)
    apex = page.evaluate(LEAF_PIXELS, [map_var, energy, 0, -7])
    upper_left = page.evaluate(LEAF_PIXELS, [map_var, energy, -6, -3])
    below_right = page.evaluate(LEAF_PIXELS, [map_var, energy, 5, 5])
    assert len(apex) == 5
    assert min(apex) > 0
    assert max(upper_left) == 0, "energy leaves are triangles, not circles"
    assert max(below_right) == 0
    corner = page.evaluate(LEAF_PIXELS, [map_var, industry, 5, 5])
    above = page.evaluate(LEAF_PIXELS, [map_var, industry, 0, -8])
    assert len(corner) == 4
    assert min(corner) > 0, "industry leaves are squares, not circles"
    assert max(above) == 0


def _shared_spot_projects() -> gpd.GeoDataFrame:
    """Four energy and three industry projects on one county seat."""
    rows = [
        {
            "id": f"{cat[:3].upper()}-{k}",
            "name_zh": f"同址项目{cat}{k}",
            "category": cat,
            "subcategory": sub,
            "lon": SEAT[0],
            "lat": SEAT[1],
            "precision": "county",
        }
        for cat, sub, n in (("energy", "photovoltaic", 4), ("industry", "electronics", 3))
        for k in range(n)
    ]
    return make_projects(rows)


@pytest.mark.parametrize(("category", "count"), [("energy", 4), ("industry", 3)])
def test_colocated_bubbles_of_two_categories_sit_apart(browser, artifacts, category, count):
    html = build_map(_shared_spot_projects(), load_counties()).get_root().render()
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    with serve_page(html) as url:
        page.goto(url)
        page.wait_for_function("Number(document.documentElement.dataset.czDrawn) >= 2")
        map_var = page.evaluate(FIND_MAP)
        page.wait_for_function(f"(v) => ({BUBBLES})(v).length === 2", arg=map_var)
        bubbles = {b["color"]: b for b in page.evaluate(BUBBLES, map_var)}
        energy = bubbles[CATEGORY_COLORS["energy"]]
        industry = bubbles[CATEGORY_COLORS["industry"]]
        assert (energy["n"], industry["n"]) == (4, 3)
        radii = page.evaluate(
            "(v) => { const out = []; window[v].eachLayer(l => {"
            " if (l.czCount !== undefined) out.push(l._radius); }); return out; }",
            map_var,
        )
        # each count stays readable: centres at least one bubble radius apart
        gap = np.hypot(energy["x"] - industry["x"], energy["y"] - industry["y"])
        assert gap >= max(radii) > 0
        assert energy["x"] < industry["x"]  # category order, left to right
        page.screenshot(path=str(artifacts / f"map_shared_spot_{category}.png"))
        colour = CATEGORY_COLORS[category]
        target = bubbles[colour]
        page.mouse.click(target["x"], target["y"])
        # the clicked category fans out in place; the other stays a bubble
        page.wait_for_function(
            f"([v, c, n]) => ({LEAVES})([v, c]).length === n", arg=[map_var, colour, count]
        )
        other = CATEGORY_COLORS["industry" if category == "energy" else "energy"]
        assert page.evaluate(LEAVES, [map_var, other]) == []
        remaining = page.evaluate(BUBBLES, map_var)
        assert [b["color"] for b in remaining] == [other]
        page.screenshot(path=str(artifacts / f"map_shared_spot_{category}_spider.png"))
        leaf = page.evaluate(LEAVES, [map_var, colour])[0]
        page.mouse.click(leaf["x"], leaf["y"])
        page.wait_for_selector(".leaflet-popup-content .cz-popup")
        text = page.locator(".leaflet-popup-content").inner_text()
        assert text.startswith(category[:3].upper() + "-")
    page.close()
