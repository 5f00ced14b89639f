"""The app's widgets, figures, tables, language switch, URL and staff gate, via AppTest."""

from __future__ import annotations

import pytest
from conftest import app_test
from streamlit.testing.v1 import AppTest

from geodata.auth import hash_password
from geodata.register import load_figures, load_register
from geodata.schema import Precision
from geodata.settings import ROOT_DIR, runtime
from geodata.store import Author, create_store, open_store
from geodata.text import WORD_JOINER

APP = str(ROOT_DIR / "streamlit_app.py")


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    store = tmp_path / "store.gpkg"
    create_store(store)
    yield app_test(monkeypatch, store, timeout=60)
    runtime.cache_clear()


def _shown(markdown: str) -> str:
    """Return what a Markdown body escaped by ``md_literal`` reads as."""
    return markdown.replace("\\", "").replace(WORD_JOINER, "")


def _metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def test_opens_in_chinese_with_all_projects(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "长治市重大项目一张图"
    assert _metric(app, "当前筛选项目数") == str(len(load_register()))
    # the report's city-wide figures sit beside the selection
    assert _metric(app, "全市 · 开工建设项目").startswith("2537")


def test_category_filter_changes_figures_and_url(app):
    app.run()
    register = load_register()
    app.multiselect(key="f_cat").set_value(["energy"]).run()
    assert not app.exception
    assert _metric(app, "当前筛选项目数") == str((register["category"] == "energy").sum())
    assert app.query_params["cat"] == "energy"


def test_county_filter_accepts_query_params_with_legacy_names(app):
    app.query_params["county"] = "长治县"
    app.run()
    assert not app.exception
    register = load_register()
    assert app.multiselect(key="f_county").value == ["140404"]
    expected = (register["county_adcode"] == "140404").sum()
    assert int(_metric(app, "当前筛选项目数")) >= expected >= 1


def test_search_and_investment_range(app):
    app.run()
    app.text_input(key="f_q").input("后湾").run()
    assert _metric(app, "当前筛选项目数") == "1"
    assert "5.39" in _metric(app, "已披露总投资")
    app.text_input(key="f_q").input("").run()
    app.number_input(key="f_min").set_value(1.0).run()
    # only the one project with a stated amount has one
    assert _metric(app, "当前筛选项目数") == "1"


def test_english_switch_relabels_everything(app):
    app.run()
    app.toggle(key="_english").set_value(True).run()
    assert not app.exception
    assert app.title[0].value == "Changzhi major projects map"
    assert _metric(app, "Projects selected") == str(len(load_register()))
    assert app.query_params["lang"] == "en"


def test_county_ranking_table_lists_twelve_counties(app):
    app.run()
    tables = [df.value for df in app.dataframe]
    ranking = next(t for t in tables if "排名" in t.columns)
    assert len(ranking) == 12
    assert ranking["项目数"].is_monotonic_decreasing
    # projects with no stated county and only a city-level point count for no county
    unplaced = next(c.value for c in app.caption if c.value.startswith("县区未明的项目"))
    assert ranking["项目数"].sum() + int(unplaced.split("：")[1]) == len(load_register())


def test_planners_see_no_staff_pages_or_controls(app):
    app.run()
    assert not any(b.label == "确认入库" for b in app.button)
    assert not app.get("file_uploader")
    # the sign-in form is built only once its box is opened
    assert [e.label for e in app.expander if e.label == "工作人员登录"]
    assert not any(w.key in ("si_user", "si_pw") for w in app.text_input)
    app.session_state["staff_box"] = True
    app.run()
    assert {w.key for w in app.text_input} >= {"si_user", "si_pw"}


def test_staff_sign_in_with_hashed_password(app):
    app.secrets["staff"] = {
        "users": {"wang": {"password_hash": hash_password("s3cret-pass"), "display_name": "王工"}}
    }
    app.run()
    _sign_in(app, "wang", "wrong")
    assert "staff" not in app.session_state
    assert any(e.value == "用户名或密码错误" for e in app.error)
    _sign_in(app, "wang", "s3cret-pass")
    assert not app.exception
    assert app.session_state["staff"].username == "wang"
    # staff get the import page with its upload widget
    _open_page(app, "import")
    assert not app.exception
    assert app.title[0].value == "数据导入"
    assert len(app.get("file_uploader")) == 1


def _open_page(app: AppTest, url_path: str) -> None:
    # AppTest.switch_page only knows file pages; ours are callables under st.navigation
    hashes = [
        h for h, info in app._registered_pages.items() if info.get("url_pathname") == url_path
    ]
    assert hashes, f"page {url_path!r} not registered"
    app._page_hash = hashes[0]
    app.run()


def _sign_in(app: AppTest, user: str, password: str) -> None:
    # the form is built once its box is opened, as a member of staff opens it
    if not any(w.key == "si_user" for w in app.text_input):
        app.session_state["staff_box"] = True
        app.run()
    app.text_input(key="si_user").input(user)
    app.text_input(key="si_pw").input(password)
    next(b for b in app.button if b.label == "登录").click().run()


def test_an_unreadable_store_gives_a_message_not_a_traceback(app, tmp_path):
    (tmp_path / "store.gpkg").write_bytes(b"this is not a geopackage")
    app.run()
    assert not app.exception
    assert any("项目库暂时无法读取" in e.value for e in app.error)


def test_tianditu_is_offered_only_with_a_key(app, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    runtime.cache_clear()
    app.query_params["basemap"] = "tianditu"
    app.run()
    assert not app.exception
    assert "天地图（需联网）" not in app.selectbox(key="basemap").options
    assert app.selectbox(key="basemap").value == "none"
    monkeypatch.setenv("TIANDITU_KEY", "test-key")
    # the environment is read once at start-up: this is a restart with the key set
    runtime.cache_clear()
    app.run()
    assert "天地图（需联网）" in app.selectbox(key="basemap").options


def test_a_prepared_export_is_withdrawn_when_the_filters_change(app):
    # only the open tab is built: open the export tab
    app.session_state["tabs"] = "导出"
    app.run()
    next(b for b in app.button if b.label == "生成地图文件").click().run()
    assert not app.exception
    assert any(b.label.startswith("下载") for b in app.get("download_button"))
    app.multiselect(key="f_cat").set_value(["energy"]).run()
    assert not any(
        b.label.startswith("下载 ") and b.label.endswith(".png") for b in app.get("download_button")
    )


def test_projects_without_a_location_are_announced(app, tmp_path):
    register = load_register()
    unlocated = register.iloc[[0]].copy()
    unlocated["id"] = "T-NOPOINT"
    unlocated["lon"] = float("nan")
    unlocated["lat"] = float("nan")
    unlocated["precision"] = ""
    unlocated = unlocated.set_geometry([None], crs=register.crs)
    store = open_store(tmp_path / "store.gpkg")
    store.commit(unlocated, author=Author("test"), base_version=1, message="no point")
    app.run()
    assert not app.exception
    assert _metric(app, "当前筛选项目数") == str(len(register))
    assert any("另有 1 个项目尚未定位" in c.value for c in app.caption)


def test_all_report_figures_and_targets_are_listed_with_their_sentences(app):
    app.run()
    # the table is built only when its box is opened
    assert not any("指标" in df.value.columns for df in app.dataframe)
    app.session_state["figures_box"] = True
    app.run()
    figures = load_figures()
    table = next(df.value for df in app.dataframe if "指标" in df.value.columns)
    assert len(table) == len(figures)
    assert set(table["类型"]) == {"完成", "目标"}
    assert table["出处"].tolist() == figures["sentence"].tolist()
    app.toggle(key="_english").set_value(True).run()
    assert _metric(app, "City-wide · Projects started") == "2537 projects"


def _staff_app(app: AppTest) -> AppTest:
    app.secrets["staff"] = {
        "users": {"wang": {"password_hash": hash_password("s3cret-pass"), "display_name": "王工"}}
    }
    app.run()
    _sign_in(app, "wang", "s3cret-pass")
    return app


def test_a_review_edit_on_a_stale_page_names_the_colleague_and_saves_nothing(app, tmp_path):
    store = open_store(tmp_path / "store.gpkg")
    _open_page(_staff_app(app), "review")
    queue = store.review_queue()
    pid = queue.loc[queue.geometry.notna(), "id"].iloc[0]
    app.selectbox(key="rv_id").set_value(pid).run()
    # a colleague moves the same project while the page is open
    colleague = Author("li", "李工")
    store.set_location(
        pid, lon=113.11, lat=36.19, author=colleague, base_version=1, precision=Precision.COUNTY
    )
    app.number_input(key="rv_lon").set_value(113.12)
    app.number_input(key="rv_lat").set_value(36.20)
    next(b for b in app.button if b.key == "rv_save").click().run()
    assert not app.exception
    assert any(pid in _shown(e.value) and "李工 (li)" in _shown(e.value) for e in app.error)
    assert store.current_version() == 2
    # the page now shows version 2: saving again goes through
    next(b for b in app.button if b.key == "rv_save").click().run()
    assert not app.exception and not app.error
    assert store.current_version() == 3
    assert store.history().iloc[0]["who"] == "wang"


def test_history_shows_what_a_version_changed_and_reverts_it(app, tmp_path):
    store = open_store(tmp_path / "store.gpkg")
    pid = store.projects()["id"].iloc[0]
    store.set_location(pid, lon=113.12, lat=36.20, author=Author("li", "李工"), base_version=1)
    _open_page(_staff_app(app), "history")
    app.selectbox(key="hv_version").set_value(2).run()
    changes = next(df.value for df in app.dataframe if "change" in df.value.columns)
    assert changes["id"].tolist() == [pid] and changes["change"].tolist() == ["updated"]
    next(b for b in app.button if b.key == "hv_revert").click().run()
    assert not app.exception and not app.error
    assert store.current_version() == 3
    assert store.projects().equals(store.projects(version=1))
    assert store.history().iloc[0]["action"] == "revert"
