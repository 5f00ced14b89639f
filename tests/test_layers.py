"""Map layers rendered to HTML: layers, colours, offline assets, escaping, choropleth, GCJ-02."""

from __future__ import annotations

import base64
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from _frames import make_projects
from jinja2.utils import htmlsafe_json_dumps

from geodata.boundaries import load_counties
from geodata.coords import CoordSystem, convert
from geodata.i18n import Lang
from geodata.schema import APPROXIMATE_PRECISIONS, Category, Precision
from geodata.settings import (
    CATEGORY_COLORS,
    CATEGORY_SYMBOLS,
    CHOROPLETH_COLORS,
    MAP_MARKER_COLORS,
    MAP_MAX_ZOOM,
    MAP_MIN_ZOOM,
    TILE_ATTRIBUTIONS,
    TILE_SOURCES,
    VENDOR_DIR,
)
from layers._assets import script_json
from layers.basemaps import Basemap, basemap_label, tile_layers
from layers.counties import ChoroplethSpec
from layers.map import base_map, build_map, layer_control
from layers.projects import (
    category_layer,
    encode_points,
    format_investment,
    layer_name,
    popup_project_id,
    project_layers,
)
from layers.shading import (
    ChoroplethChoice,
    Metric,
    class_breaks,
    class_colors,
    classify,
    shade,
)

PAYLOADS = [
    '<img src=x onerror="document.body.dataset.pwned=1">',
    "${alert(1)}",
    "back`tick`name",
    "D:\\资料\\x4",
    "</script><script>alert(1)</script>",
    "line\u2028sep<!--",
    "项目{{ 7*7 }}{% if 1 %}X{% endif %}{# c #}",
]


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_counties()


@pytest.fixture(scope="module")
def projects() -> gpd.GeoDataFrame:
    rows = [
        {
            "id": "P-001",
            "name_zh": "光伏电站",
            "category": "energy",
            "subcategory": "photovoltaic",
            "lon": 113.10,
            "lat": 36.20,
            "investment_yi": 5.39,
            "source_sentence": "某光伏电站项目总投资5.39亿元。",
        },
        {
            "id": "P-002",
            "name_zh": "新材料园",
            "category": "industry",
            "subcategory": "new_materials",
            "lon": 112.80,
            "lat": 36.50,
            "investment_yi": 0.35,
        },
        {
            "id": "P-003",
            "name_zh": "供水工程",
            "category": "livelihood",
            "subcategory": "water",
            "lon": 113.00,
            "lat": 36.00,
            "precision": "county",
        },
    ]
    for k, name in enumerate(PAYLOADS):
        rows.append(
            {
                "id": f"X-{k:03d}",
                "name_zh": name,
                "name_en": name,
                "company": name,
                "source_sentence": name,
                "category": "industry",
                "subcategory": "electronics",
                "lon": 112.5 + 0.1 * k,
                "lat": 36.8,
            }
        )
    return make_projects(rows)


def _varints(b64: str) -> np.ndarray:
    """Decode zigzag varints as the browser does."""
    out, value, shift = [], 0, 0
    for byte in base64.b64decode(b64):
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append((value >> 1) ^ -(value & 1))
            value, shift = 0, 0
    return np.array(out, dtype=np.int64)


def _decode_xy(payload: dict) -> np.ndarray:
    deltas = _varints(payload["xy"]).reshape(-1, 2)
    return np.cumsum(deltas, axis=0) / payload["scale"]


def _decode_ids(payload: dict) -> list[str]:
    ids = payload["ids"]
    if isinstance(ids, list):
        return ids
    nums = np.cumsum(_varints(ids["num"]))
    return [ids["prefix"] + str(n).zfill(ids["width"]) for n in nums]


def _payload(group) -> dict:
    """The payload of the one ProjectLayer inside a category feature group."""
    (layer,) = group._children.values()
    return json.loads(layer.payload)


def _tags(html: str) -> list[str]:
    return re.findall(r"<(?:script|link)\b[^>]*>", html)


