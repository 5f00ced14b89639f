"""Plans and monthly progress through the staff import page, via AppTest.

The same page and path as a register import: choose what the file holds,
validate (the report with row numbers, unmatched rows with their
candidates), preview, commit on the version checked against.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import streamlit as st
from conftest import HOSTILE_TEXTS, app_test
from streamlit.testing.v1 import AppTest
from test_app import _metric, _open_page, _shown, _sign_in

from geodata.auth import hash_password
from geodata.settings import runtime
from geodata.store import Author, create_store, open_store

PASSWORD = "s3cret-pass"
NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store.gpkg"
    create_store(path)
    return path


@pytest.fixture
def app(store_path, monkeypatch, password_hash) -> AppTest:
    st.cache_resource.clear()
    at = app_test(monkeypatch, store_path, timeout=60)
    at.secrets["staff"] = {
        "users": {"wang": {"password_hash": password_hash, "display_name": "王工"}}
    }
    at.run()
    _sign_in(at, "wang", PASSWORD)
    _open_page(at, "import")
    yield at
    st.cache_resource.clear()
    runtime.cache_clear()


def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def _validate(at: AppTest, kind: str, data: bytes, *, year: int = 2025) -> None:
    at.radio(key="import_kind").set_value(kind).run()
    at.number_input(key="import_year").set_value(year).run()
    at.file_uploader[0].set_value((f"{kind}.csv", data, "text/csv")).run()
    next(b for b in at.button if b.label == "校验").click().run()
    assert not at.exception


def _commit(at: AppTest) -> None:
    next(b for b in at.button if b.label == "确认入库").click().run()
    assert not at.exception


def _table(at: AppTest, *columns: str, without: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the first table with ``columns`` and none of ``without``."""
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns) and not set(without) & set(df.value.columns):
            return df.value
    raise AssertionError(
        f"no table with {columns}: {[list(d.value.columns) for d in at.dataframe]}"
    )


def _row(pid: str = "", period: str = "2025-09", **cells: str) -> dict:
    return {
        "项目编号": pid,
        "项目名称": "",
        "县区": "",
        "报告期": period,
        "累计完成投资": "",
    } | cells


SHEET = [
    _row("CZ25-005", 累计完成投资="1.5", 形象进度="主体完工"),
    # an id the register lacks: refused, with the project of a similar name
    _row("CZ25-999", 项目名称="后湾水库", 累计完成投资="2"),
    _row("CZ25-001", period=f"{NEXT_YEAR}-01", 累计完成投资="1"),
    _row("CZ25-002", period="2025-08", 累计完成投资="1"),
    _row("CZ25-002", period="2025-08", 累计完成投资="1.2"),
]


def test_a_progress_sheet_gets_the_report_with_row_numbers(app):
    _validate(app, "progress", _csv(SHEET))
    assert (_metric(app, "读取行数"), _metric(app, "接受"), _metric(app, "拒绝")) == ("5", "1", "4")
    # the unmatched row names its candidates
    unmatched = _table(app, "row", "reason", "candidates")
    assert unmatched["row"].tolist() == [3]
    assert "CZ25-999 不在项目库中" in unmatched["reason"].iloc[0]
    assert "CZ25-024 后湾水库供水工程" in unmatched["candidates"].iloc[0]
    rejected = _table(app, "row", "reason", without=("candidates",)).set_index("row")["reason"]
    assert rejected.index.tolist() == [3, 4, 5, 6]
    # a month after today is refused; two rows for one project and month are both refused
    assert "晚于当前月份" in rejected[4]
    assert "在第 5、6 行重复出现" in rejected[5] and rejected[5] == rejected[6]
    preview = _table(app, "编号", "月份", "形象进度")
    assert preview["编号"].tolist() == ["CZ25-005"]
    assert preview["月份"].tolist() == ["2025年9月"] and preview["变化"].tolist() == ["新增"]


