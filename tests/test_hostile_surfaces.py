"""Hostile names through every surface: each shows them as literal text.

The names are ``conftest.HOSTILE_TEXTS`` (markup, template literals,
backticks, maths, backslashes, a formula, a right-to-left override, 2,000
characters, a Markdown link). A surface fails when it shows markup, runs
script (canary: ``data-pwned`` on ``<body>``), typesets maths or crashes.
Where a surface documents a limit, the test asserts that limit: the name
search keeps 100 characters (``ProjectFilter.from_query_params`` and the
sidebar's ``max_chars``), print titles and filter lines are shortened with
``…`` to the page width (``_print_furniture.fit_line``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import streamlit as st
from conftest import (
    HOSTILE_TEXT_SPOTS,
    HOSTILE_TEXTS,
    LONG_NAME,
    MAP_FRAME,
    app_test,
    hostile_register,
    serve_app,
)
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from test_app import _open_page, _sign_in

from geodata.auth import hash_password
from geodata.boundaries import load_counties
from geodata.filters import ProjectFilter
from geodata.ingest import IngestError, import_table
from geodata.join import assign_counties
from geodata.settings import PRINT_DPI_RANGE, ROOT_DIR, runtime
from geodata.store import create_store
from geodata.text import WORD_JOINER
from layers.export._print_furniture import ELLIPSIS
from layers.export.extracts import GPKG_LAYER, extract_bytes
from layers.export.pipeline import ExportCache, export_data, render
from layers.export.request import ExportRequest

APP = str(ROOT_DIR / "streamlit_app.py")
SVG_NS = "{http://www.w3.org/2000/svg}"
TEXT_COLUMNS = ("name_zh", "name_en", "company", "location_text", "source_sentence")
# the name search keeps this many characters (url and sidebar)
QUERY_CHARS = 100
PASSWORD = "s3cret-pass"
NAMED = list(enumerate(HOSTILE_TEXTS))
IDS = [f"XSS-{k}" for k in range(len(HOSTILE_TEXTS))]

# markdown bodies: an escaped ascii punctuation character, and any ascii punctuation
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")


def shown(body: str) -> str:
    """Return what a Markdown body escaped by ``md_literal`` reads as.

    Every ASCII punctuation character must be backslash-escaped (so no link,
    emphasis, code, HTML or ``$`` maths can form); the escapes and the
    invisible word joiners are then dropped.
    """
    bare = _ESCAPED.sub("", body)
    assert not _PUNCT.search(bare), f"unescaped markdown in {body[:120]!r}"
    return _ESCAPED.sub(r"\1", body).replace(WORD_JOINER, "")


def _frame() -> gpd.GeoDataFrame:
    """The bundled register plus one project per hostile text."""
    return hostile_register(names=HOSTILE_TEXTS)


def _register_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The hostile rows of a frame, indexed by id."""
    return frame[frame["id"].isin(IDS)].set_index("id").loc[IDS]


# extracts: read back, the formula cell quoted in csv/xlsx, everything else equal


def _spreadsheet_text(name: str) -> str:
    """A text cell as the extracts document it: ``=...`` gains a leading quote."""
    return "'" + name if name.startswith("=") else name


@pytest.fixture(scope="module")
def projects() -> gpd.GeoDataFrame:
    return _frame()


def test_csv_extract_keeps_names_and_quotes_only_the_formula(projects):
    data = extract_bytes(projects, fmt="csv")
    text = data.decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    for pid, name in zip(IDS, HOSTILE_TEXTS, strict=True):
        for column in TEXT_COLUMNS:
            assert rows[pid][column] == _spreadsheet_text(name), (pid, column)
    quoted = [n for n in HOSTILE_TEXTS if _spreadsheet_text(n) != n]
    assert quoted == ['=HYPERLINK("http://evil.example","点我")']


