"""Basemaps: none (offline default), OpenStreetMap, satellite, Tianditu and Amap.

Tile URLs and attributions are settings (``TILE_SOURCES``, ``TILE_ATTRIBUTIONS``
in :mod:`geodata.settings`); this module adds labels and builds Folium layers.

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
from geodata.i18n import Lang, label, t
from geodata.settings import MAP_MAX_ZOOM, TILE_ATTRIBUTIONS, TILE_SOURCES

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
    max_zoom: int = MAP_MAX_ZOOM


@dataclass(frozen=True)
class BasemapInfo:
    """What the picker and the map need to know about a basemap.

    Attributes
    ----------
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


def _info(basemap: str, coord_system: CoordSystem, *, needs_key: bool = False) -> BasemapInfo:
    """Assemble a basemap's info from its tile sources and attribution in settings."""
    tiles = tuple(TileSource(spec.url, spec.subdomains) for spec in TILE_SOURCES.get(basemap, ()))
    return BasemapInfo(
        bool(tiles),
        coord_system,
        TILE_ATTRIBUTIONS[basemap],
        tiles,
        needs_key=needs_key,
    )


BASEMAPS: dict[Basemap, BasemapInfo] = {
    Basemap.NONE: _info("none", CoordSystem.WGS84),
    Basemap.OSM: _info("osm", CoordSystem.WGS84),
    Basemap.SATELLITE: _info("satellite", CoordSystem.WGS84),
    Basemap.TIANDITU: _info("tianditu", CoordSystem.WGS84, needs_key=True),
    Basemap.AMAP: _info("amap", CoordSystem.GCJ02),
}


def basemap_label(basemap: Basemap | str, lang: Lang = Lang.ZH) -> str:
    """Return a picker label that says whether the basemap needs internet.

    Parameters
    ----------
    basemap : Basemap or str
        The basemap.
    lang : Lang
        Label language.

    Returns
    -------
    str
        E.g. ``"天地图（需联网）"`` or ``"Satellite (Esri) (needs internet)"``.
    """
    basemap = Basemap(basemap)
    text = label(basemap, lang)
    if not basemap.needs_internet:
        return text
    return t("with_note", lang, text=text, note=t("needs_internet", lang))


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
