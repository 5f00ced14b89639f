"""Basemaps: none (offline default), OpenStreetMap, satellite, Tianditu and Amap.

Only :attr:`Basemap.NONE` works without internet; the picker shows which
need it. Amap tiles are in GCJ-02, so points and boundaries are shifted from
WGS-84 when drawn on them (:attr:`Basemap.coord_system`). Tianditu needs a
key, which the app reads from ``st.secrets`` or the environment and passes in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import folium

from geodata.coords import CoordSystem
from layers.i18n import Lang, t

_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/%(layer)s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=%(layer)s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%(key)s"
)
_KEY_PATTERN = re.compile(r"^[0-9A-Za-z]{8,64}$")


@dataclass(frozen=True)
class TileSource:
    """One tile layer of a basemap.

    Attributes
    ----------
    url : str
        Leaflet URL template (``%(key)s`` is replaced by the Tianditu key).
    subdomains : str
        Characters substituted for ``{s}``.
    max_zoom : int
        Deepest zoom the source serves.
    """

    url: str
    subdomains: str = "abc"
    max_zoom: int = 18


@dataclass(frozen=True)
class BasemapInfo:
    """What the picker and the map need to know about a basemap.

    Attributes
    ----------
    label_key : str
        Key of its label in ``layers.i18n.LABELS``.
    needs_internet : bool
        Whether tiles come from the internet.
    coord_system : CoordSystem
        Coordinate system of the tiles.
    attribution : str
        Attribution shown on the map (plain text).
    tiles : tuple of TileSource
        Tile layers, bottom first.
    needs_key : bool
        Whether a Tianditu key is required.
    """

    label_key: str
    needs_internet: bool
    coord_system: CoordSystem
    attribution: str
    tiles: tuple[TileSource, ...] = ()
    needs_key: bool = False


class Basemap(StrEnum):
    """A basemap the planner can pick."""

    NONE = "none"
    OSM = "osm"
    SATELLITE = "satellite"
    TIANDITU = "tianditu"
    AMAP = "amap"

    @property
    def info(self) -> BasemapInfo:
        """Its :class:`BasemapInfo`."""
        return BASEMAPS[self]

    @property
    def zh(self) -> str:
        """Chinese label."""
        return t(self.info.label_key, Lang.ZH)

    @property
    def en(self) -> str:
        """English label."""
        return t(self.info.label_key, Lang.EN)

    @property
    def needs_internet(self) -> bool:
        """Whether tiles come from the internet."""
        return self.info.needs_internet

    @property
    def coord_system(self) -> CoordSystem:
        """Coordinate system of the tiles."""
        return self.info.coord_system

    @property
    def attribution(self) -> str:
        """Attribution text."""
        return self.info.attribution


BASEMAPS: dict[Basemap, BasemapInfo] = {
    Basemap.NONE: BasemapInfo("basemap_none", False, CoordSystem.WGS84, ""),
    Basemap.OSM: BasemapInfo(
        "basemap_osm",
        True,
        CoordSystem.WGS84,
        "© OpenStreetMap contributors",
        (TileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ""),),
    ),
    Basemap.SATELLITE: BasemapInfo(
        "basemap_satellite",
        True,
        CoordSystem.WGS84,
        "Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
        (
            TileSource(
                "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer"
                "/tile/{z}/{y}/{x}",
                "",
            ),
        ),
    ),
    Basemap.TIANDITU: BasemapInfo(
        "basemap_tianditu",
        True,
        CoordSystem.WGS84,
        "© 天地图 国家地理信息公共服务平台",
        (
            TileSource(_TIANDITU % {"layer": "vec", "key": "%(key)s"}, "01234567"),
            TileSource(_TIANDITU % {"layer": "cva", "key": "%(key)s"}, "01234567"),
        ),
        needs_key=True,
    ),
    Basemap.AMAP: BasemapInfo(
        "basemap_amap",
        True,
        CoordSystem.GCJ02,
        "© 高德地图 AutoNavi",
        (
            TileSource(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
                "&style=8&x={x}&y={y}&z={z}",
                "1234",
            ),
        ),
    ),
}


def basemap_label(basemap: Basemap | str, lang: Lang | str = Lang.ZH) -> str:
    """Return a picker label that says whether the basemap needs internet.

    Parameters
    ----------
    basemap : Basemap or str
        The basemap.
    lang : Lang or str
        Label language.

    Returns
    -------
    str
        E.g. ``"天地图（需联网）"`` or ``"Satellite (Esri) (needs internet)"``.
    """
    basemap, lang = Basemap(basemap), Lang(lang)
    label = t(basemap.info.label_key, lang)
    if not basemap.needs_internet:
        return label
    note = t("needs_internet", lang)
    return f"{label}（{note}）" if lang is Lang.ZH else f"{label} ({note})"


def tile_layers(
    basemap: Basemap | str, *, tianditu_key: str | None = None
) -> list[folium.TileLayer]:
    """Build the tile layers of a basemap (none for :attr:`Basemap.NONE`).

    Parameters
    ----------
    basemap : Basemap or str
        The basemap.
    tianditu_key : str, optional
        Tianditu API key (letters and digits), required for Tianditu.

    Returns
    -------
    list of folium.TileLayer
        Bottom first; not listed in the layer control.

    Raises
    ------
    ValueError
        If Tianditu is chosen without a well-formed key.
    """
    info = Basemap(basemap).info
    key = ""
    if info.needs_key:
        if not tianditu_key or not _KEY_PATTERN.match(tianditu_key):
            raise ValueError("Tianditu needs a key (letters and digits): set TIANDITU_KEY")
        key = tianditu_key
    layers = []
    for i, source in enumerate(info.tiles):
        options = {"subdomains": source.subdomains} if source.subdomains else {}
        layers.append(
            folium.TileLayer(
                tiles=source.url % {"key": key} if info.needs_key else source.url,
                attr=info.attribution,
                name=f"{basemap}-{i}",
                max_zoom=source.max_zoom,
                overlay=i > 0,
                control=False,
                **options,
            )
        )
    return layers
