"""The progress map layers: status colours per point, worst status ranks, county shading."""

from __future__ import annotations

import json
import re

import folium
import numpy as np
import pandas as pd
import pytest

from bench.synthetic import synthetic_projects
from bench.synthetic_progress import synthetic_plans_and_progress
from geodata.boundaries import load_counties
from geodata.progress import (
    LagStatus,
    Period,
    compare_periods,
    county_ranking,
    fill_cumulative,
    lag_statuses,
)
from geodata.settings import LAG_STATUS_COLORS, LAG_STATUS_RANK, PROGRESS_SHADING_COLORS
from layers.progress import (
    change_layers,
    point_status,
    progress_layers,
    progress_legend,
    progress_shading,
    shading_class,
)
from layers.progress_text import rank_change_text, yi_text

SEPTEMBER = Period(2025, 9)


@pytest.fixture(scope="module")
def month():
    projects = synthetic_projects(120)
    plans, reports = synthetic_plans_and_progress(projects)
    reports = fill_cumulative(reports)[0]
    statuses = lag_statuses(plans, reports, [Period(2025, 8), SEPTEMBER], projects=projects)
    return projects, statuses


def _payloads(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r"CzProjects\.layer\((\{.*?\})\)\.addTo", html)]


def test_points_carry_their_status_and_the_ranked_table(month):
    projects, statuses = month
    sept = statuses[statuses["period"] == SEPTEMBER.to_pandas()]
    m = folium.Map()
    for group in progress_layers(projects, sept):
        group.add_to(m)
    html = m.get_root().render()
    payloads = _payloads(html)
    assert [p["cat"] for p in payloads] == ["energy", "industry", "livelihood"]
    table = payloads[0]["status_table"]
    assert [row[0] for row in table] == [LAG_STATUS_COLORS[s.value] for s in LagStatus]
    assert [row[2] for row in table] == [LAG_STATUS_RANK[s.value] for s in LagStatus]
    assert table[3][1] == "严重滞后"
    assert sum(p["n"] for p in payloads) == len(projects)
    assert payloads[0]["labels"]["status"] == "序时进度"


def test_point_status_codes_follow_the_ids(month):
    _, statuses = month
    sept = statuses[statuses["period"] == SEPTEMBER.to_pandas()]
    ids = pd.Series([sept["id"].iloc[3], "UNKNOWN", sept["id"].iloc[0]])
    status = point_status(ids, sept, lang="en")
    order = [s.value for s in LagStatus]
    assert order[status.codes[0]] == sept["status"].iloc[3]
    # an id without a row is drawn as no plan, never as a number
    assert order[status.codes[1]] == "no_plan"
    assert status.table[4][1] == "No plan"


def test_county_shading_by_gap_to_the_time_share(month):
    projects, statuses = month
    counties = load_counties()
    ranking = county_ranking(statuses, projects, counties, SEPTEMBER, previous=statuses)
    m = folium.Map()
    progress_shading(counties, ranking).add_to(m)
    m.add_child(progress_legend())
    html = m.get_root().render()
    for adcode, gap in ranking["gap_points"].items():
        assert PROGRESS_SHADING_COLORS[shading_class(gap)] in html, adcode
    assert "序时进度" in html


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        (-3.0, "ahead"),
        (0.0, "ahead"),
        (10.0, "behind_10"),
        (10.01, "behind_25"),
        (25.0, "behind_25"),
        (40.0, "behind_more"),
        (np.nan, "no_plan"),
    ],
)
def test_shading_class_uses_the_lag_thresholds(gap, expected):
    assert shading_class(gap) == expected


def test_absent_amounts_are_words_not_zero():
    assert yi_text(np.nan, missing=LagStatus.NO_PLAN) == "无计划"
    assert yi_text(None, "en", missing=LagStatus.NOT_REPORTED) == "Not reported"
    assert yi_text(0.0, missing=LagStatus.NO_PLAN) == "0.00"
    assert [rank_change_text(v) for v in (2, -1, 0, pd.NA)] == ["↑2", "↓1", "→", "—"]


def test_change_layers_draw_only_changed_projects(month):
    projects, statuses = month
    a = statuses[statuses["period"] == Period(2025, 8).to_pandas()]
    b = statuses[statuses["period"] == SEPTEMBER.to_pandas()]
    comparison = compare_periods(a, b)
    m = folium.Map()
    for group in change_layers(projects, comparison.changes):
        group.add_to(m)
    payloads = _payloads(m.get_root().render())
    assert sum(p["n"] for p in payloads) == comparison.changes["id"].nunique()
    assert payloads[0]["status_table"][0][1] == "新竣工投产"