def test_build_map_has_all_layers_colours_and_legend(projects, counties):
    html = build_map(projects, counties).get_root().render()
    # layer control names are written by folium with tojson (ascii escapes)
    for cat, n in ((Category.ENERGY, 1), (Category.INDUSTRY, 8), (Category.LIVELIHOOD, 1)):
        assert htmlsafe_json_dumps(layer_name(cat, n)) in html
    assert json.dumps("县区界") in html
    # the layer control shows each category's glyph in its colour, as the legend does
    assert layer_name(Category.ENERGY, 1) == (
        '<span class="cz-glyph" style="color:#d9480f">▲</span> 能源 (1)'
    )
    legend = json.loads(re.search(r'\((\{"title":"图例".*?\}), map_', html).group(1))
    assert legend["rows"] == [
        ["#d9480f", "▲", "能源"],
        ["#1c7ed6", "■", "产业"],
        ["#2b8a3e", "●", "民生"],
    ]
    for color in CATEGORY_COLORS.values():
        assert color in html
    assert html.count("window.CzProjects.layer(") == 3
    assert "L.control.scale(" in html
    assert '"title":"图例"' in html
    assert "潞州区" in html


def test_only_vendored_assets_no_cdn(projects, counties):
    html = build_map(projects, counties).get_root().render()
    tags = _tags(html)
    urls = [u for tag in tags for u in re.findall(r'(?:src|href)="([^"]*)"', tag)]
    assert urls, "the page must load leaflet"
    assert "/app/static/vendor/leaflet/leaflet.js" in urls
    for url in urls:
        assert url.startswith("/app/static/vendor/"), url
        assert (VENDOR_DIR / url.removeprefix("/app/static/vendor/")).is_file()
    assert not any("http" in tag for tag in tags)
    for needle in ("cdn.jsdelivr", "cdnjs", "bootstrap", "jquery", "font-awesome"):
        assert needle not in html


def test_crs_mismatch_raises(projects, counties):
    with pytest.raises(ValueError, match="EPSG:4326"):
        build_map(projects.to_crs("EPSG:3857"), counties)
    with pytest.raises(ValueError, match="EPSG:4326"):
        build_map(projects, counties.to_crs("EPSG:32649"))
    with pytest.raises(ValueError, match="EPSG:4326"):
        project_layers(projects.set_crs(None, allow_override=True))


def test_payload_names_are_escaped_in_script(projects, counties):
    html = build_map(projects, counties).get_root().render()
    for raw in ("<img src=x", "</script><script>alert", "<!--", "\u2028", 'onerror="'):
        assert raw not in html
    # no template tag is left to open, and the one in the name was not evaluated
    for raw in ("{{", "{%", "{#", "项目49"):
        assert raw not in html
    # the names survive decoding unchanged
    payload = encode_points(projects[projects.category == "industry"], Category.INDUSTRY)
    assert json.loads(script_json(payload)) == payload
    assert set(PAYLOADS) <= set(payload["detail"]["name_zh"])


def test_coordinates_and_ids_round_trip(projects):
    sub = projects[projects.category == "industry"]
    payload = encode_points(sub, Category.INDUSTRY)
    xy = _decode_xy(payload)
    ids = _decode_ids(payload)
    got = dict(zip(ids, map(tuple, xy), strict=True))
    for row in sub.itertuples():
        assert got[row.id] == pytest.approx((row.lon, row.lat), abs=1e-5)
    assert isinstance(payload["ids"], list)  # mixed prefixes fall back to a list


def test_numeric_ids_are_delta_coded():
    rows = [
        {
            "id": f"SYN-{k:06d}",
            "name_zh": f"项目{k}",
            "category": "energy",
            "subcategory": "storage",
            "lon": 112.0 + k / 1000,
            "lat": 36.0 + (k % 7) / 100,
        }
        for k in (5, 900, 31, 77777)
    ]
    payload = encode_points(make_projects(rows), Category.ENERGY)
    assert payload["ids"]["prefix"] == "SYN-"
    assert sorted(_decode_ids(payload)) == sorted(r["id"] for r in rows)


def test_details_only_below_limit(projects):
    small = encode_points(projects, Category.INDUSTRY, detail_limit=100)
    big = encode_points(projects, Category.INDUSTRY, detail_limit=2)
    assert small["detail"] is not None
    assert big["detail"] is None
    assert big["n"] == small["n"]
    assert "光伏电站" not in json.dumps(encode_points(projects, Category.ENERGY, detail_limit=0))


def test_names_only_payloads_leave_details_to_the_side_panel(projects):
    energy = projects[projects.category == "energy"]
    payload = encode_points(energy, Category.ENERGY, names_only=True)
    assert set(payload["detail"]) == {"name_zh", "name_en"}
    assert payload["detail"]["name_zh"] == energy["name_zh"].tolist()
    assert "某光伏电站项目总投资5.39亿元" not in json.dumps(payload, ensure_ascii=False)


