"""The export pipeline: one request type, cache and limits, literal text, thread safety."""

from __future__ import annotations

import io
import json
import threading
import warnings
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pytest
from conftest import app_test
from matplotlib.colors import to_hex
from PIL import Image
from pypdf import PdfReader

from bench.synthetic import synthetic_projects
from geodata.boundaries import load_counties
from geodata.filters import ProjectFilter
from geodata.i18n import Lang
from geodata.join import assign_counties, county_summary
from geodata.store import create_store
from layers.counties import ChoroplethSpec
from layers.export.atlas import atlas_bytes
from layers.export.pipeline import (
    ExportBusy,
    ExportCache,
    ExportQuotaExceeded,
    RenderGate,
    SessionQuota,
    export_data,
    render,
)
from layers.export.print_map import map_bytes, render_map
from layers.export.provenance import make_provenance
from layers.export.request import ExportError, ExportRequest
from layers.legend import Legend
from layers.map import base_map
from layers.shading import ChoroplethChoice, Metric

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_counties()


@pytest.fixture(scope="module")
def projects() -> gpd.GeoDataFrame:
    return synthetic_projects(200, seed=11)


@pytest.fixture(scope="module")
def data(projects, counties):
    return export_data(assign_counties(projects, counties), counties, version=3)


def _web_choropleth(counties, summary, choice):
    """County fills and legend rows of the web map for a summary."""
    m = base_map(counties, choropleth=ChoroplethSpec(summary=summary, choice=choice))
    html = m.get_root().render()
    fills = {}
    for doc in m._children.values():
        for child in getattr(doc, "_children", {}).values():
            data = getattr(child, "data", None)
            if isinstance(data, dict) and data.get("features"):
                props = [f["properties"] for f in data["features"]]
                if "fill" in props[0]:
                    fills = {p["adcode"]: p["fill"] for p in props}
    legend = next(
        c for c in m._children.values() if isinstance(c, Legend) and "bottomleft" in c.spec
    )
    spec = json.loads(str(legend.spec))
    rows = [(row[0], row[2]) for row in spec["rows"]]
    assert html
    return fills, rows


def _print_choropleth(projects, counties, choice):
    """County fills and choropleth legend rows of a print page."""
    fig = render_map(projects, counties, choropleth=choice).figure
    map_ax, panel = fig.axes[0], fig.axes[1]
    faces = map_ax.collections[0].get_facecolors()
    fills = {code: to_hex(face) for code, face in zip(counties["adcode"], faces, strict=True)}
    legend = panel.get_legend()
    rows = [
        (to_hex(patch.get_facecolor()), text.get_text())
        for patch, text in zip(legend.get_patches(), legend.get_texts(), strict=True)
    ]
    return fills, rows


@pytest.mark.parametrize(
    "choice",
    [
        ChoroplethChoice(Metric.COUNT),
        ChoroplethChoice.from_param("count:energy"),
        ChoroplethChoice.from_param("invest:all"),
    ],
)
def test_one_classifier_on_screen_and_paper(projects, counties, choice):
    sparse = projects.copy()
    # some counties without projects and some without a stated amount
    sparse = sparse[~sparse["county_adcode"].isin(["140403", "140404", "140405"])]
    sparse.loc[sparse["county_adcode"] == "140429", "investment_yi"] = np.nan
    summary = county_summary(sparse, counties)
    web_fills, web_rows = _web_choropleth(counties, summary, choice)
    paper_fills, paper_rows = _print_choropleth(sparse, counties, choice)
    assert web_fills == paper_fills
    assert web_rows == paper_rows
    assert len(web_rows) >= 3


def test_choice_round_trips_through_the_url():
    for choice in ChoroplethChoice.options():
        assert ChoroplethChoice.from_param(choice.to_param()) == choice
    assert ChoroplethChoice.from_param("off") is None
    assert ChoroplethChoice.from_param("investment") == ChoroplethChoice(Metric.INVEST)
    with pytest.raises(ValueError, match="unknown choropleth category"):
        ChoroplethChoice.from_param("count:mining")


def test_request_is_validated_once():
    with pytest.raises(ExportError, match="dpi must be between 50 and 1200"):
        ExportRequest(dpi=20)
    with pytest.raises(ExportError, match="unknown atlas format"):
        ExportRequest(format="svg", atlas=True)
    with pytest.raises(ExportError, match="unknown paper size"):
        ExportRequest(paper="B5")
    request = ExportRequest(format="PDF", paper="a3", lang="en", dpi="300")
    assert (request.format, request.paper, request.lang, request.dpi) == ("pdf", "A3", "en", 300)
    assert hash(request) == hash(ExportRequest(format="pdf", paper="A3", lang="en", dpi=300))


def test_the_chosen_category_reaches_the_print_map(data):
    request = ExportRequest(format="pdf", choropleth=ChoroplethChoice.from_param("invest:energy"))
    result = render(request, data, cache=ExportCache())
    text = PdfReader(io.BytesIO(result.data)).pages[0].extract_text()
    assert "已披露投资（亿元） · 能源" in text
    assert result.provenance.register_version.startswith("v3·")


def test_cache_hits_and_stays_within_its_budget(data):
    cache = ExportCache(max_bytes=10_000_000)
    request = ExportRequest(format="csv")
    first = render(request, data, cache=cache)
    assert render(request, data, cache=cache) is first
    other = ExportData_with_version(data, "v4·x")
    assert render(request, other, cache=cache) is not first
    small = ExportCache(max_bytes=len(first.data) + 10)
    render(request, data, cache=small)
    render(
        ExportRequest(format="csv", filter=ProjectFilter(categories=("energy",))), data, cache=small
    )
    assert small.size_bytes <= small.max_bytes
    assert len(small) == 1  # the least recently used one went out


