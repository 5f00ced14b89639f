"""Periods, cumulative filling and the 序时进度 lag rule, table-driven."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from geodata.i18n import Lang, label
from geodata.progress import (
    FILLED_COLUMN,
    STATUS_COLUMNS,
    LagStatus,
    Period,
    PeriodError,
    WarningKind,
    duplicate_reports,
    fill_cumulative,
    lag_status,
    lag_statuses,
    plans_frame,
    reports_frame,
    target_family,
    year_periods,
)
from geodata.settings import LAG_ON_TRACK_POINTS, LAG_SEVERE_POINTS

TODAY = dt.date(2025, 12, 15)
# the hostile set every new surface is tested with
HOSTILE_TEXTS = (
    '<img src=x onerror="document.body.dataset.pwned=1">',
    "${document.body.dataset.pwned=2}",
    "back`tick`${1+1}",
    "$\\frac{1}{2}$",
    "D:\\资料\\x4",
    '=HYPERLINK("http://x","y")',
    "\u202e2025-09",
    "项" * 2000,
    "[点此](https://evil.example)",
)


# periods


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2025-09", None, (2025, 9)),
        ("2025-9", None, (2025, 9)),
        ("2025/09", None, (2025, 9)),
        ("2025.9", None, (2025, 9)),
        ("2025年9月", None, (2025, 9)),
        ("2025年09月份", None, (2025, 9)),
        ("2025年九月", None, (2025, 9)),
        ("2025年12月末", None, (2025, 12)),
        ("２０２５年９月", None, (2025, 9)),
        ("２０２５－０９", None, (2025, 9)),
        (" 2025-09 ", None, (2025, 9)),
        ("202509", None, (2025, 9)),
        ("2025-09-30", None, (2025, 9)),
        ("9月", 2025, (2025, 9)),
        ("９月", 2025, (2025, 9)),
        ("十一月", 2025, (2025, 11)),
        ("9", 2025, (2025, 9)),
        (dt.date(2025, 9, 30), None, (2025, 9)),
        (pd.Period("2025-09", "M"), None, (2025, 9)),
    ],
)
def test_period_parse_accepts_county_office_spellings(text, year, expected):
    period = Period.parse(text, year=year, today=TODAY)
    assert (period.year, period.month) == expected


@pytest.mark.parametrize(
    ("text", "year", "zh", "en"),
    [
        ("2025-13", None, "月份须为 1–12", "month must be 1–12"),
        ("2025-00", None, "月份须为 1–12", "month must be 1–12"),
        ("2025年13月", None, "月份须为 1–12", "month must be 1–12"),
        ("0月", 2025, "月份须为 1–12", "month must be 1–12"),
        ("13", 2025, "月份须为 1–12", "month must be 1–12"),
        ("9月", None, "只有月份", "gives no year"),
        ("", None, "报告期为空", "period is empty"),
        ("2026-01", None, "晚于当前月份", "after the current month"),
        ("2025年十三月", None, "无法识别报告期", "not a period"),
        ("1899-05", None, "年份须在", "year must be"),
    ],
)
def test_period_parse_refuses_with_bilingual_message(text, year, zh, en):
    with pytest.raises(PeriodError) as err:
        Period.parse(text, year=year, today=TODAY)
    assert zh in str(err.value)
    assert en in str(err.value)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_period_parse_refuses_hostile_text_without_echoing_it_whole(text):
    with pytest.raises(PeriodError) as err:
        Period.parse(text, year=2025, today=TODAY)
    message = str(err.value)
    assert "(" in message  # zh and en
    assert len(message) < 200


def test_period_after_today_is_refused_but_the_current_month_is_accepted():
    assert Period.parse("2025-12", today=TODAY) == Period(2025, 12)
    with pytest.raises(PeriodError, match="2026年1月"):
        Period.parse("2026年1月", today=TODAY)
    with pytest.raises(PeriodError):
        Period.parse("12月", year=2026, today=TODAY)


def test_period_labels_ordinals_and_arithmetic():
    p = Period(2025, 9)
    assert p.label(Lang.ZH) == "2025年9月"
    assert p.label(Lang.EN) == "Sep 2025"
    assert str(p) == "2025-09"
    assert p.ordinal == pd.Period("2025-09", "M").ordinal
    assert Period.from_ordinal(p.ordinal) == p
    assert Period(2025, 1).previous() == Period(2024, 12)
    assert Period(2025, 12).time_share == 1.0
    assert Period(2024, 12) < Period(2025, 1)
    assert [str(x) for x in year_periods(2025, through=3)] == ["2025-01", "2025-02", "2025-03"]


# frames and cumulative filling


def _reports(rows: list[dict]) -> pd.DataFrame:
    return reports_frame([{"source_row": i + 2, **r} for i, r in enumerate(rows)])


def test_frames_take_the_schema_dtypes_and_refuse_bad_values():
    plans = plans_frame([{"project_id": "A", "year": 2025, "annual_plan_yi": 3}])
    assert plans.loc[0, "pool_stage"] == "unknown"
    assert str(plans["planned_start"].dtype) == "period[M]"
    assert pd.isna(plans.loc[0, "planned_start"])
    with pytest.raises(ValueError, match="pool_stage"):
        plans_frame([{"project_id": "A", "year": 2025, "pool_stage": "建设"}])
    with pytest.raises(ValueError, match="two plans"):
        plans_frame([{"project_id": "A", "year": 2025}, {"project_id": "A", "year": 2025}])
    with pytest.raises(ValueError, match="negative"):
        reports_frame([{"project_id": "A", "period": "2025-01", "month_yi": -1.0}])
    with pytest.raises(ValueError, match="period missing"):
        reports_frame([{"project_id": "A", "cumulative_yi": 1.0}])


# (period, cumulative, month) per row of one project -> filled cumulatives, warning kinds
FILL_CASES = [
    ("cumulatives only", [("2025-01", 1, None), ("2025-02", 3, None)], [1, 3], []),
    (
        "months only",
        [("2025-01", None, 1), ("2025-02", None, 2), ("2025-03", None, 0.5)],
        [1, 3, 3.5],
        [],
    ),
    (
        "a month with only 本月完成",
        [("2025-07", 4, None), ("2025-08", None, 1.5), ("2025-09", 6, None)],
        [4, 5.5, 6],
        [],
    ),
    (
        "missing previous month counts as 0",
        [("2025-07", 4, None), ("2025-09", None, 1)],
        [4, 5],
        [WarningKind.MISSING_MONTH],
    ),
    (
        "first report of the year after January",
        [("2025-03", None, 2)],
        [2],
        [WarningKind.MISSING_MONTH],
    ),
    (
        "cumulative going down",
        [("2025-05", 5, None), ("2025-06", 4, None)],
        [5, 4],
        [WarningKind.DECREASE],
    ),
    (
        "mismatch of both amounts",
        [("2025-01", 1, 1), ("2025-02", 5, 1)],
        [1, 5],
        [WarningKind.MISMATCH],
    ),
    (
        "no amount at all",
        [("2025-01", 1, None), ("2025-02", None, None)],
        [1, math.nan],
        [WarningKind.NO_AMOUNT],
    ),
    ("a new year starts from 0", [("2024-12", 10, None), ("2025-01", None, 1)], [10, 1], []),
]


@pytest.mark.parametrize(
    ("case", "rows", "expected", "kinds"), FILL_CASES, ids=[c[0] for c in FILL_CASES]
)
def test_fill_cumulative(case, rows, expected, kinds):
    reports = _reports(
        [{"project_id": "P", "period": p, "cumulative_yi": c, "month_yi": m} for p, c, m in rows]
    )
    filled, warnings = fill_cumulative(reports)
    np.testing.assert_allclose(filled["cumulative_yi"], expected)
    assert [w.kind for w in warnings] == kinds
    for w in warnings:
        assert w.project_id == "P"
        assert w.message_zh
        assert w.message_en
        assert w.source_row >= 2


def test_fill_cumulative_names_the_missing_months_and_keeps_row_order():
    reports = _reports(
        [
            {"project_id": "B", "period": "2025-05", "month_yi": 1.0},
            {"project_id": "A", "period": "2025-02", "month_yi": 2.0},
            {"project_id": "A", "period": "2025-01", "cumulative_yi": 1.0},
        ]
    )
    filled, warnings = fill_cumulative(reports)
    assert filled.index.tolist() == reports.index.tolist()
    assert filled["project_id"].tolist() == ["B", "A", "A"]
    assert filled[FILLED_COLUMN].tolist() == [True, True, False]
    np.testing.assert_allclose(filled["cumulative_yi"], [1.0, 3.0, 1.0])
    (warning,) = warnings
    assert "2025年1月至2025年4月未报送" in warning.message_zh
    assert "Jan 2025 to Apr 2025" in warning.message_en
    assert warning.period == Period(2025, 5)
    assert warning.source_row == 2


def test_duplicate_reports_are_found_and_refused():
    reports = _reports(
        [
            {"project_id": "A", "period": "2025-09", "cumulative_yi": 1.0},
            {"project_id": "B", "period": "2025-09", "cumulative_yi": 1.0},
            {"project_id": "A", "period": "2025年9月", "cumulative_yi": 2.0},
            {"project_id": "A", "period": "2025-08", "cumulative_yi": 0.5},
        ]
    )
    dups = duplicate_reports(reports)
    assert dups["project_id"].tolist() == ["A", "A"]
    assert dups["source_row"].tolist() == [2, 4]
    with pytest.raises(ValueError, match="two reports"):
        fill_cumulative(reports)
    with pytest.raises(ValueError, match="duplicate_reports"):
        lag_status(plans_frame([]), reports, Period(2025, 9))
    assert duplicate_reports(reports.drop(index=2)).empty


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_image_progress_is_kept_literally(text):
    reports = _reports(
        [{"project_id": "A", "period": "2025-01", "month_yi": 1.0, "image_progress": text}]
    )
    filled, _ = fill_cumulative(reports)
    assert filled.loc[0, "image_progress"] == text


# the lag rule


def _status_of(plan: float | None, cumulative: float | None, month: int) -> pd.Series:
    """Status row of one project with the given plan and cumulative at ``month`` 2025."""
    plans = plans_frame(
        [] if plan is None else [{"project_id": "P", "year": 2025, "annual_plan_yi": plan}]
    )
    rows = (
        []
        if cumulative is None
        else [{"project_id": "P", "period": f"2025-{month:02d}", "cumulative_yi": cumulative}]
    )
    status = lag_status(plans, reports_frame(rows), Period(2025, month), projects=["P"])
    assert list(status.columns) == list(STATUS_COLUMNS)
    assert len(status) == 1
    return status.iloc[0]


# (case, plan, cumulative, month, status, completion %)
LAG_CASES = [
    ("plan 0", 0.0, 3.0, 9, LagStatus.NO_PLAN, math.nan),
    ("no plan for the year", None, 3.0, 9, LagStatus.NO_PLAN, math.nan),
    ("no plan and no report", None, None, 9, LagStatus.NO_PLAN, math.nan),
    ("plan but no report", 12.0, None, 9, LagStatus.NOT_REPORTED, math.nan),
    ("completion above the plan", 10.0, 15.0, 9, LagStatus.AHEAD, 150.0),
    ("exactly the time share", 12.0, 9.0, 9, LagStatus.AHEAD, 75.0),
    ("a little below", 12.0, 8.0, 9, LagStatus.ON_TRACK, 200 / 3),
    ("10 points below", 10.0, 6.5, 9, LagStatus.ON_TRACK, 65.0),
    ("just over 10 below", 10.0, 6.49, 9, LagStatus.LAGGING, 64.9),
    ("25 points below", 10.0, 5.0, 9, LagStatus.LAGGING, 50.0),
    ("just over 25 below", 10.0, 4.99, 9, LagStatus.SEVERELY_LAGGING, 49.9),
    ("nothing done", 10.0, 0.0, 9, LagStatus.SEVERELY_LAGGING, 0.0),
    ("December complete", 10.0, 10.0, 12, LagStatus.AHEAD, 100.0),
    ("December 90 %", 10.0, 9.0, 12, LagStatus.ON_TRACK, 90.0),
    ("December 80 %", 10.0, 8.0, 12, LagStatus.LAGGING, 80.0),
    ("January", 12.0, 0.5, 1, LagStatus.ON_TRACK, 100 * 0.5 / 12),
]


@pytest.mark.parametrize(
    ("case", "plan", "cum", "month", "status", "pct"), LAG_CASES, ids=[c[0] for c in LAG_CASES]
)
def test_lag_rule(case, plan, cum, month, status, pct):
    row = _status_of(plan, cum, month)
    assert row["status"] == status.value
    assert row["time_share_pct"] == pytest.approx(month / 12 * 100)
    if math.isnan(pct):
        assert math.isnan(row["completion_pct"])
    else:
        assert row["completion_pct"] == pytest.approx(pct)
    # nothing invented: no report is nan, never 0
    assert math.isnan(row["cumulative_yi"]) == (cum is None)
    assert math.isnan(row["annual_plan_yi"]) == (plan is None)


def test_thresholds_come_from_settings():
    assert (LAG_ON_TRACK_POINTS, LAG_SEVERE_POINTS) == (10.0, 25.0)
    assert [label(s, Lang.ZH) for s in LagStatus] == [
        "超序时",
        "正常",
        "滞后",
        "严重滞后",
        "无计划",
        "未报送",
    ]
    assert [s.value for s in LagStatus] == [
        "ahead",
        "on_track",
        "lagging",
        "severely_lagging",
        "no_plan",
        "not_reported",
    ]


def test_missing_months_and_a_month_with_only_its_amount_through_the_rule():
    plans = plans_frame([{"project_id": "P", "year": 2025, "annual_plan_yi": 24.0}])
    raw = reports_frame(
        [
            {"project_id": "P", "period": "2025-01", "cumulative_yi": 1.0},
            {"project_id": "P", "period": "2025-03", "month_yi": 2.0},
            {"project_id": "P", "period": "2025-04", "month_yi": 1.0},
        ]
    )
    reports, warnings = fill_cumulative(raw)
    assert [w.kind for w in warnings] == [WarningKind.MISSING_MONTH]
    status = lag_statuses(plans, reports, year_periods(2025, through=4))
    assert status["status"].tolist() == ["on_track", "not_reported", "lagging", "lagging"]
    np.testing.assert_allclose(status["cumulative_yi"], [1.0, math.nan, 3.0, 4.0])


def test_register_projects_without_plan_or_report_get_a_row_each():
    plans = plans_frame([{"project_id": "A", "year": 2025, "annual_plan_yi": 1.0}])
    reports = reports_frame([{"project_id": "Z", "period": "2025-09", "cumulative_yi": 1.0}])
    status = lag_status(plans, reports, Period(2025, 9), projects=pd.DataFrame({"id": ["A", "B"]}))
    assert status["id"].tolist() == ["A", "B"]
    assert status["status"].tolist() == ["not_reported", "no_plan"]
    assert status["started"].isna().all()
    # a report without an id belongs to no project
    blank = reports_frame([{"project_id": "", "period": "2025-09", "cumulative_yi": 5.0}])
    assert lag_status(plans, blank, Period(2025, 9), projects=["A"])["status"].tolist() == [
        "not_reported"
    ]
    # without a register every id with a plan or a report gets a row
    assert lag_status(plans, reports, Period(2025, 9))["id"].tolist() == ["A", "Z"]


def _bools(column: pd.Series) -> dict:
    """A nullable boolean column as a dict of True/False/None."""
    return {k: None if pd.isna(v) else bool(v) for k, v in column.items()}


def test_late_start_and_overdue_completion():
    plans = plans_frame(
        [
            {
                "project_id": pid,
                "year": 2025,
                "annual_plan_yi": 10.0,
                "planned_start": "2025-03",
                "planned_completion": "2025-10",
            }
            for pid in ("late", "started", "silent", "done")
        ]
    )
    reports = reports_frame(
        [
            {"project_id": "late", "period": "2025-03", "cumulative_yi": 0.0, "stage": "reserve"},
            {
                "project_id": "started",
                "period": "2025-03",
                "cumulative_yi": 1.0,
                "actual_start": "2025-02",
            },
            {
                "project_id": "done",
                "period": "2025-03",
                "cumulative_yi": 1.0,
                "stage": "construction",
            },
            {
                "project_id": "done",
                "period": "2025-10",
                "cumulative_yi": 9.0,
                "actual_completion": "2025-10",
            },
        ]
    )
    feb, mar, octo = (
        lag_status(plans, reports, Period(2025, m)).set_index("id") for m in (2, 3, 10)
    )
    assert not feb["late_start"].any()
    assert _bools(mar["late_start"]) == {
        "late": True,
        "started": False,
        "silent": None,
        "done": False,
    }
    assert _bools(mar["started"]) == {
        "late": False,
        "started": True,
        "silent": None,
        "done": True,
    }
    assert _bools(octo["overdue_completion"]) == {
        "late": True,
        "started": True,
        "silent": None,
        "done": False,
    }
    assert octo.loc["done", "completed_in_year"]
    assert octo.loc["done", "stage"] == "construction"


def test_many_months_at_once_equal_one_month_at_a_time():
    plans = plans_frame([{"project_id": p, "year": 2025, "annual_plan_yi": 6.0} for p in "ABC"])
    rows = [
        {
            "project_id": p,
            "period": f"2025-{m:02d}",
            "cumulative_yi": m * k,
            "stage": "construction" if m > k else "reserve",
        }
        for k, p in enumerate("ABC", start=1)
        for m in range(1, 13)
        if (m + k) % 5
    ]
    reports = reports_frame(rows)
    together = lag_statuses(plans, reports, year_periods(2025)[::-1])
    assert together["period"].is_monotonic_increasing
    for period in year_periods(2025):
        alone = lag_status(plans, reports, period)
        mine = together[together["period"] == period.to_pandas()].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)


def test_target_family_from_the_table_and_the_plan_override():
    projects = pd.DataFrame(
        {
            "id": ["pv", "plant", "mall", "water", "park"],
            "category": ["energy", "industry", "livelihood", "livelihood", "livelihood"],
            "subcategory": ["photovoltaic", "electronics", "commerce", "water", "other"],
        }
    )
    plans = plans_frame(
        [
            {"project_id": "park", "year": 2024, "target_family": "industrial"},
            {"project_id": "plant", "year": 2025, "target_family": "infrastructure_public"},
        ]
    )
    assert target_family(projects).to_dict() == {
        "pv": "industrial",
        "plant": "industrial",
        "mall": "industrial",
        "water": "infrastructure_public",
        "park": "infrastructure_public",
    }
    overridden = target_family(projects, plans)
    assert overridden["plant"] == "infrastructure_public"
    assert overridden["park"] == "industrial"
    assert target_family(projects, plans, year=2025)["park"] == "infrastructure_public"
