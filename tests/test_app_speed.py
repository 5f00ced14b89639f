"""What keeps the map page fast: one rendering per view, lazy tabs, a paginated table."""

from __future__ import annotations

import gc
import re

import pytest
import streamlit as st
import streamlit_folium as sf
from conftest import app_test
from streamlit.testing.v1 import AppTest

from app import map_frame, state
from app._heap import settle_heap
from app.state import Keys
from bench.synthetic import synthetic_projects
from geodata.boundaries import load_counties
from geodata.filters import ProjectFilter, apply_filter
from geodata.register import load_register
from geodata.settings import ROOT_DIR, TABLE_PAGE_ROWS, runtime
from geodata.store import create_store, open_store
from layers.map import base_map, layer_control
from layers.projects import project_layers

APP = str(ROOT_DIR / "streamlit_app.py")
RETURNED = ["last_object_clicked_popup", "last_object_clicked"]


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    store = tmp_path / "store.gpkg"
    create_store(store)
    yield app_test(monkeypatch, store, timeout=60)
    runtime.cache_clear()


def _normalised(args: dict) -> dict:
    """Component arguments without the change handler and with folium's random ids blanked."""
    out = {k: v for k, v in args.items() if k != "on_change"}
    return {
        k: re.sub(r"[0-9a-f]{32}", "ID", v) if isinstance(v, str) else v for k, v in out.items()
    }


def test_the_cached_map_sends_what_st_folium_sends(monkeypatch):
    sent: list[dict] = []

    def capture(**kwargs: object) -> None:
        sent.append(kwargs)

    # st_folium's component and ours (its frontend, served from the app's copy)
    monkeypatch.setattr(sf, "_component_func", capture)
    monkeypatch.setattr(map_frame, "component", lambda: capture)
    projects, counties = load_register(), load_counties()

    def build():
        groups = project_layers(projects, linked=True, names_only=True)
        return base_map(counties), groups, layer_control()

    m, groups, control = build()
    sf.st_folium(
        m,
        key="map",
        height=620,
        use_container_width=True,
        returned_objects=RETURNED,
        feature_group_to_add=groups,
        layer_control=control,
    )
    shown = map_frame.render(*build())
    map_frame.show(shown, key="map", height=620, returned_objects=RETURNED)
    theirs, ours = (_normalised(args) for args in sent)
    # one difference on purpose: the default carries a marker, so the frame's first
    # report (sent once it has drawn) reaches the server
    assert ours.pop("default") == {**theirs.pop("default"), map_frame.UNREPORTED: True}
    # and another: that first report leaves the frame once the map has painted
    assert ours["script"] == map_frame.REPORT_AFTER_PAINT + theirs["script"]
    ours["script"] = theirs["script"]
    assert ours == theirs
    # the layer script is linked once, not written into every layer
    assert any("/app/static/cz/projects.js?v=" in link for link in ours["js_links"])
    assert "window.CzProjects = window.CzProjects ||" not in ours["feature_group"]


def test_the_first_run_sets_the_long_lived_heap_aside_once(app, monkeypatch):
    gc.unfreeze()
    settle_heap.clear()
    app.run()
    assert not app.exception
    frozen = gc.get_freeze_count()
    # the modules and the store alone are far more than this
    assert frozen > 50_000
    # a later run freezes nothing more (freed objects only leave the frozen set)
    monkeypatch.setattr(gc, "freeze", _refuse_freeze)
    app.run()
    assert not app.exception
    assert gc.get_freeze_count() <= frozen


def _refuse_freeze() -> None:
    raise AssertionError("the heap is settled once per process")


def test_only_the_open_tab_is_built(app):
    app.run()
    assert not app.exception
    # the ranking tab is open; the table, the export panel and the bar chart are not built
    assert any("排名" in df.value.columns for df in app.dataframe)
    assert not any("编号" in df.value.columns for df in app.dataframe)
    assert not any(b.key == "x_prepare" for b in app.button)
    assert not app.get("vega_lite_chart")
    app.session_state["rank_chart"] = True
    app.run()
    assert len(app.get("vega_lite_chart")) == 1


