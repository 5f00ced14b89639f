"""Self-contained interactive HTML of a Folium map: one file, no network.

The map builders reference vendored files only as
``{STATIC_URL}/vendor/<relpath>`` (see :mod:`layers._assets`). This module
renders the map, replaces each such ``<script src>`` and stylesheet
``<link>`` by the file's text read from :data:`~geodata.settings.VENDOR_DIR`,
turns images referenced by the inlined CSS into ``data:`` URIs, points
Leaflet's default marker icons at inlined images, and refuses the result if
any script or stylesheet would still be fetched from the network.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from pathlib import Path

import folium
import geopandas as gpd

from geodata.i18n import Lang
from geodata.join import county_summary
from geodata.settings import STATIC_URL, VENDOR_DIR
from layers._assets import html_literal
from layers.counties import ChoroplethSpec
from layers.map import build_map
from layers.shading import ChoroplethChoice


class ExternalResourceError(ValueError):
    """The HTML would load a script or stylesheet from the network."""


_VENDOR_PREFIX = f"{STATIC_URL}/vendor/"
_SCRIPT_SRC = re.compile(
    r"<script\b[^>]*?\bsrc\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*>\s*</script>", re.IGNORECASE
)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref\s*=\s*([\"'])(?P<url>[^\"']+)\1", re.IGNORECASE)
_STYLESHEET = re.compile(r"\brel\s*=\s*([\"'])stylesheet\1", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*([\"']?)(?P<url>[^)\"']+)\1\s*\)")
_REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_LEAFLET_JS = "leaflet/leaflet.js"
_ICON_FILES = {
    "iconUrl": "leaflet/images/marker-icon.png",
    "iconRetinaUrl": "leaflet/images/marker-icon-2x.png",
    "shadowUrl": "leaflet/images/marker-shadow.png",
}


def _vendor_file(url: str, vendor_dir: Path) -> Path | None:
    """Map a vendored URL to its file, or ``None`` when it is not one of ours."""
    if not url.startswith(_VENDOR_PREFIX):
        return None
    relpath = posixpath.normpath(url[len(_VENDOR_PREFIX) :].split("?")[0].split("#")[0])
    if relpath.startswith(("..", "/")):
        raise ExternalResourceError(f"vendored URL leaves the vendor folder: {url}")
    path = vendor_dir / relpath
    if not path.is_file():
        raise FileNotFoundError(f"{url} is not vendored: {path} is missing")
    return path


def data_uri(path: Path) -> str:
    """Return a file as a base64 ``data:`` URI.

    Parameters
    ----------
    path : Path
        An image or font file.

    Returns
    -------
    str
        ``data:<mime>;base64,...``.
    """
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(css: str, css_path: Path, vendor_dir: Path) -> str:
    """Replace relative ``url(...)`` references of a stylesheet by data URIs."""

    def replace(match: re.Match[str]) -> str:
        url = match.group("url").strip()
        if url.startswith(("data:", "#")):
            return match.group(0)
        if _REMOTE.match(url):
            raise ExternalResourceError(f"{css_path.name} loads {url} from the network")
        target = (css_path.parent / url.split("?")[0].split("#")[0]).resolve()
        if vendor_dir.resolve() not in target.parents or not target.is_file():
            raise FileNotFoundError(f"{css_path.name}: {url} is not a vendored file")
        return f'url("{data_uri(target)}")'

    return _CSS_URL.sub(replace, css)


def _safe_script(text: str) -> str:
    """Escape closing script tags inside inlined JavaScript."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _icon_script(vendor_dir: Path) -> str:
    """Script pointing Leaflet's default marker icons at inlined images."""
    options = ", ".join(
        f'{key}: "{data_uri(vendor_dir / rel)}"' for key, rel in _ICON_FILES.items()
    )
    return (
        "<script>if (window.L && L.Icon && L.Icon.Default) {"
        f'L.Icon.Default.imagePath = ""; L.Icon.Default.mergeOptions({{{options}}});'
        "}</script>"
    )


