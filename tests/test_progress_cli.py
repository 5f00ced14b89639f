"""``python -m geodata.progress status``: arguments, the status CSV and the county table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from _stores import STAFF, frame

from geodata.progress import EXPORT_COLUMNS
from geodata.progress.cli import main
from geodata.store import create_store


@pytest.fixture
def store(tmp_path):
    register = frame(["A", "B", "C", "D", "=X"])
    made = create_store(tmp_path / "s.gpkg", seed=register)
    plans = pd.DataFrame(
        {"project_id": ["A", "B", "C", "=X"], "year": 2025, "annual_plan_yi": [10.0, 10.0, 10, 0]}
    )
    base = made.commit_plans(plans, author=STAFF, base_version=1, message="plans")
    reports = pd.DataFrame(
        {
            "project_id": ["A", "B", "A"],
            "period": ["2025-09", "2025-09", "2025-08"],
            "cumulative_yi": [8.0, 4.0, None],
            "month_yi": [None, None, 1.0],
        }
    )
    made.commit_progress(reports, author=STAFF, base_version=base, message="sep")
    return made


def test_status_csv_has_one_row_per_project_with_english_keys(store, tmp_path, capsys):
    out = tmp_path / "status.csv"
    counties = tmp_path / "counties.csv"
    code = main(
        ["status", "--period", "2025-09", "--store", str(store.path), "--out", str(out),
         "--counties", str(counties)]
    )  # fmt: skip
    assert code == 0
    got = pd.read_csv(out, dtype={"id": str}, encoding="utf-8-sig")
    assert list(got.columns) == list(EXPORT_COLUMNS)
    by_id = got.set_index("id")
    # 80 % done at 75 % of the year: ahead; 40 %: severely lagging (35 points below)
    assert by_id.loc["A", "status"] == "ahead" and by_id.loc["A", "completion_pct"] == 80
    assert by_id.loc["B", "status"] == "severely_lagging"
    assert by_id.loc["C", "status"] == "not_reported"
    assert by_id.loc["D", "status"] == "no_plan"
    assert pd.isna(by_id.loc["D", "cumulative_yi"])  # never 0
    assert by_id.loc["'=X", "status"] == "no_plan"  # a formula-like id is written as text
    assert set(got["period"]) == {"2025-09"} and set(got["time_share_pct"]) == {75.0}
    table = pd.read_csv(counties, dtype={"adcode": str}, encoding="utf-8-sig").set_index("adcode")
    assert len(table) == 12
    assert table.loc["140403", "planned_yi"] == 30 and table.loc["140403", "lagging"] == 1
    assert "2025-09: 5 projects" in capsys.readouterr().out


def test_status_accepts_chinese_months_and_old_versions(store, tmp_path):
    out = tmp_path / "s.csv"
    args = ["status", "--store", str(store.path), "--out", str(out)]
    assert main([*args, "--period", "2025年9月", "--version", "2"]) == 0
    # at version 2 nothing was reported yet
    assert set(pd.read_csv(out)["status"]) == {"not_reported", "no_plan"}


@pytest.mark.parametrize(
    ("period", "words"),
    [("2025-13", "1–12"), ("九月", "gives no year"), (f"{dt.date.today().year + 1}-01", "after")],
)
def test_bad_or_future_month_is_refused(store, tmp_path, capsys, period, words):
    out = tmp_path / "s.csv"
    code = main(["status", "--period", period, "--store", str(store.path), "--out", str(out)])
    assert code == 2
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_missing_store_and_version(store, tmp_path, capsys):
    out = tmp_path / "s.csv"
    missing = ["status", "--period", "2025-09", "--store", str(tmp_path / "no.gpkg")]
    assert main([*missing, "--out", str(out)]) == 3
    assert "no.gpkg" in capsys.readouterr().err
    args = ["status", "--period", "2025-09", "--store", str(store.path), "--out", str(out)]
    assert main([*args, "--version", "99"]) == 2
    assert main([*args[:-1], str(tmp_path / "no" / "dir.csv")]) == 2


def test_period_is_required(capsys):
    with pytest.raises(SystemExit) as err:
        main(["status", "--out", "x.csv"])
    assert err.value.code == 2
    assert "--period" in capsys.readouterr().err
