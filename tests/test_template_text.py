"""Template code in user text is shown as typed, never evaluated by Jinja2.

folium and branca render maps with Jinja2, and branca compiles each
element's rendered output as a template and renders it again with the page.
A project named ``项目{{ 7*7 }}`` once showed as ``项目49`` in the HTML
export and ``{{ this.__class__.__mro__ }}`` listed Python classes (server
side template injection from an imported spreadsheet); a lone ``{%`` failed
the map. These tests put such names through every map the app and the
exports render and read them back decoded.
"""

from __future__ import annotations

import html
import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from conftest import HOSTILE_NAMES, HOSTILE_SPOTS, hostile_register
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from app.map_frame import render as render_frame
from geodata.boundaries import load_counties
from geodata.ingest import RowStatus
from geodata.join import assign_counties
from geodata.progress import LagStatus
from layers._assets import VerbatimElement, script_json
from layers.export.pipeline import ExportCache, export_data, render
from layers.export.request import ExportRequest
from layers.map import base_map, layer_control
from layers.progress import progress_layers
from layers.projects import project_layers
from layers.review import status_map

TEMPLATES = tuple(n for n in HOSTILE_NAMES if "{" in n)
TEMPLATE_IDS = [f"template-{k}" for k in range(len(TEMPLATES))]
# what the template names would have turned into
EVALUATED = ("项目49", "<class", "\\u003cclass", "&lt;class")
_LAYER_CALL = "window.CzProjects.layer("


def _payloads(text: str) -> list[dict]:
    """Decode every project layer's payload written into a rendered map."""
    decoder = json.JSONDecoder()
    out = []
    for match in re.finditer(re.escape(_LAYER_CALL), text):
        payload, _ = decoder.raw_decode(text, match.end())
        out.append(payload)
    assert out, "no project layer found"
    return out


def _names(text: str) -> list[str]:
    """The project names of every layer payload, decoded."""
    return [n for p in _payloads(text) if p["detail"] for n in p["detail"]["name_zh"]]


def _assert_inert(text: str) -> None:
    """Nothing was evaluated, and no template tag is left open for a later pass."""
    for evaluated in EVALUATED:
        assert evaluated not in text, evaluated
    for tag in ("{{", "{%", "{#"):
        assert tag not in text, tag


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_counties()


@pytest.fixture(scope="module")
def projects(counties) -> gpd.GeoDataFrame:
    return assign_counties(hostile_register(), counties)


@pytest.mark.parametrize("text", TEMPLATES, ids=TEMPLATE_IDS)
def test_script_json_leaves_no_template_tag_and_decodes_unchanged(text):
    value = {"a": {"b": [text, {"c": text}]}, text: text, "d": "\\" + text}
    encoded = script_json(value)
    assert json.loads(encoded) == value
    for tag in ("{{", "{%", "{#"):
        assert tag not in encoded


class _Raw(VerbatimElement):
    """An element writing a text into the script as is (no script_json)."""

    _template = Template(
        "{% macro script(this, kwargs) %}var raw = `{{ this.text }}`;{% endmacro %}"
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


@pytest.mark.parametrize("text", TEMPLATES, ids=TEMPLATE_IDS)
def test_verbatim_elements_are_not_rendered_twice(counties, text):
    m = base_map(counties)
    m.add_child(_Raw(text))
    # the layer control writes layer names with folium's tojson, braces and all
    folium.FeatureGroup(name=text).add_to(m)
    layer_control().add_to(m)
    page = m.get_root().render()
    assert f"var raw = `{text}`;" in page
    assert htmlsafe_json_dumps(text) in page


def test_html_export_shows_template_names_as_typed(projects, counties):
    frames = export_data(projects, counties, version=1)
    for title in TEMPLATES:
        page = render(ExportRequest(format="html", title=title), frames, cache=ExportCache())
        text = page.data.decode("utf-8")
        _assert_inert(text)
        head = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
        assert head is not None and html.unescape(head.group(1)) == title
        names = _names(text)
        for name in HOSTILE_NAMES:
            assert names.count(name) == 1, name


def test_app_map_frame_shows_template_names_as_typed(projects, counties):
    groups = project_layers(projects, linked=True, names_only=True)
    shown = render_frame(base_map(counties), groups, layer_control())
    for part in (shown.script, shown.header, shown.html, shown.feature_group):
        _assert_inert(part)
    names = _names(shown.feature_group)
    for name in HOSTILE_NAMES:
        assert names.count(name) == 1, name


def test_progress_map_frame_shows_template_names_as_typed(projects, counties):
    statuses = pd.DataFrame({"id": projects["id"], "status": LagStatus.NO_PLAN.value})
    groups = progress_layers(projects, statuses)
    shown = render_frame(base_map(counties, legend=False), groups, layer_control())
    _assert_inert(shown.feature_group)
    names = _names(shown.feature_group)
    for name in HOSTILE_NAMES:
        assert names.count(name) == 1, name


def test_import_preview_shows_template_names_as_typed(counties):
    preview = gpd.GeoDataFrame(
        {
            "row": list(range(2, 2 + len(HOSTILE_NAMES))),
            "name_zh": list(HOSTILE_NAMES),
            "status": RowStatus.ACCEPTED.value,
        },
        geometry=gpd.points_from_xy(*zip(*HOSTILE_SPOTS, strict=True)),
        crs="EPSG:4326",
    )
    # st_folium renders the whole page on the server before it sends the map
    page = status_map(preview, counties).get_root().render()
    for evaluated in EVALUATED:
        assert evaluated not in page, evaluated
    for row, name in enumerate(HOSTILE_NAMES, start=2):
        # folium writes each tip once, as JSON
        assert htmlsafe_json_dumps(f"行 {row}: {name}") in page, name