def test_a_commit_writes_a_version_the_progress_views_show(app, store_path):
    store = open_store(store_path)
    before = store.current_version()
    _validate(app, "progress", _csv(SHEET))
    _commit(app)
    version = store.current_version()
    assert version == before + 1
    assert any(s.value == f"已保存为第 {version} 版" for s in app.success)
    reports = store.progress()
    assert reports["project_id"].tolist() == ["CZ25-005"]
    assert reports["cumulative_yi"].tolist() == [1.5]
    assert reports["image_progress"].tolist() == ["主体完工"]
    latest = store.history().iloc[0]
    assert (latest["version"], latest["who"], latest["who_name"]) == (version, "wang", "王工")
    # the check is gone; the next run reads the new version, and the month picker offers its month
    app.run()
    assert not app.metric
    _open_page(app, "")  # the map, the default page
    assert not app.exception
    assert app.session_state["_store_version"] == version
    assert app.selectbox(key="period").value == "2025-09"


def test_a_plan_file_with_the_default_year(app, store_path):
    rows = [
        {"项目编号": "CZ25-005", "年度": "", "年度计划投资": "3", "计划开工": "2025年3月"},
        {"项目编号": "CZ25-006", "年度": "2026", "年度计划投资": "500万元", "计划开工": ""},
    ]
    _validate(app, "plan", _csv(rows), year=2025)
    assert _metric(app, "接受") == "2"
    preview = _table(app, "编号", "年度", "年度计划（亿元）")
    assert preview["年度"].tolist() == [2025, 2026]
    assert preview["计划开工"].tolist() == ["2025年3月", ""]
    # a check of plans is not offered under another kind
    app.radio(key="import_kind").set_value("progress").run()
    assert not app.metric and not any(b.label == "确认入库" for b in app.button)
    app.radio(key="import_kind").set_value("plan").run()
    _commit(app)
    plans = open_store(store_path).plans().sort_values("project_id")
    assert plans["year"].tolist() == [2025, 2026]
    assert plans["annual_plan_yi"].tolist() == pytest.approx([3.0, 0.05])


def test_months_without_a_year_take_the_default_year(app, store_path):
    _validate(
        app, "progress", _csv([_row("CZ25-005", period="9月", 本月完成投资="0.5")]), year=2025
    )
    assert _table(app, "编号", "月份")["月份"].tolist() == ["2025年9月"]
    _commit(app)
    assert open_store(store_path).progress()["period"].astype(str).tolist() == ["2025-09"]


def test_a_commit_on_a_stale_base_is_refused(app, store_path):
    store = open_store(store_path)
    _validate(app, "progress", _csv(SHEET))
    # a colleague reports the same project and month meanwhile
    theirs = pd.DataFrame(
        {"project_id": ["CZ25-005"], "period": ["2025-09"], "cumulative_yi": [2.0]}
    )
    version = store.commit_progress(
        theirs, author=Author("li", "李工"), base_version=store.current_version(), message="九月"
    )
    _commit(app)
    error = next(_shown(e.value) for e in app.error if "未保存" in e.value)
    assert "CZ25-005 2025-09（李工 (li)，版本" in error
    assert store.current_version() == version
    assert store.progress()["cumulative_yi"].tolist() == [2.0]


def test_hostile_text_in_a_progress_sheet_shows_literally(app, store_path):
    ids = [f"CZ25-{k:03d}" for k in range(1, len(HOSTILE_TEXTS) + 1)]
    pairs = zip(ids, HOSTILE_TEXTS, strict=True)
    rows = [_row(pid, 累计完成投资="1", 形象进度=text) for pid, text in pairs]
    rows += [_row(项目名称=text, 县区="潞州区", 累计完成投资="1") for text in HOSTILE_TEXTS]
    _validate(app, "progress", _csv(rows))
    assert _table(app, "编号", "形象进度")["形象进度"].tolist() == list(HOSTILE_TEXTS)
    unmatched = _table(app, "row", "reason", "project")
    assert unmatched["project"].tolist() == list(HOSTILE_TEXTS)
    _commit(app)
    stored = open_store(store_path).progress().set_index("project_id")["image_progress"]
    assert stored[ids].tolist() == list(HOSTILE_TEXTS)


def test_the_choice_reads_in_english(app):
    app.toggle(key="_english").set_value(True).run()
    assert app.radio(key="import_kind").options == [
        "Project register",
        "Annual plans",
        "Monthly progress",
    ]
    app.radio(key="import_kind").set_value("progress").run()
    assert app.number_input(key="import_year").label == "Default year"
