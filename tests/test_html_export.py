"""Self-contained HTML: inlined vendored assets, opened from disk in Chromium offline."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest

from geodata.settings import ROOT_DIR, STATIC_URL
from layers.export.html import ExternalResourceError, inline_assets, self_contained_html

ARTIFACTS = ROOT_DIR / "tests" / "artifacts"


def vendored_map() -> folium.Map:
    """A folium map that references only the vendored Leaflet, with a path and a marker."""
    m = folium.Map(location=[36.4, 112.9], zoom_start=9, tiles=None)
    m.default_js = [("leaflet", f"{STATIC_URL}/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", f"{STATIC_URL}/vendor/leaflet/leaflet.css")]
    folium.CircleMarker([36.19, 113.11], radius=8, color="#d9480f", tooltip="潞州区").add_to(m)
    folium.Marker([36.33, 113.22], tooltip="潞城区").add_to(m)
    return m


def open_offline(
    browser: object, path: Path, *, wait_for: str, width: int = 900, height: int = 700
) -> tuple[object, list[str], list[str]]:
    """Open ``path`` with every non-file request aborted, wait for ``wait_for``.

    Returns the page, the URLs it requested and its uncaught script errors.
    """
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    errors: list[str] = []

    def route(r: object) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            r.abort()

    def record(request: object) -> None:
        requests.append(request.url)

    def on_error(exc: object) -> None:
        errors.append(str(exc))

    page.route("**/*", route)
    page.on("request", record)
    page.on("pageerror", on_error)
    try:
        page.goto(path.as_uri())
        page.wait_for_selector(wait_for, timeout=10_000)
    except Exception:
        page.close()
        raise
    return page, requests, errors


def test_inlines_vendor_assets():
    html = self_contained_html(vendored_map())
    assert f"{STATIC_URL}/vendor" not in html
    assert "<script src" not in html
    assert 'rel="stylesheet"' not in html
    # leaflet itself and its css (with images as data uris) are in the page
    assert "Leaflet 1.9.4" in html or "leafletjs.com" in html
    assert ".leaflet-pane" in html
    assert "data:image/png;base64," in html


def test_refuses_remote_assets():
    m = vendored_map()
    m.default_js = [*m.default_js, ("jquery", "https://code.jquery.com/jquery.min.js")]
    with pytest.raises(ExternalResourceError, match="jquery"):
        self_contained_html(m)
    with pytest.raises(ExternalResourceError, match=r"cdn\.example"):
        inline_assets('<link rel="stylesheet" href="//cdn.example/x.css"/>')
    with pytest.raises(FileNotFoundError):
        inline_assets(f'<script src="{STATIC_URL}/vendor/nope/missing.js"></script>')


def test_opens_offline_in_chromium(browser, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(self_contained_html(vendored_map()), encoding="utf-8")
    page, requests, errors = open_offline(browser, path, wait_for=".leaflet-marker-icon")
    try:
        assert page.locator(".leaflet-pane.leaflet-map-pane").count() == 1
        assert page.locator("path.leaflet-interactive").count() >= 1
        icon = page.locator("img.leaflet-marker-icon").first
        assert icon.get_attribute("src").startswith("data:image/png")
        # the inlined icon really decoded
        assert page.evaluate("document.querySelector('img.leaflet-marker-icon').naturalWidth") > 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "html_export_offline.png"))
    finally:
        page.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


def test_build_map_output_opens_offline(browser, tmp_path):
    from geodata.boundaries import load_counties
    from geodata.register import load_register
    from layers.map import build_map

    m = build_map(load_register(), load_counties())
    html = self_contained_html(m)
    assert f"{STATIC_URL}/vendor" not in html
    path = tmp_path / "build_map.html"
    path.write_text(html, encoding="utf-8")
    page, requests, errors = open_offline(
        browser, path, wait_for=".leaflet-overlay-pane path", width=1000, height=800
    )
    try:
        assert page.locator(".leaflet-pane.leaflet-map-pane").count() == 1
        # the 12 county outlines are drawn as vector paths
        assert page.locator(".leaflet-overlay-pane path").count() >= 12
        # project symbols (clusters or single points) are drawn on the points canvas
        page.wait_for_function(
            "Number(document.documentElement.dataset.czDrawn) >= 1", timeout=10_000
        )
        assert page.locator(".leaflet-czPoints-pane canvas").count() >= 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "html_export_build_map.png"))
    finally:
        page.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