def test_app_layers_link_their_script_and_exported_maps_inline_it(projects, counties):
    group = category_layer(projects, Category.ENERGY, linked=True)
    (layer,) = group._children.values()
    assert layer.library == ""
    ((_, url),) = layer.default_js
    assert re.fullmatch(r"/app/static/cz/projects\.js\?v=[0-9a-f]{12}", url)
    assert (VENDOR_DIR.parent / "cz" / "projects.js").is_file()
    html = build_map(projects, counties).get_root().render()
    assert "window.CzProjects = window.CzProjects ||" in html
    assert "/app/static/cz/" not in html


def test_popup_fields_and_codes(projects):
    payload = encode_points(projects[projects.category == "energy"], Category.ENERGY)
    assert payload["detail"]["invest"] == ["5.39亿元"]
    assert payload["detail"]["source"] == ["某光伏电站项目总投资5.39亿元。"]
    assert payload["codes"] == [["光伏", "精确", "建设", True]]
    en = encode_points(
        projects[projects.category == "livelihood"], Category.LIVELIHOOD, lang=Lang.EN
    )
    assert en["codes"] == [["Water", "County", "Under construction", False]]
    assert en["labels"]["company"] == "Company"


def test_format_investment():
    assert format_investment(5.39) == "5.39亿元"
    assert format_investment(12.0) == "12亿元"
    assert format_investment(0.35) == "3,500万元"
    assert format_investment(float("nan")) == ""
    assert format_investment(5.39, Lang.EN) == "CNY 539 million"


def test_popup_project_id():
    assert popup_project_id("SYN-000001\n合成项目\n类别 能源") == "SYN-000001"
    assert popup_project_id(None) is None
    assert popup_project_id("  ") is None


def test_category_layer_filters_its_category(projects):
    group = category_layer(projects, "livelihood", show=False)
    assert group.layer_name == '<span class="cz-glyph" style="color:#2b8a3e">●</span> 民生 (1)'
    assert _payload(group)["shape"] == "circle"
    assert group.show is False


def test_choropleth_classes_and_legend(counties):
    values = np.arange(1, 13, dtype=float) * 10
    edges = class_breaks(values)
    assert len(edges) == len(CHOROPLETH_COLORS) + 1
    classes = classify(values, edges)
    assert classes[0] == 0
    assert classes[-1] == len(CHOROPLETH_COLORS) - 1
    assert np.all(np.diff(classes) >= 0)
    assert np.bincount(classes).min() >= 2  # quantiles: classes of similar size
    assert class_colors(5) == list(CHOROPLETH_COLORS)
    assert classify(np.array([np.nan]), edges)[0] == -1
    assert class_breaks(np.full(12, 3.0)).tolist() == [3.0, 3.0]
    # many counties without projects: zero is a class of its own
    sparse = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 5, 9], dtype=float)
    sparse_edges = class_breaks(sparse)
    assert sparse_edges[:2].tolist() == [0.0, 0.0]
    sparse_classes = classify(sparse, sparse_edges)
    assert set(sparse_classes[:8]) == {0}
    assert set(sparse_classes[8:]).isdisjoint({0})
    assert [text for _, text in shade(sparse, metric=Metric.COUNT, lang=Lang.ZH).legend] == [
        "0",
        "1",
        "2",
        "5",
        "9",
    ]
    summary = pd.DataFrame(
        {"count_all": values, "invest_all": values / 2},
        index=counties["adcode"].tolist(),
    )
    summary.loc[summary.index[0], "count_energy"] = 4.0
    rows = shade(values, metric=Metric.COUNT, lang=Lang.ZH).legend
    assert [c for c, _ in rows] == list(CHOROPLETH_COLORS)
    assert rows[0][1] == "10 – 30"  # the range of the counties in the class
    spec = ChoroplethSpec(summary=summary, choice=ChoroplethChoice(Metric.COUNT))
    html = base_map(counties, choropleth=spec).get_root().render()
    # the county with the largest value gets the darkest colour
    top = counties["adcode"].iloc[-1]
    assert re.search(rf'"adcode":\s*"{top}",\s*"fill":\s*"{CHOROPLETH_COLORS[-1]}"', html)
    assert "项目数 · 全部类别" in html
    invest = ChoroplethSpec(
        summary=summary, choice=ChoroplethChoice(Metric.INVEST, Category.ENERGY)
    )
    with pytest.raises(KeyError, match="invest_energy"):
        base_map(counties, choropleth=invest)