def test_xlsx_extract_stores_text_cells_and_quotes_only_the_formula(projects):
    sheet = openpyxl.load_workbook(io.BytesIO(extract_bytes(projects, fmt="xlsx"))).active
    header = [c.value for c in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for pid, name in zip(IDS, HOSTILE_TEXTS, strict=True):
        for column in TEXT_COLUMNS:
            cell = rows[pid][header.index(column)]
            assert cell.data_type == "s", (pid, column)
            assert cell.value == _spreadsheet_text(name), (pid, column)


def test_geojson_and_geopackage_extracts_keep_names_byte_equal(projects, tmp_path):
    features = json.loads(extract_bytes(projects, fmt="geojson"))["features"]
    props = {f["properties"]["id"]: f["properties"] for f in features}
    path = tmp_path / "extract.gpkg"
    path.write_bytes(extract_bytes(projects, fmt="gpkg"))
    gpkg = _register_values(pyogrio.read_dataframe(path, layer=GPKG_LAYER))
    for pid, name in zip(IDS, HOSTILE_TEXTS, strict=True):
        for column in TEXT_COLUMNS:
            assert props[pid][column].encode() == name.encode(), (pid, column)
            assert gpkg.loc[pid, column].encode() == name.encode(), (pid, column)


# print maps: the title and the name search drawn literally, shortened only to the page


@pytest.fixture(scope="module")
def export_frames(projects):
    counties = load_counties()
    return export_data(assign_counties(projects, counties), counties, version=1)


def _shortened(line: str, start: str) -> bool:
    """Whether ``line`` is ``start`` cut to the page width and marked with ``…``."""
    head = line.split(ELLIPSIS)[0]
    return ELLIPSIS in line and len(head) >= 20 and start.startswith(head)


@pytest.mark.parametrize(("k", "name"), NAMED, ids=IDS)
def test_print_maps_draw_title_and_search_literally(export_frames, k, name):
    flt = ProjectFilter.from_query_params({"q": name})
    assert flt.query == name[:QUERY_CHARS]
    pages = {
        fmt: render(
            ExportRequest(format=fmt, title=name, filter=flt, dpi=PRINT_DPI_RANGE[0]),
            export_frames,
            cache=ExportCache(),
        ).data
        for fmt in ("pdf", "svg", "png")
    }
    assert Image.open(io.BytesIO(pages["png"])).size[0] > 0
    root = ET.fromstring(pages["svg"])
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    pdf_text = PdfReader(io.BytesIO(pages["pdf"])).pages[0].extract_text()
    subtitle = f"名称含：{flt.query} · 共 1 个项目"
    if name is LONG_NAME:
        # too wide for the page: shortened with an ellipsis, never wrapped
        title = next(t for t in texts if t.startswith(name[:20]))
        assert _shortened(title, name)
        line = next(t for t in texts if t.startswith("名称含："))
        assert line.endswith(f"{ELLIPSIS} · 共 1 个项目") and _shortened(line, subtitle)
        assert title.split(ELLIPSIS)[0] in pdf_text
        return
    # drawn in the order typed: the invisible bidi override is dropped, never obeyed
    drawn = name.replace("\u202e", "")
    assert drawn in texts
    assert subtitle.replace("\u202e", "") in texts
    assert drawn in pdf_text.splitlines()
    assert f"名称含：{drawn} · 共 1 个项目" in pdf_text
    footer = next(t for t in texts if t.startswith("筛选条件："))
    assert footer.startswith(f"筛选条件：名称含：{drawn} · 数据版本 ")


# the app through AppTest: tables, side panel, captions, error messages


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "store.gpkg"
    create_store(path, seed=_frame)
    return path


def _app(monkeypatch, path) -> AppTest:
    return app_test(monkeypatch, path, timeout=90)


def _table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table shown with exactly these columns first."""
    return next(d.value for d in at.dataframe if tuple(d.value.columns[: len(columns)]) == columns)


def test_project_table_cells_are_the_names_as_typed(monkeypatch, store_path):
    at = _app(monkeypatch, store_path)
    # only the open tab is built: open the project table
    at.session_state["tabs"] = "项目列表"
    at.run()
    assert not at.exception
    table = _table_with(at, "编号", "项目名称").set_index("编号")
    # dataframe cells are text, never markdown: no escapes added
    assert [table.loc[pid, "项目名称"] for pid in IDS] == list(HOSTILE_TEXTS)
    runtime.cache_clear()


@pytest.mark.parametrize(("k", "name"), NAMED, ids=IDS)
def test_side_panel_and_captions_show_the_name_as_text(monkeypatch, store_path, k, name):
    at = _app(monkeypatch, store_path)
    at.query_params["q"] = name
    at.session_state["project"] = f"XSS-{k}"
    # the filter line is the export tab's caption: open it
    at.session_state["tabs"] = "导出"
    at.run()
    assert not at.exception
    heading = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert shown(heading.removeprefix("#### ")) == name
    source = next(c.value for c in at.caption if c.value.startswith("出处："))
    assert shown(source.removeprefix("出处：")) == name
    # the filter under the export options: the search keeps its first 100 characters
    subtitle = next(c.value for c in at.caption if c.value.startswith("副标题："))
    assert shown(subtitle.removeprefix("副标题：")) == f"名称含：{name[:QUERY_CHARS]}"
    details = _table_with(at, "项目", "内容")
    assert (details["内容"] == name).sum() >= 2  # company and location, as typed
    runtime.cache_clear()


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.fixture
def staff_app(monkeypatch, tmp_path) -> AppTest:
    create_store(tmp_path / "store.gpkg")
    at = _app(monkeypatch, tmp_path / "store.gpkg")
    st.cache_resource.clear()
    at.secrets["staff"] = {"users": {"wang": {"password_hash": hash_password(PASSWORD)}}}
    yield at
    st.cache_resource.clear()
    runtime.cache_clear()


def _validate(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    next(b for b in at.button if b.label == "校验").click().run()
    assert not at.exception


def test_import_messages_and_tables_show_hostile_cells_as_text(staff_app):
    at = staff_app
    at.run()
    _sign_in(at, "wang", PASSWORD)
    _open_page(at, "import")
    # header cells: the refusal names them, escaped; the list is cut at 300
    # characters (ingest._incoming), so the long name comes last
    columns = ["项目名称", *(n for n in HOSTILE_TEXTS if n is not LONG_NAME), LONG_NAME]
    headers = _csv([columns, ["x"] * len(columns)])
    with pytest.raises(IngestError) as refused:
        import_table(headers, filename="bad.csv")
    _validate(at, "bad.csv", headers)
    error = next(e.value for e in at.error if "缺少必填列" in e.value)
    assert shown(error) == str(refused.value)
    listed = "、".join(columns)
    assert f"现有列：{listed[:300]} (missing" in shown(error) and len(listed) > 300
    # values: rejected rows and their reasons as typed, then committed as typed
    columns = ["项目名称", "类别", "子类", "县区", "经度", "纬度", "建设单位"]
    rows = [[n] * 7 for n in HOSTILE_TEXTS]
    rows += [[n, "能源", "光伏", "潞州区", "113.1", "36.2", n] for n in HOSTILE_TEXTS]
    _validate(at, "values.csv", _csv([columns, *rows]))
    rejected = _table_with(at, "row", "reason", "project")
    assert list(rejected["project"]) == list(HOSTILE_TEXTS)
    for name, reason in zip(HOSTILE_TEXTS, rejected["reason"], strict=True):
        assert f"“{name}”" in reason
    next(b for b in at.button if b.label == "确认入库").click().run()
    assert not at.exception
    assert at.success and not at.error


# chromium: the running app's map and side panel, and the html export from disk

# centre the map on a spot at a deep zoom; return the nearest drawn leaf's position
LEAF_AT = """([mapVar, lat, lon]) => {
    const map = window[mapVar];
    map.closePopup();
    map.setView([lat, lon], 16, {animate: false});
    const box = map.getContainer().getBoundingClientRect();
    let best = null, bestD = 1e-3;
    map.eachLayer(l => {
        if (l.czIndex === undefined) return;
        const ll = l.getLatLng(), d = Math.hypot(ll.lat - lat, ll.lng - lon);
        if (d < bestD) {
            const p = map.latLngToContainerPoint(ll);
            best = {x: box.left + p.x, y: box.top + p.y};
            bestD = d;
        }
    });
    return best;
}"""
# whether the popup of a project is open
POPUP_OF = """(pid) => {
    const p = Array.from(document.querySelectorAll('.leaflet-popup-content .cz-pid')).pop();
    return p !== undefined && p.textContent === pid;
}"""
# the open popup's texts
POPUP = """() => {
    // the newest popup (a closed one fades out for a moment)
    const root = Array.from(document.querySelectorAll('.leaflet-popup-content .cz-popup')).pop();
    const td = Array.from(root.querySelectorAll('td')).map(c => c.textContent);
    return {pid: root.querySelector('.cz-pid').textContent,
            title: root.querySelector('.cz-title').textContent,
            title_en: root.querySelector('.cz-title-en').textContent,
            company: td[0] ?? null, source: root.querySelector('.cz-source')?.textContent ?? null};
}"""
# open leaf tooltip and popup from script (the exported file; no app behind it)
OPEN_LEAF = """([mapVar, lat, lon]) => {
    const map = window[mapVar];
    map.setView([lat, lon], 16, {animate: false});
    let leaf = null;
    map.eachLayer(l => {
        if (l.czIndex !== undefined && Math.hypot(l.getLatLng().lat - lat,
            l.getLatLng().lng - lon) < 1e-4) leaf = l;
    });
    leaf.openTooltip();
    const tip = leaf.getTooltip().getElement().textContent;
    leaf.fire('click', {latlng: leaf.getLatLng()});
    return tip;
}"""
FIND_MAP = """() => Object.keys(window).find(
    k => k.startsWith('map_') && window[k] && window[k].getZoom) || null"""
NO_MARKUP = ".leaflet-popup-content img, .leaflet-tooltip img, .leaflet-popup-content a"


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
    ctx.set_default_timeout(60_000)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def hostile_app_url(store_path, tmp_path_factory):
    with serve_app(store_path, tmp_path_factory.mktemp("log")) as url:
        yield url


def _expect_popup(popup: dict, k: int, name: str, *, names_only: bool = False) -> None:
    # the app's popups carry the names only (the side panel shows the rest);
    # exported maps carry every field
    names = {"pid": f"XSS-{k}", "title": name, "title_en": name}
    if names_only:
        assert {key: popup[key] for key in names} == names
        assert popup["source"] is None
        return
    assert popup == {**names, "company": name, "source": name}


# the side panel shows the project: its heading and source line read as the name,
# with no link, image, code, emphasis or maths inside (word joiners are invisible)
PANEL_SHOWS = """(name) => {
    const plain = (el) => el.textContent.replaceAll('\\u2060', '');
    // (streamlit's own anchor beside a heading is not the name's)
    const bare = (el) => !Array.from(el.querySelectorAll('a, img, code, em, strong, .katex'))
        .some(x => !x.closest("[data-testid='stHeaderActionElements']"));
    const heads = Array.from(document.querySelectorAll('h4'));
    const captions = Array.from(document.querySelectorAll("[data-testid='stCaptionContainer']"));
    return heads.some(h => plain(h) === name && bare(h))
        && captions.some(c => plain(c) === '出处：' + name && bare(c));
}"""


def _hover(page, frame, xy: tuple[float, float], *, tries: int = 3) -> None:
    """Hover a point until its tooltip shows.

    Leaflet's canvas ignores mouse moves closer than 32 ms apart; a move that
    lands while the page is busy redrawing can arrive with the next one and
    be ignored, so the hover is tried again from beside the point.
    """
    for attempt in range(tries):
        page.mouse.move(xy[0] + 30, xy[1] + 30)
        page.wait_for_timeout(60)
        page.mouse.move(*xy)
        try:
            frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


@pytest.mark.browser
def test_app_map_and_side_panel_show_names_literally(context, hostile_app_url, artifacts):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{hostile_app_url}/?cat=industry")
    frame = page.wait_for_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("Number(document.documentElement.dataset.czDrawn) > 0")
    # the rest of the page follows the map's first report; a person hovers after it
    page.get_by_role("tab", name="县区对比").wait_for()
    box = page.locator(MAP_FRAME).bounding_box()
    for (k, name), (lon, lat) in zip(NAMED, HOSTILE_TEXT_SPOTS, strict=True):
        leaf = frame.evaluate(LEAF_AT, ["map_div", lat, lon])
        assert leaf is not None, name
        xy = (box["x"] + leaf["x"], box["y"] + leaf["y"])
        _hover(page, frame, xy)
        assert frame.locator(".leaflet-tooltip").last.text_content() == name
        # click: the popup, and the project opens in the side panel
        page.mouse.click(*xy)
        frame.wait_for_function(POPUP_OF, arg=f"XSS-{k}")
        _expect_popup(frame.evaluate(POPUP), k, name, names_only=True)
        page.wait_for_function(PANEL_SHOWS, arg=name)
        page.mouse.move(5, 5)
        frame.evaluate("map_div.closePopup()")
        frame.wait_for_selector(".leaflet-popup", state="detached")
    page.screenshot(path=str(artifacts / "hostile_app.png"))
    assert frame.locator(NO_MARKUP).count() == 0
    assert frame.evaluate("document.body.dataset.pwned") is None
    assert page.evaluate("document.body.dataset.pwned") is None
    assert errors == []
    page.close()


@pytest.mark.browser
def test_html_export_opens_offline_with_names_literal(context, export_frames, tmp_path):
    title = HOSTILE_TEXTS[0]
    html = render(ExportRequest(format="html", title=title), export_frames, cache=ExportCache())
    path = tmp_path / "export.html"
    path.write_bytes(html.data)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", _file_only)
    page.goto(path.as_uri())
    page.wait_for_function("Number(document.documentElement.dataset.czDrawn) > 0")
    assert page.title() == title
    map_var = page.evaluate(FIND_MAP)
    for (k, name), (lon, lat) in zip(NAMED, HOSTILE_TEXT_SPOTS, strict=True):
        assert page.evaluate(OPEN_LEAF, [map_var, lat, lon]) == name
        page.wait_for_function(POPUP_OF, arg=f"XSS-{k}")
        _expect_popup(page.evaluate(POPUP), k, name)
    assert page.locator(NO_MARKUP).count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None
    assert errors == []
    page.close()


def _file_only(route: object) -> None:
    """Let the page read files only: no network at all."""
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()
