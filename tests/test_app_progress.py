"""The progress view via AppTest: month picker, map view switch, URL, county table, compare.

The store holds synthetic projects (ids ``SYN-``); their plans and monthly
reports come from :mod:`bench.synthetic_progress`, served through the app's
two data-edge functions ``app.data.plans`` and ``app.data.progress``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import app_test
from streamlit.testing.v1 import AppTest

from bench.synthetic import synthetic_projects
from bench.synthetic_progress import synthetic_plans_and_progress
from geodata.settings import ROOT_DIR, runtime
from geodata.store import create_store

APP = str(ROOT_DIR / "streamlit_app.py")
N_PROJECTS = 240
HOSTILE_TEXTS = [
    "<img src=x onerror=alert(1)>",
    "${7*7}",
    "`rm -rf`",
    "$\\frac{1}{2}$",
    "D:\\资料\\x4",
    '=HYPERLINK("http://x","y")',
    "\u202eevil",
    "[点此](https://evil.example)",
]


@pytest.fixture(scope="module")
def synthetic():
    projects = synthetic_projects(N_PROJECTS)
    plans, reports = synthetic_plans_and_progress(projects)
    return projects, plans, reports


@pytest.fixture
def app(tmp_path, monkeypatch, synthetic):
    projects, plans, reports = synthetic
    store = tmp_path / "store.gpkg"
    create_store(store, seed=projects)
    frames = {"plans": plans, "progress": reports}
    monkeypatch.setattr("app.data.plans", lambda url, version: frames["plans"])
    monkeypatch.setattr("app.data.progress", lambda url, version: frames["progress"])
    at = app_test(monkeypatch, store, timeout=120)
    at.frames = frames
    yield at
    runtime.cache_clear()


# the page's tabs, in order; only the open one is built (a tab switch reruns)
TABS = ("县区对比", "进度晾晒", "全市目标", "月度对比", "项目列表", "导出", "督办清单")


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """Return the first table with ``column``, opening the tabs in turn until one shows it."""
    for tab in (None, *TABS):
        if tab is not None:
            at.session_state["tabs"] = tab
            at.run()
        for frame in at.dataframe:
            if column in frame.value.columns:
                return frame.value
    raise AssertionError(f"no table with {column!r}")


def _metric_labels(at: AppTest) -> list[str]:
    return [m.label for m in at.metric]


def test_month_picker_defaults_to_latest_and_follows_choice(app):
    app.run()
    assert not app.exception
    picker = app.selectbox(key="period")
    assert picker.value == "2025-12"
    assert picker.options[0] == "截至 2025年12月"
    assert "period" not in app.query_params
    assert any(label.startswith("截至 2025年12月") for label in _metric_labels(app))
    picker.set_value("2025-09").run()
    assert not app.exception
    assert app.query_params["period"] == "2025-09"
    assert any(label.startswith("截至 2025年9月") for label in _metric_labels(app))
    table = _table(app, "序时进度（%）")
    assert set(table["序时进度（%）"]) == {"75.0"}


def test_view_switch_goes_to_the_url(app):
    app.run()
    switch = app.radio(key="map_mode")
    assert switch.value == "category"
    assert switch.options == ["按类别", "按进度"]
    switch.set_value("progress").run()
    assert not app.exception
    assert app.query_params["mode"] == "progress"
    switch.set_value("category").run()
    assert "mode" not in app.query_params


def test_url_round_trip(app):
    app.query_params["period"] = "2025年6月"
    app.query_params["mode"] = "progress"
    app.query_params["cmp"] = "2025-03"
    app.run()
    assert not app.exception
    assert app.selectbox(key="period").value == "2025-06"
    assert app.radio(key="map_mode").value == "progress"
    assert app.selectbox(key="cmp").value == "2025-03"
    assert app.query_params["period"] == "2025-06"
    assert app.query_params["cmp"] == "2025-03"


def test_bad_url_values_fall_back(app):
    app.query_params["period"] = "2025-13"
    app.query_params["mode"] = "<script>"
    app.query_params["cmp"] = "soon"
    app.session_state["tabs"] = "月度对比"
    app.run()
    assert not app.exception
    assert app.selectbox(key="period").value == "2025-12"
    assert app.radio(key="map_mode").value == "category"
    assert app.selectbox(key="cmp").value == ""


def test_county_table_ranks_with_change_arrows(app):
    app.query_params["period"] = "2025-09"
    app.run()
    table = _table(app, "较上月")
    assert len(table) == 12
    ranked = [int(r) for r in table["排名"] if r != "—"]
    assert ranked == sorted(ranked) and ranked[0] == 1
    rates = [float(v) for v in table["完成率（%）"] if v != "—"]
    assert rates == sorted(rates, reverse=True)
    changes = set(table["较上月"])
    assert changes <= {"—", "→"} | {f"{a}{n}" for a in "↑↓" for n in range(1, 12)}
    assert changes & {f"{a}{n}" for a in "↑↓" for n in range(1, 12)}


def test_compare_two_months(app):
    app.query_params["period"] = "2025-09"
    app.session_state["tabs"] = "月度对比"
    app.run()
    assert "新开工" not in _metric_labels(app)
    app.selectbox(key="cmp").set_value("2025-03").run()
    assert not app.exception
    assert app.query_params["cmp"] == "2025-03"
    labels = _metric_labels(app)
    for label in ("新开工", "新竣工投产", "阶段变化", "滞后加剧", "进度好转", "新增完成投资"):
        assert label in labels
    changes = _table(app, "变化")
    assert {"新开工", "新增完成投资"} <= set(changes["变化"])
    # a later month cannot be compared with
    assert "2025-10" not in app.selectbox(key="cmp").options


def test_project_panel_shows_monthly_text_literally_and_no_zero(app):
    plans, reports = app.frames["plans"], app.frames["progress"].copy()
    pid = str(plans["project_id"].iloc[0])
    mine = reports.index[reports["project_id"] == pid]
    for i, text in zip(mine, HOSTILE_TEXTS, strict=False):
        reports.loc[i, "image_progress"] = text
    # march not reported
    reports = reports.drop(mine[2])
    app.frames["progress"] = reports
    app.query_params["period"] = "2025-06"
    app.session_state["project"] = pid
    app.run()
    assert not app.exception
    table = _table(app, "形象进度")
    assert len(table) == 6
    expected = [HOSTILE_TEXTS[0], HOSTILE_TEXTS[1], "", *HOSTILE_TEXTS[3:6]]
    assert list(table["形象进度"]) == expected
    assert table["累计完成（亿元）"].iloc[2] == "未报送"
    assert table["状态"].iloc[2] == "未报送"


def test_no_progress_data_shows_no_plan_not_zero(app):
    app.frames["plans"] = app.frames["plans"].iloc[0:0]
    app.frames["progress"] = app.frames["progress"].iloc[0:0]
    app.query_params["mode"] = "progress"
    app.run()
    assert not app.exception
    table = _table(app, "较上月")
    assert set(table["年度计划投资（亿元）"]) == {"无计划"}
    assert "0.00" not in set(table["累计完成投资（亿元）"])
    assert any("还没有年度计划" in i.value for i in app.info)


def test_supervision_list_lists_lagging_projects_by_county(app):
    app.query_params["period"] = "2025-09"
    app.run()
    table = _table(app, "报送单位")
    assert len(table) > 0
    assert set(table["状态"]) <= {"滞后", "严重滞后"}
    assert any(b.label == "下载督办清单（PDF）" for b in app.get("download_button"))
