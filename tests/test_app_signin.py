"""Sign-in limits, idle expiry, restore confirmation and text shown as text, via AppTest."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from conftest import app_test
from streamlit.testing.v1 import AppTest
from test_app import _open_page, _sign_in
from test_auth import _old_hash

from geodata.auth import hash_password, verify_password
from geodata.settings import ROOT_DIR
from geodata.store import Author, create_store, open_store
from geodata.text import WORD_JOINER

APP = str(ROOT_DIR / "streamlit_app.py")
PASSWORD = "s3cret-pass"
LOCKED = "登录失败次数过多"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """A clock the limiter and the idle check read, moved by the test (no sleeping)."""
    now = [10_000.0]
    monkeypatch.setattr("geodata.throttle.monotonic_now", lambda: now[0])
    return now


@pytest.fixture
def app(tmp_path, monkeypatch, clock, password_hash) -> AppTest:
    create_store(tmp_path / "store.gpkg")
    # the limiter is server-wide (st.cache_resource): start each test from a fresh one
    st.cache_resource.clear()
    at = app_test(monkeypatch, tmp_path / "store.gpkg", timeout=60)
    at.secrets["staff"] = {
        "users": {"wang": {"password_hash": password_hash, "display_name": "王工"}}
    }
    yield at
    st.cache_resource.clear()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_wrong_passwords_lock_the_account_even_for_the_right_one(app, clock):
    app.run()
    for _ in range(4):
        _sign_in(app, "wang", "wrong-pass")
        assert "用户名或密码错误" in _errors(app)
    _sign_in(app, "wang", "wrong-pass")
    assert any(LOCKED in e and "30 秒" in e for e in _errors(app)), _errors(app)
    # the right password during the lock-out is refused
    clock[0] += 10
    _sign_in(app, "wang", PASSWORD)
    assert "staff" not in app.session_state
    assert any(LOCKED in e and "20 秒" in e for e in _errors(app)), _errors(app)
    # once the lock-out has passed, it signs in
    clock[0] += 21
    _sign_in(app, "wang", PASSWORD)
    assert not app.exception
    assert app.session_state["staff"].username == "wang"


def test_a_refused_sign_in_runs_no_map_page(app):
    app.run()
    assert app.title and app.title[0].value == "长治市重大项目一张图"
    _sign_in(app, "wang", "wrong-pass")
    assert not app.exception
    # the attempt was answered before the map page: no title, figures or map this run
    assert not app.title and not app.metric
    assert "用户名或密码错误" in _errors(app)
    # the password is not kept in the session
    assert not app.session_state["si_pw"]
    next(b for b in app.button if b.label == "返回地图").click().run()
    assert app.title[0].value == "长治市重大项目一张图"


def test_staff_are_signed_out_after_thirty_idle_minutes(app, clock):
    app.run()
    _sign_in(app, "wang", PASSWORD)
    assert app.session_state["staff"].username == "wang"
    clock[0] += 29 * 60
    app.run()
    assert "staff" in app.session_state
    # activity restarts the idle time
    clock[0] += 29 * 60
    app.run()
    assert "staff" in app.session_state
    clock[0] += 30 * 60 + 1
    app.run()
    assert not app.exception
    assert "staff" not in app.session_state
    assert any("30 分钟无操作" in w.value for w in app.warning)


def test_restore_asks_for_confirmation(app, tmp_path):
    app.run()
    _sign_in(app, "wang", PASSWORD)
    _open_page(app, "history")
    store = open_store(tmp_path / "store.gpkg")
    before = store.current_version()
    app.selectbox(key="hv_version").set_value(before).run()
    # the restore button stays disabled until the version is confirmed
    assert next(b for b in app.button if b.label == "恢复此版本").disabled
    assert store.current_version() == before
    app.checkbox(key=f"hv_confirm_{before}").check().run()
    label = app.checkbox(key=f"hv_confirm_{before}").label
    # the planner is told a restore leaves plans and progress alone
    assert label.startswith(f"确认恢复到版本 {before}") and "月度进度不变" in label
    next(b for b in app.button if b.label == "恢复此版本").click().run()
    assert not app.exception
    assert store.current_version() == before + 1


def test_reverting_a_progress_version_is_refused_with_a_message(app, tmp_path):
    store = open_store(tmp_path / "store.gpkg")
    pid = str(store.projects()["id"].iloc[0])
    rows = pd.DataFrame({"project_id": [pid], "period": ["2025-09"], "cumulative_yi": [1.0]})
    author = Author("wang", "王工")
    version = store.commit_progress(
        rows, author=author, base_version=store.current_version(), message="9月"
    )
    app.run()
    _sign_in(app, "wang", PASSWORD)
    _open_page(app, "history")
    app.selectbox(key="hv_version").set_value(version).run()
    next(b for b in app.button if b.label == "撤销此版本的修改").click().run()
    assert not app.exception
    assert any("不能撤销" in w.value and "月度进度" in w.value for w in app.warning)
    assert store.current_version() == version
    assert store.progress()["project_id"].tolist() == [pid]


def test_a_link_in_the_search_is_shown_as_text(app):
    app.query_params["q"] = "[点此](https://evil.example)"
    # only the open tab is built: open the export tab, whose caption names the view
    app.session_state["tabs"] = "导出"
    app.run()
    assert not app.exception
    caption = next(c.value for c in app.caption if c.value.startswith("副标题："))
    assert r"\[点此\]\(https\:" + WORD_JOINER + r"\/\/evil\.example\)" in caption
    assert "](" not in caption and "https://" not in caption


def test_hostile_header_cells_reach_the_import_error_as_text(app):
    app.run()
    _sign_in(app, "wang", PASSWORD)
    _open_page(app, "import")
    csv = "项目名称,[点此](https://evil.example),$\\frac{1}{2}$,**粗**\n1,2,3\n".encode()
    app.file_uploader[0].set_value(("bad.csv", csv, "text/csv")).run()
    next(b for b in app.button if b.label == "校验").click().run()
    assert not app.exception
    error = next(e for e in _errors(app) if "缺少必填列" in e)
    assert r"\[点此\]\(https\:" + WORD_JOINER + r"\/\/evil\.example\)" in error
    assert r"\$\\frac\{1\}\{2\}\$" in error and r"\*\*粗\*\*" in error


def test_a_store_error_on_a_staff_page_is_a_message(app, tmp_path):
    app.run()
    _sign_in(app, "wang", PASSWORD)
    _open_page(app, "history")
    assert not app.exception
    (tmp_path / "store.gpkg").write_bytes(b"this is not a geopackage")
    app.run()
    assert not app.exception
    assert any("项目库" in e for e in _errors(app)), _errors(app)


def test_an_old_hash_signs_in_and_its_replacement_is_shown_only_to_that_member(app):
    app.secrets["staff"] = {"users": {"zhao": {"password_hash": _old_hash("old-password")}}}
    app.run()
    _sign_in(app, "zhao", "old-password")
    assert not app.exception
    assert app.session_state["staff"].username == "zhao"
    assert any("旧的强度参数" in w.value for w in app.warning)
    line = next(c.value for c in app.code if c.value.startswith("password_hash"))
    new_hash = line.split('"')[1]
    assert new_hash.startswith(f"scrypt${2**17}$8$1$") and verify_password("old-password", new_hash)
    # signing out forgets it
    next(b for b in app.button if b.label == "退出登录").click().run()
    assert not any(c.value.startswith("password_hash") for c in app.code)
