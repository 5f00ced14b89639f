"""County 晾晒 ranking, the city against its targets, month comparison and synthetic progress."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bench.synthetic import synthetic_projects
from bench.synthetic_progress import synthetic_plans_and_progress
from geodata.boundaries import load_counties
from geodata.progress import (
    PLAN_COLUMNS,
    REPORT_COLUMNS,
    Period,
    fill_cumulative,
    lag_status,
    lag_statuses,
    plans_frame,
    reports_frame,
    year_periods,
)
from geodata.progress.compare import Change, compare_periods
from geodata.progress.summaries import (
    RANKING_COLUMNS,
    SUPERVISION_COLUMNS,
    TargetMeasure,
    city_against_targets,
    county_ranking,
    supervision_list,
)
from geodata.register import load_figures, load_register
from tests._frames import make_projects

AUG, SEP = Period(2025, 8), Period(2025, 9)


@pytest.fixture(scope="module")
def counties():
    return load_counties()


def _plans(plan: dict[str, float]) -> pd.DataFrame:
    return plans_frame(
        [{"project_id": p, "year": 2025, "annual_plan_yi": v} for p, v in plan.items()]
    )


def _reports(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return reports_frame(
        [
            {"project_id": p, "period": period, "cumulative_yi": c, "stage": s}
            for p, period, c, s in rows
        ]
    )


# ranking: A and B tie in September, C falls back, E is planned but never reports
RANK_PROJECTS = pd.DataFrame(
    {
        "id": ["A", "B", "C", "D", "E", "F"],
        "resolved_adcode": ["140403", "140404", "140405", "140405", "140406", ""],
    }
)
RANK_PLANS = {"A": 10.0, "B": 10.0, "C": 10.0, "E": 10.0}
RANK_REPORTS = [
    ("A", "2025-08", 5.0, "construction"),
    ("B", "2025-08", 7.0, "construction"),
    ("C", "2025-08", 6.0, "construction"),
    ("D", "2025-08", 1.0, "construction"),
    ("A", "2025-09", 8.0, "operation"),
    ("B", "2025-09", 8.0, "construction"),
    ("C", "2025-09", 5.0, "construction"),
    ("D", "2025-09", 2.0, "construction"),
]


def test_county_ranking_with_ties_and_rank_change(counties):
    statuses = lag_statuses(
        _plans(RANK_PLANS), _reports(RANK_REPORTS), [AUG, SEP], projects=RANK_PROJECTS
    )
    table = county_ranking(statuses, RANK_PROJECTS, counties, SEP, previous=statuses)
    assert list(table.columns) == list(RANKING_COLUMNS)
    assert len(table) == 12
    assert table.index[:3].tolist() == ["140403", "140404", "140405"]
    top = table.loc[["140403", "140404", "140405"]]
    assert top["rank"].tolist() == [1, 1, 3]
    assert top["previous_rank"].tolist() == [3, 1, 2]
    assert top["rank_change"].tolist() == [2, 0, -1]
    np.testing.assert_allclose(top["completion_pct"], [80.0, 80.0, 50.0])
    np.testing.assert_allclose(top["gap_points"], [-5.0, -5.0, 25.0])
    assert top["planned_yi"].tolist() == [10.0, 10.0, 10.0]
    assert top["completed"].tolist() == [1, 0, 0]
    assert top["lagging"].tolist() == [0, 0, 1]
    # D has no plan: counted as a project, not in the plan figures
    assert table.loc["140405", ["projects", "planned_projects"]].tolist() == [2, 1]
    # E never reports: no rate and no rank, never 0
    lucheng = table.loc["140406"]
    assert lucheng["not_reported"] == 1
    assert math.isnan(lucheng["completed_yi"])
    assert pd.isna(lucheng["rank"])
    assert table["rank"].iloc[3:].isna().all()
    assert table.index[3:].tolist() == [a for a in counties["adcode"] if a not in top.index]
    # F has no county: left out of the table and counted
    assert table.attrs["unplaced"] == 1
    assert table["projects"].sum() == 5


def test_county_ranking_without_previous_month_and_joining_points(counties):
    projects = make_projects(
        [
            {
                "id": "A",
                "name_zh": "甲",
                "category": "industry",
                "subcategory": "electronics",
                "lon": 113.11,
                "lat": 36.19,
            },
            {
                "id": "B",
                "name_zh": "乙",
                "category": "energy",
                "subcategory": "storage",
                "lon": 113.11,
                "lat": 36.19,
                "county_adcode": "",
            },
        ]
    )
    status = lag_status(
        _plans({"A": 4.0, "B": 4.0}),
        _reports([("A", "2025-09", 3.0, ""), ("B", "2025-09", 1.0, "")]),
        SEP,
        projects=projects,
    )
    table = county_ranking(status, projects, counties, SEP)
    luzhou = table.loc["140403"]
    assert luzhou["projects"] == 2
    assert luzhou["completion_pct"] == pytest.approx(50.0)
    assert table["previous_rank"].isna().all()
    assert table["rank_change"].isna().all()
    # a previous frame without the month before gives no rank change
    assert (
        county_ranking(status, projects, counties, SEP, previous=status)["rank_change"].isna().all()
    )
    with pytest.raises(ValueError, match="no statuses"):
        county_ranking(status, projects, counties, AUG)


FAMILY_PROJECTS = pd.DataFrame(
    {
        "id": ["plant", "pv", "water", "silent"],
        "category": ["industry", "energy", "livelihood", "industry"],
        "subcategory": ["electronics", "photovoltaic", "water", "electronics"],
    }
)


def _figures(industrial: float, infrastructure: float, completed: float) -> pd.DataFrame:
    figures = load_figures().set_index("key")
    figures.loc["target_industrial_investment", "value"] = industrial
    figures.loc["target_infrastructure_investment", "value"] = infrastructure
    figures.loc["target_industrial_projects_completed", "value"] = completed
    return figures.reset_index()


def test_city_against_targets_reads_the_targets_by_key():
    plans = _plans({"plant": 10.0, "pv": 10.0, "water": 10.0, "silent": 10.0})
    reports = _reports(
        [
            ("plant", "2025-08", 3.0, "construction"),
            ("pv", "2025-08", 2.0, "construction"),
            ("plant", "2025-09", 5.0, "operation"),
            ("pv", "2025-09", 4.0, "construction"),
            ("water", "2025-09", 6.0, "operation"),
        ]
    )
    statuses = lag_statuses(plans, reports, [AUG, SEP], projects=FAMILY_PROJECTS)
    chart = city_against_targets(statuses, FAMILY_PROJECTS, plans, figures=_figures(100, 50, 4))
    wide = chart.pivot(index="period", columns="measure", values="value")
    assert wide.loc[SEP.to_pandas()].to_dict() == {
        "industrial_yi": 9.0,
        "infrastructure_public_yi": 6.0,
        "industrial_completed": 1.0,
    }
    # no infrastructure report in August: nan, never 0
    assert math.isnan(wide.loc[AUG.to_pandas(), "infrastructure_public_yi"])
    sep = chart[chart["period"] == SEP.to_pandas()].set_index("measure")
    assert sep["target"].tolist() == [100.0, 50.0, 4.0]
    assert sep["pct"].tolist() == [9.0, 12.0, 25.0]
    assert sep["time_share_pct"].tolist() == [75.0] * 3
    assert sep.loc["industrial_completed", "unit"] == "个"
    assert sep.index.tolist() == [m.value for m in TargetMeasure]
    # the bundled figures: 750 / 400 / 500
    bundled = city_against_targets(statuses, FAMILY_PROJECTS, plans).drop_duplicates("measure")
    assert bundled["target"].tolist() == [750.0, 400.0, 500.0]
    broken = load_figures().query("key != 'target_industrial_investment'")
    with pytest.raises(ValueError, match="target_industrial_investment"):
        city_against_targets(statuses, FAMILY_PROJECTS, plans, figures=broken)


def test_compare_periods_lists_each_change():
    plans = _plans({"S": 10.0, "C": 10.0, "W": 10.0, "I": 10.0, "R": 10.0, "N": 10.0})
    reports = reports_frame(
        [
            {"project_id": "S", "period": "2025-08", "cumulative_yi": 0.0, "stage": "reserve"},
            {"project_id": "S", "period": "2025-09", "cumulative_yi": 1.0, "stage": "construction"},
            {"project_id": "C", "period": "2025-08", "cumulative_yi": 7.0, "stage": "construction"},
            {
                "project_id": "C",
                "period": "2025-09",
                "cumulative_yi": 9.0,
                "actual_completion": "2025-09",
            },
            {"project_id": "W", "period": "2025-08", "cumulative_yi": 6.0, "stage": "construction"},
            {"project_id": "W", "period": "2025-09", "cumulative_yi": 6.0, "stage": "construction"},
            {"project_id": "I", "period": "2025-08", "cumulative_yi": 3.0, "stage": "construction"},
            {"project_id": "I", "period": "2025-09", "cumulative_yi": 7.0, "stage": "construction"},
        ]
    )
    a = lag_status(plans, reports, AUG, projects=["S", "C", "W", "I", "R"])
    b = lag_status(plans, reports, SEP, projects=["S", "C", "W", "I", "N"])
    result = compare_periods(a, b)
    by_change = result.changes.groupby("change")["id"].apply(list).to_dict()
    assert by_change == {
        "new": ["N"],
        "removed": ["R"],
        "started": ["S"],
        "completed": ["C"],
        "stage_moved": ["S"],
        "lag_worsened": ["W"],
        "lag_improved": ["I"],
        "investment_added": ["C", "I", "S"],
    }
    assert result.counts.to_dict() == {c.value: len(by_change.get(c.value, [])) for c in Change}
    assert result.added_yi == pytest.approx(7.0)
    worse = result.changes.set_index("change").loc["lag_worsened"]
    assert (worse["status_a"], worse["status_b"]) == ("on_track", "lagging")
    # across a year end nothing is added up
    january = lag_status(plans, reports, Period(2026, 1), projects=["S"])
    across = compare_periods(lag_status(plans, reports, SEP, projects=["S"]), january)
    assert math.isnan(across.added_yi)
    assert across.counts["investment_added"] == 0


def test_synthetic_progress_is_labelled_and_shaped_like_the_report():
    n = 600
    projects = synthetic_projects(n, seed=3)
    plans, raw = synthetic_plans_and_progress(projects, seed=3)
    assert list(plans.columns) == [*PLAN_COLUMNS, "synthetic"]
    assert list(raw.columns) == [*REPORT_COLUMNS, "synthetic"]
    assert plans["synthetic"].all()
    assert raw["synthetic"].all()
    assert raw["project_id"].str.startswith("SYN-").all()
    assert raw["image_progress"].str.startswith("合成数据").all()
    assert (raw["source_file"] == "synthetic").all()
    assert 0.95 * n * 12 < len(raw) < n * 12
    reports, _ = fill_cumulative(raw)
    statuses = lag_statuses(plans, reports, year_periods(2025), projects=projects)
    december = statuses[statuses["period"] == Period(2025, 12).to_pandas()]
    expected = 956 * n / 2537
    assert 0.85 * expected < december["cumulative_yi"].sum() < 1.05 * expected
    lagging = december["status"].isin(["lagging", "severely_lagging"]).mean()
    assert 0.05 < lagging < 0.5
    assert (december["status"] == "no_plan").any()
    # the same seed gives the same frames
    again_plans, again_raw = synthetic_plans_and_progress(projects, seed=3)
    pd.testing.assert_frame_equal(again_raw, raw)
    pd.testing.assert_frame_equal(again_plans, plans)


def test_synthetic_progress_refuses_real_projects():
    with pytest.raises(ValueError, match="SYN-"):
        synthetic_plans_and_progress(load_register())


def test_supervision_list_groups_lagging_projects_by_county(counties):
    projects = RANK_PROJECTS.assign(name_zh=["甲", "乙", "丙", "丁", "戊", "己"])
    hostile = '<img src=x onerror="document.body.dataset.pwned=1">'
    reports = reports_frame(
        [
            {
                "project_id": "A",
                "period": "2025-09",
                "cumulative_yi": 2.0,
                "reporting_unit": "潞州区发改局",
            },
            {"project_id": "B", "period": "2025-09", "cumulative_yi": 8.0},
            {
                "project_id": "C",
                "period": "2025-09",
                "cumulative_yi": 5.0,
                "image_progress": hostile,
            },
            {"project_id": "E", "period": "2025-09", "cumulative_yi": 4.0},
            {
                "project_id": "E",
                "period": "2025-08",
                "cumulative_yi": 3.0,
                "reporting_unit": "八月",
            },
        ]
    )
    status = lag_status(_plans(RANK_PLANS), reports, SEP, projects=projects)
    table = supervision_list(status, projects, reports, counties, SEP)
    assert list(table.columns) == list(SUPERVISION_COLUMNS)
    assert table["id"].tolist() == ["A", "C", "E"]
    assert table["county_zh"].tolist() == ["潞州区", "屯留区", "潞城区"]
    assert table["status"].tolist() == ["severely_lagging", "lagging", "severely_lagging"]
    np.testing.assert_allclose(table["gap_points"], [55.0, 25.0, 35.0])
    assert table["reporting_unit"].tolist() == ["潞州区发改局", "", ""]
    assert table.loc[1, "image_progress"] == hostile
