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
FRONTEND_MIRROR_DIR : Path
    The app's copy of streamlit-folium's frontend build, made on start from
    the installed package (not in git), so browsers keep it between page loads.
FRONTEND_MIRROR_URL : str
    URL under which the app serves ``FRONTEND_MIRROR_DIR``.
DEFAULT_STORE_PATH : Path
    The embedded default store (GeoPackage, ``var/changzhi.gpkg``); the only
    store created on first start. Another store is chosen with
    ``CHANGZHI_STORE`` (read by :func:`runtime`).
STORE_BUSY_TIMEOUT_S : float
    Seconds a store write waits for another writer before giving up as busy.
WGS84 : str
    Storage CRS of every geometry (EPSG:4326).
AREA_CRS : str
    Equal-area CRS for measuring areas (Albers, standard parallels over Changzhi).
METRIC_CRS : str
    Projected CRS for distances and scale bars (UTM zone 49N).
CITY_NAME_ZH : str
    长治市, the city's name.
CITY_AREA_KM2 : float
    Official land area of the city, used to check the boundaries.
CITY_BBOX : tuple[float, float, float, float]
    (min lon, min lat, max lon, max lat) around the city, WGS-84, with margin.
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
MAX_IMPORT_ROWS, MAX_IMPORT_COLUMNS, MAX_IMPORT_CELLS : int
    Most data rows, columns and cells (rows times columns) one imported file
    may hold; checked while reading, before any table is built.
IMPORT_HEADER_SEARCH_ROWS : int
    How many leading rows of an imported sheet may hold a title above the header.
MAX_XLSX_UNCOMPRESSED_BYTES, MAX_XLSX_RATIO, MAX_XLSX_MEMBERS : int, float, int
    What an uploaded XLSX may unpack to (read from the zip directory before parsing).
IMPLAUSIBLE_INVESTMENT_YI : float
    An imported investment above this many 亿元 is warned as implausible for one project.
BARE_AMOUNT_YUAN_ABOVE : float
    A bare imported amount (no unit) above this is warned as probably written in 元.
NO_DATA_COLOR : str
    Fill of a county with no value in a choropleth (e.g. no stated investment).
IMPORT_STATUS_COLORS : dict[str, str]
    Import preview colour of each row status that can have a point.
REVIEW_POINT_COLORS : dict[str, str]
    Review map colours of a project's current point and the newly picked one.
PREVIEW_POINT_LIMIT : int
    Most points drawn per status on the import preview map.
PREVIEW_ROW_LIMIT : int
    Most rows of a plan or progress import shown in its preview table.
DETAIL_POINT_LIMIT : int
    Above this many projects the map sends compact points without inline details.
TABLE_PAGE_ROWS : int
    Rows of the app's project table per page (only that page is sent to the browser).
SELECTION_CACHE_ENTRIES, SUMMARY_CACHE_ENTRIES, MAP_CACHE_ENTRIES : int
    Filtered selections, their county summaries and rendered maps the app
    keeps per process (shared by all sessions; the least recent go first).
CJK_FONT_FAMILIES : tuple[str, ...]
    Font families tried, in order, for Chinese text in print exports
    (Debian ``fonts-noto-cjk``); the first one matplotlib finds is used.
PRINT_DPI_CHOICES : tuple[int, ...]
    Raster resolutions offered for PNG exports.
PRINT_DPI_RANGE : tuple[int, int]
    Accepted raster resolutions of every export (inclusive).
PRINT_DPI_DEFAULT : int
    Resolution of an export that names none.
PAPER_SIZES_MM : dict[str, tuple[float, float]]
    Portrait (width, height) in millimetres of each paper size offered.
EXPORT_CACHE_BYTES : int
    Byte budget of the server-wide cache of finished exports (least
    recently used first out).
EXPORT_MAX_CONCURRENT : int
    Most heavy exports (print maps, atlases) rendering at once, server-wide;
    one more is refused with a "busy, please retry" message.
EXPORT_SESSION_LIMIT : int
    Most heavy exports one session may start within ``EXPORT_SESSION_WINDOW_S``.
EXPORT_SESSION_WINDOW_S : float
    Length of that window in seconds.
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
SCRYPT_N, SCRYPT_R, SCRYPT_P : int
    scrypt cost of new staff password hashes (2**17, 8, 1: 128 MiB and a few
    tenths of a second per check); hashes of a lower cost still verify and are
    flagged for re-hashing.
