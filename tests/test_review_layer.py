"""Import preview and review maps: statuses drawn, spreadsheet text shown as text."""

from __future__ import annotations

import folium
import geopandas as gpd
import pytest
from conftest import HOSTILE_NAMES, HOSTILE_SPOTS

from bench.bench_map import serve_page
from geodata.boundaries import load_counties
from geodata.ingest import RowStatus
from layers.review import STATUS_COLORS, review_map, status_map

# one status per hostile name
STATUSES = [
    RowStatus.ACCEPTED,
    RowStatus.WARNINGS,
    RowStatus.NEEDS_REVIEW,
    RowStatus.ACCEPTED,
    RowStatus.ACCEPTED,
    RowStatus.WARNINGS,
    RowStatus.NEEDS_REVIEW,
]
ROWS = list(range(2, 2 + len(HOSTILE_NAMES)))


def _preview() -> gpd.GeoDataFrame:
    lon = [x for x, _ in HOSTILE_SPOTS] + [None]
    lat = [y for _, y in HOSTILE_SPOTS] + [None]
    return gpd.GeoDataFrame(
        {
            "row": [*ROWS, ROWS[-1] + 1],
            "name_zh": [*HOSTILE_NAMES, "未定位项目"],
            "status": [s.value for s in STATUSES] + [RowStatus.NEEDS_REVIEW.value],
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


def test_preview_layers_count_located_rows_per_status():
    m = status_map(_preview(), load_counties())
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    # the unlocated row is listed in the report, not drawn
    assert {"已接受 (3)", "已接受（有提示） (2)", "待复核 (2)"} <= set(names)
    html = m.get_root().render()
    for colour in STATUS_COLORS.values():
        assert colour in html


def test_preview_rejects_other_crs():
    with pytest.raises(ValueError, match="EPSG:4326"):
        status_map(_preview().to_crs("EPSG:3857"), load_counties())


@pytest.mark.browser
def test_hostile_row_names_show_as_text(browser, artifacts):
    html = status_map(_preview(), load_counties()).get_root().render()
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    with serve_page(html) as url:
        page.goto(url)
        page.wait_for_selector(".leaflet-overlay-pane path.leaflet-interactive")
        tips = page.evaluate(
            """() => {
                const out = [];
                for (const k of Object.keys(window)) {
                    const m = window[k];
                    if (k.startsWith('map_') && m && m.eachLayer) {
                        m.eachLayer(l => {
                            if (l.getTooltip && l.getTooltip() && l.feature &&
                                l.feature.properties.status) {
                                l.openTooltip();
                                out.push(l.getTooltip().getElement().innerText);
                            }
                        });
                    }
                }
                return out;
            }"""
        )
        page.screenshot(path=str(artifacts / "import_preview_layer.png"))
    assert errors == []
    for name, row in zip(HOSTILE_NAMES, ROWS, strict=True):
        assert f"行 {row}: {name}" in tips
    assert page.evaluate("document.body.dataset.pwned") is None
    page.close()


def test_review_map_draws_current_and_picked_points():
    html = (
        review_map(load_counties(), current=(113.1, 36.2), picked=(113.2, 36.3)).get_root().render()
    )
    assert "当前位置" in html and "新位置" in html
    none = (
        review_map(load_counties(), current=(float("nan"), float("nan")), picked=(None, None))
        .get_root()
        .render()
    )
    assert "当前位置" not in none and "新位置" not in none
