"""The map component's arguments, rendered once per view and shared by every session.

``st_folium`` renders its folium map to script text on every rerun. The
planners' map depends only on the store version, the filter, the basemap,
the county shading and the language, so :func:`frame` renders those strings
once per view (``st.cache_resource`` keyed on scalars and the frozen filter)
and :func:`show` hands them to streamlit-folium's component as ``st_folium``
would (same frontend, same arguments, same key scheme), so the frame in the
browser, its drawing and its click values are unchanged. The frontend is
streamlit-folium's own build, served from the app's static folder
(:func:`component`), where browsers keep it between page loads. One argument differs
on purpose: the component's ``default`` value carries :data:`UNREPORTED`, so a
new frame's first report (sent once its map script has run) differs from it
and reaches the server; that report tells the page the map has drawn
(:func:`app.state.mark_map_reported`), and the page then sends what it held
back (see :func:`app.map_page.map_page`). That first report leaves the frame only
once the map has painted (:data:`REPORT_AFTER_PAINT`, run before the map's
script), so the rest of the page does not delay the map's first picture.

The rendering steps are streamlit-folium's own helpers (``_get_html``,
``_get_header``, ``_get_map_string``, ``_get_feature_group_string``,
``_get_layer_control_string``, ``generate_js_hash``); they are private, so a
streamlit-folium upgrade must be checked against :func:`render` (the browser
tests do).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import folium.elements
import streamlit as st
import streamlit.components.v1 as components
import streamlit_folium as sf

from app import config, data, progress_data, progress_map, state
from app._frontend import mirror_build
from geodata.coords import CoordSystem
from geodata.filters import ProjectFilter
from geodata.i18n import Lang
from geodata.progress import Period
from geodata.settings import FRONTEND_MIRROR_DIR, FRONTEND_MIRROR_URL, MAP_CACHE_ENTRIES
from layers.basemaps import Basemap
from layers.counties import ChoroplethSpec
from layers.map import base_map, layer_control
from layers.projects import project_layers
from layers.shading import ChoroplethChoice

_LOG = logging.getLogger(__name__)

# the map component's name; Streamlit prefixes the module: app.map_frame.st_folium
COMPONENT_NAME = "st_folium"

# the component's values in st_folium's order (the frame compares its reports as text)
_VALUE_KEYS = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)


# in the component's default value only: the frame's first report never has it
UNREPORTED = "cz_unreported"

# run before the frame's first report: that report brings the rest of the page, whose
# drawing shares the browser's one thread with the map's, so it waits until the map
# has painted (the next animation frame, which also draws the points' canvas)
REPORT_AFTER_PAINT = """
(function () {
    var S = window.Streamlit;
    if (!S || S.czAfterPaint) return;
    S.czAfterPaint = true;
    var send = S.setComponentValue.bind(S), held = true, waiting = [];
    S.setComponentValue = function (value) {
        if (!held) return send(value);
        waiting.push(value);
    };
    requestAnimationFrame(function () {
        setTimeout(function () {
            held = false;
            waiting.splice(0).forEach(send);
        }, 0);
    });
})();
"""


@dataclass(frozen=True)
class MapFrame:
    """What the map component receives: the rendered map, its layers and its links."""

    script: str
    header: str
    html: str
    map_id: str
    feature_group: str
    layer_control: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def _elements(element: Any) -> Iterator[Any]:
    """Walk a folium element and its children (depth first)."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the stylesheets and scripts the map's elements load, without repeats."""
    css: list[str] = []
    js: list[str] = []
    for element in _elements(m):
        if isinstance(element, folium.elements.JSCSSMixin):
            css += [href for _, href in element.default_css]
            js += [src for _, src in element.default_js]
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def render(
    m: folium.Map, groups: Sequence[folium.FeatureGroup], control: folium.LayerControl
) -> MapFrame:
    """Render a map, its toggleable layers and its layer control as ``st_folium`` does."""
    m.get_root().render()
    m.render()
    # html and header first: the map string alters the folium structure
    html, header = sf._get_html(m), sf._get_header(m)
    script = REPORT_AFTER_PAINT + sf._get_map_string(m)
    map_id = sf.get_full_id(m)
    layers = "".join(
        sf._get_feature_group_string(group, map=m, idx=i) for i, group in enumerate(groups)
    )
    control_js = sf._get_layer_control_string(control, m)
    css, js = _links(m)
    return MapFrame(script, header, html, map_id, layers, control_js, css, js)