def test_a_new_session_draws_the_map_first_and_the_rest_once_it_has_drawn(tmp_path, monkeypatch):
    store = tmp_path / "store.gpkg"
    create_store(store)
    monkeypatch.setenv("CHANGZHI_STORE", str(store))
    runtime.cache_clear()
    app = AppTest.from_file(APP, default_timeout=60)
    link = {"cat": "energy", "q": "储能", "choro": "count:all", "mode": "progress"}
    for key, value in link.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception
    # the first run sends the title and the map, and holds the rest back
    assert app.title and app.get("component_instance")
    assert not app.metric and not app.tabs and not app.dataframe
    assert not app.multiselect and not app.selectbox and not app.radio
    assert any("地图绘制完成后" in c.value for c in app.caption)
    # the sidebar already holds the language switch and the (unbuilt) staff sign-in
    assert [w.label for w in app.toggle] == ["English"]
    # the map of that run shows the link's view: the link is written back unchanged
    assert {k: app.query_params[k] for k in link} == link
    # the map's first report marks it drawn (here: the way on when none comes)
    app.button(key="show_sections").click().run()
    assert not app.exception
    assert any("排名" in df.value.columns for df in app.dataframe)
    assert not any("地图绘制完成后" in c.value for c in app.caption)
    # the filters drawn now hold the link's values, the figures count what the map showed
    assert app.multiselect(key="f_cat").value == ["energy"]
    assert app.text_input(key="f_q").value == "储能"
    assert app.selectbox(key="choro").value == "count:all"
    assert app.radio(key="map_mode").value == "progress"
    assert {k: app.query_params[k] for k in link} == link
    shown = int(app.metric[0].value.replace(",", ""))
    flt = ProjectFilter.from_query_params(link)
    assert shown == len(apply_filter(open_store(store).projects(), flt)) > 0
    # later runs of the session keep them
    app.multiselect(key="f_cat").set_value(["industry"]).run()
    assert any("排名" in df.value.columns for df in app.dataframe)
    runtime.cache_clear()


def test_the_map_report_marks_the_map_drawn_once(monkeypatch):
    session: dict = {}
    monkeypatch.setattr(st, "session_state", session)
    report = map_frame._copy_value("map", "map_x")
    report()
    assert session[Keys.MAP_REPORTED] and state.take_map_reported_news()
    # a later report (a click) asks for nothing more
    report()
    assert session[Keys.MAP_REPORTED] and not state.take_map_reported_news()


def _table(app: AppTest) -> list[str]:
    return next(df.value for df in app.dataframe if "编号" in df.value.columns)["编号"].tolist()


def test_the_project_table_shows_one_page_at_a_time(tmp_path, monkeypatch):
    projects = synthetic_projects(2 * TABLE_PAGE_ROWS)
    store = tmp_path / "big.gpkg"
    create_store(store, seed=projects)
    app = app_test(monkeypatch, store, timeout=60)
    app.session_state["tabs"] = "项目列表"
    app.run()
    assert not app.exception
    shown = open_store(store).projects()["id"].tolist()
    assert _table(app) == shown[:TABLE_PAGE_ROWS]
    app.number_input(key="table_page").set_value(2).run()
    assert _table(app) == shown[TABLE_PAGE_ROWS : 2 * TABLE_PAGE_ROWS]
    assert any(c.value.startswith(f"第 {TABLE_PAGE_ROWS + 1}–") for c in app.caption)
    # a narrower selection has fewer pages: the table shows its first and only one
    app.multiselect(key="f_cat").set_value(["energy"]).run()
    assert not app.exception
    energy = int((projects["category"] == "energy").sum())
    assert 0 < energy <= TABLE_PAGE_ROWS
    assert len(_table(app)) == energy
    runtime.cache_clear()