def ExportData_with_version(data, version):  # noqa: N802 (reads as a constructor)
    """The same frames under another register version."""
    from layers.export.pipeline import ExportData

    return ExportData(projects=data.projects, counties=data.counties, register_version=version)


def test_busy_server_refuses_at_once(data):
    gate = RenderGate(limit=1)
    with gate.slot():
        with pytest.raises(ExportBusy, match=r"服务器正忙，请稍后重试 \(busy, please retry\)"):
            render(ExportRequest(format="png", dpi=50), data, cache=ExportCache(), gate=gate)
        # light exports do not need a slot
        render(ExportRequest(format="csv"), data, cache=ExportCache(), gate=gate)
    render(ExportRequest(format="png", dpi=50), data, cache=ExportCache(), gate=gate)


def test_session_quota_counts_heavy_renders_only(data):
    quota = SessionQuota(limit=2, window_s=60)
    cache = ExportCache()
    for dpi in (50, 60):
        render(ExportRequest(format="png", dpi=dpi), data, quota=quota, cache=cache)
    # a cached file and an extract cost nothing
    render(ExportRequest(format="png", dpi=50), data, quota=quota, cache=cache)
    render(ExportRequest(format="csv"), data, quota=quota, cache=cache)
    with pytest.raises(ExportQuotaExceeded, match="retry in"):
        render(ExportRequest(format="png", dpi=70), data, quota=quota, cache=cache)
    later = SessionQuota(limit=1, window_s=10, started=[0.0])
    with pytest.raises(ExportQuotaExceeded):
        later.take(now=5.0)
    later.take(now=10.5)
    assert later.started == [10.5]


HOSTILE_TEXT = (r"a $\foo$ b", "100$ and 200$", r"$\frac{1}{2}$ x^2_y", "D:\\资料\\x4")


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_user_text_is_drawn_literally(data, text):
    request = ExportRequest(format="pdf", title=text, filter=ProjectFilter(query=text))
    pdf = render(request, data, cache=ExportCache())
    page_text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert text in page_text  # the title
    assert f"名称含：{text}" in page_text  # the filters under it
    svg = render(ExportRequest(format="svg", title=text), data, cache=ExportCache())
    root = ET.fromstring(svg.data)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert text in texts


def test_english_page_has_an_english_footer(projects, counties):
    data = map_bytes(
        projects, counties, provenance=make_provenance(projects), fmt="pdf", lang=Lang.EN
    )
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Filters: none" in text
    assert "筛选条件" not in text


def _pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_concurrent_renders_keep_the_cjk_font(projects, counties):
    provenance = make_provenance(projects)
    jobs = {
        "atlas": lambda: atlas_bytes(projects, counties, provenance=provenance, fmt="pdf"),
        "a3_png": lambda: map_bytes(
            projects, counties, provenance=provenance, fmt="png", dpi=100, paper="A3"
        ),
        "a3_pdf": lambda: map_bytes(
            projects, counties, provenance=provenance, fmt="pdf", paper="A3", summary_table=True
        ),
        "a4_png": lambda: map_bytes(
            projects, counties, provenance=provenance, fmt="png", dpi=80, lang=Lang.EN
        ),
    }
    results: dict[str, bytes] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def work(name):
        try:
            start.wait()
            results[name] = jobs[name]()
        except BaseException as exc:  # reported below
            errors.append(exc)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=work, args=(name,)) for name in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    assert not [w for w in caught if "missing from font" in str(w.message)]
    for name in ("atlas", "a3_pdf"):
        fonts = _pdf_fonts(results[name])
        assert any("CJK" in f for f in fonts), fonts
        assert not [f for f in fonts if "DejaVu" in f], fonts
        assert (
            "2025年重大项目分布图" in PdfReader(io.BytesIO(results[name])).pages[0].extract_text()
        )
    # a3 landscape: 420 mm wide
    assert Image.open(io.BytesIO(results["a3_png"])).size[0] == pytest.approx(
        420 / 25.4 * 100, abs=1
    )


VIEW = (
    "cat=energy,industry&county=140403,长治县,140429&stage=construction&q=项目&choro=count:energy"
)


def test_app_and_cli_give_the_same_provenance(tmp_path, monkeypatch):

    from layers.export.cli import main

    store = tmp_path / "store.gpkg"
    create_store(store)
    app = app_test(monkeypatch, store, timeout=120)
    for key, value in (pair.split("=") for pair in VIEW.split("&")):
        app.query_params[key] = value
    # only the open tab is built: open the export tab
    app.session_state["tabs"] = "导出"
    app.run()
    app.selectbox(key="x_fmt").set_value("pdf").run()
    next(b for b in app.button if b.key == "x_prepare").click().run()
    assert not app.exception
    (request, _), made = app.session_state["x_file"]
    assert request.choropleth == ChoroplethChoice.from_param("count:energy")
    assert len(request.filter.counties) == 3
    out = tmp_path / "cli.pdf"
    args = ["--view", f"http://host/?{VIEW}", "--format", "pdf", "--out", str(out)]
    assert main([*args, "--store", str(store)]) == 0
    keywords = PdfReader(out).metadata["/Keywords"]
    assert f"data_version={made.provenance.data_version};" in keywords
    assert f"register_version={made.provenance.register_version};" in keywords
    assert made.provenance.register_version.startswith("v1·")
    assert made.provenance.filters in keywords