def inline_assets(html: str, *, vendor_dir: Path = VENDOR_DIR) -> str:
    """Inline every vendored script and stylesheet of an HTML page.

    Parameters
    ----------
    html : str
        A rendered page referencing ``{STATIC_URL}/vendor/...`` files.
    vendor_dir : Path
        Folder holding the vendored files.

    Returns
    -------
    str
        The page with ``<script>`` / ``<style>`` blocks in place of the links.

    Raises
    ------
    ExternalResourceError
        If a script or stylesheet would still be fetched from the network.
    FileNotFoundError
        If a referenced vendored file is missing.
    """

    def script(match: re.Match[str]) -> str:
        url = match.group("url")
        path = _vendor_file(url, vendor_dir)
        if path is None:
            return match.group(0)
        out = f"<script>{_safe_script(path.read_text(encoding='utf-8'))}</script>"
        if url[len(_VENDOR_PREFIX) :] == _LEAFLET_JS:
            out += _icon_script(vendor_dir)
        return out

    def link(match: re.Match[str]) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None or not _STYLESHEET.search(tag):
            return tag
        path = _vendor_file(href.group("url"), vendor_dir)
        if path is None:
            return tag
        css = _inline_css(path.read_text(encoding="utf-8"), path, vendor_dir)
        css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
        return f"<style>{css}</style>"

    html = _SCRIPT_SRC.sub(script, html)
    html = _LINK_TAG.sub(link, html)
    check_offline(html)
    return html


def check_offline(html: str) -> None:
    """Raise if a page still loads a script or stylesheet by URL.

    Parameters
    ----------
    html : str
        A page after :func:`inline_assets`.

    Raises
    ------
    ExternalResourceError
        Naming the first remote (``http(s)://`` or ``//``) or unresolved
        script/stylesheet URL.
    """
    for match in _SCRIPT_SRC.finditer(html):
        raise ExternalResourceError(f"script would be fetched: {match.group('url')}")
    for match in _LINK_TAG.finditer(html):
        href = _HREF.search(match.group(0))
        if href is not None and _STYLESHEET.search(match.group(0)):
            raise ExternalResourceError(f"stylesheet would be fetched: {href.group('url')}")
    remote = re.search(
        r"<(?:img|iframe|source)\b[^>]*\bsrc\s*=\s*[\"']((?:https?:)?//[^\"']+)", html
    )
    if remote is not None:
        raise ExternalResourceError(f"resource would be fetched: {remote.group(1)}")


def self_contained_html(m: folium.Map, *, vendor_dir: Path = VENDOR_DIR) -> str:
    """Render a Folium map as one offline HTML file.

    Parameters
    ----------
    m : folium.Map
        A map whose scripts and stylesheets are vendored files (its tile
        layers, if any, must be local too).
    vendor_dir : Path
        Folder holding the vendored files.

    Returns
    -------
    str
        Complete HTML that opens from disk with no network.

    Raises
    ------
    ExternalResourceError
        If a script or stylesheet is not vendored.
    """
    return inline_assets(m.get_root().render(), vendor_dir=vendor_dir)


def map_html(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    title: str,
    choropleth: ChoroplethChoice | None = None,
    lang: Lang = Lang.ZH,
) -> bytes:
    """Build the interactive map of a selection as one offline HTML file.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        The selected projects (EPSG:4326).
    counties : geopandas.GeoDataFrame
        The county polygons (EPSG:4326).
    title : str
        Page title (escaped with :func:`~layers._assets.html_literal`: branca writes it
        into ``<title>`` as is).
    choropleth : ChoroplethChoice, optional
        County shading of the selection, as in the app.
    lang : Lang
        Label language.

    Returns
    -------
    bytes
        UTF-8 HTML with no tiles: counties, choropleth, projects, legends.
    """
    spec = None
    if choropleth is not None:
        spec = ChoroplethSpec(summary=county_summary(projects, counties), choice=choropleth)
    m = build_map(projects, counties, lang=lang, choropleth=spec)
    m.get_root().title = html_literal(title)
    return self_contained_html(m).encode("utf-8")
