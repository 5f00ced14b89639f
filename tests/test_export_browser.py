"""The export panel in the running app hands out real files (checked with real readers)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import MAP_FRAME, wait_idle
from pypdf import PdfReader

pytestmark = pytest.mark.browser

A4_LANDSCAPE_PT = (841.89, 595.28)


def _export_tab(page, url: str) -> None:
    page.goto(url)
    # let the page finish (the map drawn, then the rest its first report brings) before
    # switching tabs, as a person does
    frame = page.wait_for_selector(MAP_FRAME, timeout=60_000).content_frame()
    frame.wait_for_function("Number(document.documentElement.dataset.czDrawn) > 0", timeout=60_000)
    page.get_by_role("tab", name="县区对比").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("tab", name="导出").click()
    page.get_by_role("button", name="生成地图文件").wait_for(timeout=60_000)
    wait_idle(page)


def test_print_pdf_from_the_export_panel(browser, app_url, tmp_path):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.set_default_timeout(60_000)
    _export_tab(page, f"{app_url}/?cat=energy")
    page.get_by_role("button", name="生成地图文件").click()
    button = page.get_by_role("button", name="下载").first
    button.wait_for(timeout=60_000)
    # the default format is png: check it, then switch to pdf
    with page.expect_download() as info:
        button.click()
    png = tmp_path / "map.png"
    info.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.get_by_label("格式").click()
    page.get_by_role("option", name="pdf").click()
    page.get_by_role("button", name="生成地图文件").click()
    page.wait_for_selector("button:has-text('.pdf')", timeout=60_000)
    with page.expect_download() as info:
        page.locator("button:has-text('.pdf')").click()
    pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_PT, abs=1)
    text = pdf.pages[0].extract_text()
    assert "长治" in text
    assert "能源" in text  # the filter is stated on the page
    # provenance names the register version the selection came from
    assert "register_version=v1·" in pdf.metadata["/Keywords"]
    page.close()


def test_geojson_extract_is_the_current_selection(browser, app_url):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.set_default_timeout(60_000)
    _export_tab(page, f"{app_url}/?cat=livelihood")
    selected = page.locator("[data-testid='stMetric']", has_text="当前筛选项目数")
    n = int(selected.locator("[data-testid='stMetricValue']").inner_text())
    with page.expect_download() as info:
        page.get_by_role("button", name="GEOJSON").click()
    data = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert len(data["features"]) == n
    assert {f["geometry"]["type"] for f in data["features"]} == {"Point"}
    page.close()