def test_amap_shifts_points_and_boundaries(projects, counties):
    energy = projects[projects.category == "energy"]
    plain = _decode_xy(_payload(project_layers(energy, categories=["energy"])[0]))
    shifted = _decode_xy(_payload(project_layers(energy, categories=["energy"], gcj02=True)[0]))
    lon, lat = convert(lon=113.10, lat=36.20, src=CoordSystem.WGS84, dst=CoordSystem.GCJ02)
    assert shifted[0] == pytest.approx((lon, lat), abs=1e-5)
    offset = np.hypot(*(shifted[0] - plain[0]))
    assert 0.001 < offset < 0.02  # a few hundred metres
    wgs = build_map(projects, counties).get_root().render()
    gcj = build_map(projects, counties, basemap=Basemap.AMAP).get_root().render()
    assert "autonavi.com" in gcj
    first = shapely.get_coordinates(counties.geometry.iloc[0])[0]
    assert f"{round(first[0], 5)}" in wgs
    assert f"{round(first[0], 5)}" not in gcj


def test_basemaps():
    assert tile_layers(Basemap.NONE) == []
    assert not Basemap.NONE.needs_internet
    assert Basemap.AMAP.coord_system is CoordSystem.GCJ02
    assert Basemap.TIANDITU.coord_system is CoordSystem.WGS84
    with pytest.raises(ValueError, match="key"):
        tile_layers(Basemap.TIANDITU)
    with pytest.raises(ValueError, match="key"):
        tile_layers(Basemap.TIANDITU, tianditu_key="abc';alert(1)//")
    layers = tile_layers(Basemap.TIANDITU, tianditu_key="0123456789abcdef")
    assert len(layers) == 2
    assert "vec_w" in layers[0].tiles
    assert "cva_w" in layers[1].tiles
    assert "tk=0123456789abcdef" in layers[1].tiles
    assert basemap_label(Basemap.SATELLITE, Lang.ZH).endswith("（需联网）")
    assert basemap_label(Basemap.NONE, Lang.EN) == "None (county outlines)"
    assert Basemap.OSM.attribution


def test_layer_control_is_expanded():
    control = layer_control()
    assert control.options["collapsed"] is False


def test_empty_and_unlocated_projects(projects, counties):
    empty = build_map(projects.iloc[:0], counties).get_root().render()
    assert empty.count("window.CzProjects.layer(") == 3
    assert htmlsafe_json_dumps(layer_name(Category.ENERGY, 0)) in empty
    assert "▲</span> 能源 (0)" in layer_name(Category.ENERGY, 0)
    unlocated = projects.copy()
    unlocated.loc[unlocated.id == "P-002", "geometry"] = None
    payload = encode_points(unlocated[unlocated.category == "industry"], Category.INDUSTRY)
    # a project without a location cannot be drawn; the others keep their ids
    assert payload["n"] == 7
    assert "P-002" not in _decode_ids(payload)


def test_one_definition_of_approximate_precision(projects):
    assert [p.trusted_point for p in Precision] == [True, True, False, False]
    assert set(APPROXIMATE_PRECISIONS) == {Precision.COUNTY, Precision.CITY}
    livelihood = encode_points(projects[projects.category == "livelihood"], Category.LIVELIHOOD)
    industry = encode_points(projects[projects.category == "industry"], Category.INDUSTRY)
    # the last entry of a code row says whether the marker is drawn solid
    assert [row[1:] for row in livelihood["codes"]] == [["县区级", "建设", False]]
    assert {row[3] for row in industry["codes"]} == {True}


def test_map_settings_come_from_geodata_settings(projects, counties):
    group = category_layer(projects, "energy")
    payload = _payload(group)
    assert payload["marker_colors"] == MAP_MARKER_COLORS
    assert payload["shape"] == CATEGORY_SYMBOLS["energy"].shape == "triangle"
    html = build_map(projects, counties).get_root().render()
    assert f'"maxZoom": {MAP_MAX_ZOOM}' in html
    assert f'"minZoom": {MAP_MIN_ZOOM}' in html
    (osm,) = tile_layers(Basemap.OSM)
    assert osm.tiles == TILE_SOURCES["osm"][0].url
    assert Basemap.AMAP.attribution == TILE_ATTRIBUTIONS["amap"]