@st.cache_resource(show_spinner=False, max_entries=MAP_CACHE_ENTRIES)
def _frame(
    url: str, version: int, flt: ProjectFilter, basemap: str, choro: str, lang: str, period: str
) -> MapFrame:
    """Build and render the map of one view (immutable, shared by every session).

    With a ``period`` the map shows progress at that month (points by lag status,
    counties by completion rate); without, projects by category and the chosen
    county shading.
    """
    selection = data.selected(url, version, flt)
    choice = None if period else ChoroplethChoice.from_param(choro)
    spec = None
    if choice is not None:
        spec = ChoroplethSpec(summary=data.summary(url, version, flt), choice=choice)
    shown = Basemap(basemap)
    m = base_map(
        data.counties(),
        basemap=shown,
        choropleth=spec,
        lang=Lang(lang),
        tianditu_key=config.tianditu_key(),
        legend=not period,
    )
    gcj02 = shown.coord_system is CoordSystem.GCJ02
    if period:
        pv = progress_data.view(flt, Period.read(period))
        groups = progress_map.progress_parts(m, selection, pv, lang=Lang(lang), gcj02=gcj02)
        return render(m, groups, layer_control())
    # the layer script is linked (the browser loads it once, not with every rerun);
    # only names travel with the points, the side panel shows a clicked project's details
    groups = project_layers(selection, lang=Lang(lang), gcj02=gcj02, linked=True, names_only=True)
    return render(m, groups, layer_control())


def frame(
    flt: ProjectFilter, basemap: Basemap, choro: str, lang: Lang, *, period: str = ""
) -> MapFrame:
    """Return the rendered map of the current view (by progress at ``period`` when given).

    Raises
    ------
    ValueError
        When this installation cannot draw the basemap (nothing is cached).
    """
    data.current_projects()
    url, version = data.store().url, state.version()
    return _frame(url, version, flt, Basemap(basemap).value, choro, Lang(lang).value, period)


@st.cache_resource(show_spinner=False)
def component() -> Callable[..., Any]:
    """Return the map component: streamlit-folium's frontend, served as static files.

    Once per process the installed package's build is copied to
    ``FRONTEND_MIRROR_DIR`` (:func:`app._frontend.mirror_build`) and a
    component is declared at its URL: browsers then keep its scripts between
    page loads, where Streamlit's component route makes them fetch them again
    every time. When the copy cannot be written (a read-only installation),
    streamlit-folium's own component serves the map, as ``st_folium`` would.
    """
    try:
        version = mirror_build(Path(sf._component_func.path), FRONTEND_MIRROR_DIR)
    except OSError as exc:
        _LOG.warning(
            "map frontend served by its package (no copy in %s: %s)", FRONTEND_MIRROR_DIR, exc
        )
        return sf._component_func
    url = f"{FRONTEND_MIRROR_URL}/index.html?v={version}"
    return components.declare_component(COMPONENT_NAME, url=url)


def show(
    shown: MapFrame,
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> None:
    """Show a rendered map in streamlit-folium's component.

    The arguments are those ``st_folium(..., use_container_width=True)`` sends.
    What the map reports reaches the session under ``key`` (its change
    handler), before the run it starts: the page reads a click from there
    ahead of drawing the map.
    """
    component_key = sf.generate_js_hash(shown.script, key, False)
    component()(
        script=shown.script,
        header=shown.header,
        html=shown.html,
        id=shown.map_id,
        key=component_key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default={k: None for k in _VALUE_KEYS if k in returned_objects} | {UNREPORTED: True},
        zoom=zoom,
        center=center,
        feature_group=shown.feature_group,
        return_on_hover=False,
        layer_control=shown.layer_control,
        pixelated=False,
        css_links=list(shown.css_links),
        js_links=list(shown.js_links),
        on_change=_copy_value(key, component_key),
        wrap_longitude=False,
    )


def _copy_value(key: str, component_key: str) -> Callable[[], None]:
    """Return the change handler: the value also under ``key``; the map has drawn."""

    def copy() -> None:
        st.session_state[key] = st.session_state.get(component_key, {})
        state.mark_map_reported()

    return copy