SCRYPT_MAX_N : int
    Highest scrypt ``n`` a stored hash may name (a hash asking for more is
    refused rather than allowed to take the server's memory).
SIGNIN_FREE_FAILURES : int
    Failed sign-ins per account, and per client, before a lock-out starts.
SIGNIN_LOCKOUT_SECONDS, SIGNIN_MAX_LOCKOUT_SECONDS : float
    First lock-out after ``SIGNIN_FREE_FAILURES`` failures; each further
    failure doubles it, up to the maximum.
SIGNIN_FORGET_SECONDS : float
    Failures older than this (counted from the last one) are forgotten.
SIGNIN_TRACKED_KEYS : int
    Most accounts and clients the limiter remembers (oldest forgotten first).
SIGNIN_CONCURRENT_CHECKS : int
    Most password checks (each takes 128 MiB) running at once in the server.
STAFF_IDLE_MINUTES : int
    A staff session with no activity for this long is signed out.

LAG_ON_TRACK_POINTS, LAG_SEVERE_POINTS : float
    Thresholds of the 序时进度 lag rule, in percentage points below the time
    share (m/12): up to ``LAG_ON_TRACK_POINTS`` (10) below is 正常 on track,
    more and up to ``LAG_SEVERE_POINTS`` (25) is 滞后 lagging, more is 严重滞后.
LAG_STATUS_COLORS : dict[str, str]
    Colour of each lag status (``geodata.progress.LagStatus`` keys) on maps,
    charts and the supervision list.
LAG_STATUS_RANK : dict[str, int]
    How bad each lag status is on the progress map: a cluster of projects
    shows the colour of its highest-ranked status (严重滞后 5, 滞后 4,
    未报送 3, 正常 2, 超序时 1, 无计划 0).
PROGRESS_SHADING_COLORS : dict[str, str]
    County fill of the progress map by completion rate against the time
    share: ``ahead``, ``behind_10`` (0–10 points behind), ``behind_25``
    (10–25), ``behind_more`` (over 25) and ``no_plan``.
CHANGE_COLORS : dict[str, str]
    Colour of each kind of change (``geodata.progress.Change`` keys) on the
    map comparing two months.
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
MAJOR_PROJECT_MIN_YI : float
    Total investment (亿元) from which a project is one of the report's major
    projects (``major_10yi`` = ``yes``; the report's 180 投资10亿元以上的重大项目).
DEMO_STORE_PATH : Path
    Where ``make demo`` builds the clearly labelled synthetic store (``var/demo.gpkg``).

Settings read from the environment, once, at start-up (:func:`runtime`):

``CHANGZHI_STORE``
    URL or path of the project store: a ``.gpkg`` path or ``gpkg:/path``
    (GeoPackage) or ``postgresql://user@host:port/db`` (PostGIS); default
    :data:`DEFAULT_STORE_PATH`.
``TIANDITU_KEY``
    Key of the Tianditu basemap (optional; ``st.secrets`` may give it too).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
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
FRONTEND_MIRROR_DIR: Final[Path] = STATIC_DIR / "mirror" / "streamlit_folium"
FRONTEND_MIRROR_URL: Final[str] = f"{STATIC_URL}/mirror/streamlit_folium"
DEFAULT_STORE_PATH: Final[Path] = ROOT_DIR / "var" / "changzhi.gpkg"
STORE_BUSY_TIMEOUT_S: Final[float] = 5.0

WGS84: Final[str] = "EPSG:4326"
AREA_CRS: Final[str] = (
    "+proj=aea +lat_0=36 +lon_0=112.9 +lat_1=35.5 +lat_2=37 "
    "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
METRIC_CRS: Final[str] = "EPSG:32649"

CITY_NAME_ZH: Final[str] = "长治市"
CITY_AREA_KM2: Final[float] = 13955.0
CITY_BBOX: Final[tuple[float, float, float, float]] = (111.9, 35.6, 113.9, 37.2)

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
MAX_IMPORT_ROWS: Final[int] = 200_000
MAX_IMPORT_COLUMNS: Final[int] = 200
MAX_IMPORT_CELLS: Final[int] = 2_000_000
IMPORT_HEADER_SEARCH_ROWS: Final[int] = 10
MAX_XLSX_UNCOMPRESSED_BYTES: Final[int] = 200 * 1024 * 1024
MAX_XLSX_RATIO: Final[float] = 100.0
MAX_XLSX_MEMBERS: Final[int] = 2_000
IMPLAUSIBLE_INVESTMENT_YI: Final[float] = 1000.0
BARE_AMOUNT_YUAN_ABOVE: Final[float] = 1_000_000.0
DETAIL_POINT_LIMIT: Final[int] = 3000
TABLE_PAGE_ROWS: Final[int] = 50
SELECTION_CACHE_ENTRIES: Final[int] = 8
SUMMARY_CACHE_ENTRIES: Final[int] = 64
MAP_CACHE_ENTRIES: Final[int] = 16
NO_DATA_COLOR: Final[str] = "#ced4da"
IMPORT_STATUS_COLORS: Final[dict[str, str]] = {
    "accepted": "#2b8a3e",
    "accepted_with_warnings": "#f08c00",
    "needs_review": "#c92a2a",
}
REVIEW_POINT_COLORS: Final[dict[str, str]] = {"current": "#868e96", "picked": "#c92a2a"}
PREVIEW_POINT_LIMIT: Final[int] = 3000
PREVIEW_ROW_LIMIT: Final[int] = 1000

CJK_FONT_FAMILIES: Final[tuple[str, ...]] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
)
PRINT_DPI_CHOICES: Final[tuple[int, ...]] = (150, 300)
PRINT_DPI_RANGE: Final[tuple[int, int]] = (50, 1200)
PRINT_DPI_DEFAULT: Final[int] = 150
PAPER_SIZES_MM: Final[dict[str, tuple[float, float]]] = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
}
EXPORT_CACHE_BYTES: Final[int] = 256 * 1024 * 1024
EXPORT_MAX_CONCURRENT: Final[int] = 2
EXPORT_SESSION_LIMIT: Final[int] = 10
EXPORT_SESSION_WINDOW_S: Final[float] = 600.0
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

SCRYPT_N: Final[int] = 2**17
SCRYPT_R: Final[int] = 8
SCRYPT_P: Final[int] = 1
SCRYPT_MAX_N: Final[int] = 2**18
SIGNIN_FREE_FAILURES: Final[int] = 5
SIGNIN_LOCKOUT_SECONDS: Final[float] = 30.0
SIGNIN_MAX_LOCKOUT_SECONDS: Final[float] = 15 * 60.0
SIGNIN_FORGET_SECONDS: Final[float] = 24 * 3600.0
SIGNIN_TRACKED_KEYS: Final[int] = 10_000
SIGNIN_CONCURRENT_CHECKS: Final[int] = 2
STAFF_IDLE_MINUTES: Final[int] = 30

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
LAG_STATUS_RANK: Final[dict[str, int]] = {
    "severely_lagging": 5,
    "lagging": 4,
    "not_reported": 3,
    "on_track": 2,
    "ahead": 1,
    "no_plan": 0,
}
PROGRESS_SHADING_COLORS: Final[dict[str, str]] = {
    "ahead": "#d3f9d8",
    "behind_10": "#e9fac8",
    "behind_25": "#ffe8cc",
    "behind_more": "#ffc9c9",
    "no_plan": "#f1f3f5",
}
CHANGE_COLORS: Final[dict[str, str]] = {
    "new": "#1c7ed6",
    "removed": "#868e96",
    "started": "#37b24d",
    "completed": "#2b8a3e",
    "stage_moved": "#7048e8",
    "lag_worsened": "#c92a2a",
    "lag_improved": "#74b816",
    "investment_added": "#f59f00",
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
MAJOR_PROJECT_MIN_YI: Final[float] = 10.0
DEMO_STORE_PATH: Final[Path] = ROOT_DIR / "var" / "demo.gpkg"


@dataclass(frozen=True, slots=True)
class Runtime:
    """Settings of one run of the app or a command line, read from the environment.

    Attributes
    ----------
    store_url : str
        The project store (``CHANGZHI_STORE``, default :data:`DEFAULT_STORE_PATH`).
    store_is_default : bool
        Whether it is the embedded default, the one store created when missing.
    tianditu_key : str or None
        ``TIANDITU_KEY`` (``None`` when unset or empty).
    """

    store_url: str
    store_is_default: bool
    tianditu_key: str | None


@functools.cache
def runtime() -> Runtime:
    """Read the environment once and return the run's settings.

    Returns
    -------
    Runtime
        The same object on every call (``runtime.cache_clear()`` re-reads,
        for tests that change the environment).
    """
    given = os.environ.get("CHANGZHI_STORE", "").strip()
    default = str(DEFAULT_STORE_PATH)
    is_default = not given or _same_file(given, DEFAULT_STORE_PATH)
    key = os.environ.get("TIANDITU_KEY", "").strip() or None
    return Runtime(store_url=given or default, store_is_default=is_default, tianditu_key=key)


def _same_file(given: str, path: Path) -> bool:
    """Return whether a store path or ``gpkg:`` URL names ``path``."""
    if "://" in given:
        return False
    text = given.removeprefix("gpkg:")
    return Path(text).expanduser().resolve() == path.resolve()
