"""The progress view of the running app in headless Chromium, on a small demo store."""

from __future__ import annotations

import pytest
from conftest import MAP_FRAME, serve_app, wait_idle

from bench.demo_store import build_demo_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    build_demo_store(folder / "demo.gpkg", projects=400)
    with serve_app(folder / "demo.gpkg", folder) as url:
        yield url


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.set_default_timeout(60_000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    page.close()


def _drawn_frame(page):
    """Return the map frame once its points are drawn."""
    frame = page.wait_for_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("Number(document.documentElement.dataset.czDrawn) > 0")
    return frame


def _completed(page, month: str) -> str:
    """Return the value of the figure of investment completed to the month."""
    metric = page.locator("[data-testid='stMetric']", has_text=f"截至 {month} · 累计完成投资")
    return metric.first.locator("[data-testid='stMetricValue']").inner_text()


def test_months_and_views_switch_on_the_demo_store(page, demo_url, artifacts):
    page.goto(f"{demo_url}/?mode=progress&period=2025-09")
    frame = _drawn_frame(page)
    # the demo store says what it is; the month names the view
    page.get_by_text("演示数据").first.wait_for()
    page.get_by_text("截至 2025年9月").first.wait_for()
    # progress view: the lag-status legend is on the map
    frame.get_by_text("序时进度").first.wait_for()
    september = _completed(page, "2025年9月")
    page.screenshot(path=str(artifacts / "progress_view_2025-09.png"))
    # an earlier month: less is completed
    page.goto(f"{demo_url}/?mode=progress&period=2025-03")
    _drawn_frame(page)
    page.get_by_text("截至 2025年3月").first.wait_for()
    march = _completed(page, "2025年3月")
    assert float(march.split()[0]) < float(september.split()[0])
    # back to the map by category, from the sidebar: the lag legend leaves the map
    wait_idle(page)
    page.get_by_text("按类别").first.click()
    page.wait_for_function(
        """(sel) => {
            const f = document.querySelector(sel);
            const d = f && f.contentDocument;
            return d && d.body && !d.body.innerText.includes('序时进度')
                && Number(d.documentElement.dataset.czDrawn) > 0;
        }""",
        arg=MAP_FRAME,
    )
    page.screenshot(path=str(artifacts / "progress_view_by_category.png"))
    assert not page.errors
