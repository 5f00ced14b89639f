"""Importing plans and monthly progress: matching, months, amounts, repeats, warnings, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest
from _stores import STAFF, frame

from geodata.ingest import IngestError, RowKind, commit_rows, import_rows, main
from geodata.progress import fill_cumulative
from geodata.store import StaleBase, create_store

TODAY = dt.date(2025, 10, 20)
HOSTILE = (
    '<img src=x onerror="document.body.dataset.pwned=1">',
    "${document.body.dataset.pwned=2}",
    "back`tick`${1+1}",
    "$\\frac{1}{2}$",
    "D:\\资料\\x4",
    '=HYPERLINK("http://x","y")',
    "\u202e右到左",
    "长" * 2000,
    "[点此](https://evil.example)",
)


def _register() -> pd.DataFrame:
    rows = frame(["P-1", "P-2", "P-3", "P-4", "P-5"])
    rows["name_zh"] = ["光伏电站", "光伏电站", "污水处理厂", "污水处理厂", "后湾水库供水工程"]
    rows["county_adcode"] = ["140403", "140404", "140423", "140423", "140423"]
    return rows


def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def _progress(rows: list[dict], *, stored=None, year=2025, register=None) -> object:
    return import_rows(
        _csv(rows),
        filename="sep.csv",
        kind="progress",
        projects=_register() if register is None else register,
        stored=stored,
        year=year,
        today=TODAY,
    )


def _row(**cells) -> dict:
    base = {
        "项目编号": "",
        "项目名称": "",
        "县区": "",
        "报告期": "2025-09",
        "累计完成投资": "",
        "本月完成投资": "",
        "形象进度": "",
    }
    return base | cells


# matching: (cells, project it attaches to or "" when refused, words of the message, candidates)
MATCHING = [
    ({"项目编号": "P-1"}, "P-1", "", ()),
    ({"项目名称": "光伏电站", "县区": "潞州区"}, "P-1", "", ()),
    ({"项目名称": "光伏电站", "县区": "长治县"}, "P-2", "", ()),  # former name of 上党区
    ({"项目名称": "光 伏 电 站", "县区": "上党区"}, "P-2", "", ()),
    ({"项目名称": "后湾水库供水工程", "县区": "襄垣"}, "P-5", "", ()),
    (
        {"项目名称": "光伏电站", "县区": "屯留区"},
        "",
        "没有屯留区的“光伏电站”",
        ("P-1 光伏电站（潞州区）", "P-2 光伏电站（上党区）"),
    ),
    (
        {"项目名称": "污水处理厂", "县区": "襄垣县"},
        "",
        "2 个同名项目",
        ("P-3 污水处理厂（襄垣县）", "P-4 污水处理厂（襄垣县）"),
    ),
    (
        {"项目编号": "P-9", "项目名称": "后湾水库"},
        "",
        "P-9 不在项目库中",
        ("P-5 后湾水库供水工程（襄垣县）",),
    ),
    (
        {"项目名称": "光伏电站"},
        "",
        "未填项目编号和县区",
        ("P-1 光伏电站（潞州区）", "P-2 光伏电站（上党区）"),
    ),
    ({"项目名称": "新建项目", "县区": "潞州区"}, "", "无相近项目", ()),
    ({"项目名称": "光伏电站", "县区": "北京"}, "", "不是长治市的县区", ()),
]


@pytest.mark.parametrize(("cells", "pid", "words", "candidates"), MATCHING)
def test_rows_attach_by_id_or_name_and_county_never_by_guess(cells, pid, words, candidates):
    result = _progress([_row(累计完成投资="1.5", **cells)])
    rep = result.report
    assert rep.total == 1
    if pid:
        assert result.rows["project_id"].tolist() == [pid]
        assert rep.rejected == [] and rep.unmatched == []
        return
    assert result.rows.empty and rep.accepted == 0
    assert len(rep.rejected) == 1 and words in rep.rejected[0].reason
    (issue,) = rep.unmatched
    assert issue.row == 2 and words in issue.reason
    assert issue.candidates[: len(candidates)] == candidates
    doc = json.loads(json.dumps(rep.to_dict(), ensure_ascii=False))
    assert doc["kind"] == "progress"
    assert doc["unmatched"][0]["row"] == 2
    assert doc["rejected"][0]["row"] == 2


def test_an_id_with_another_name_is_matched_by_id_with_a_warning():
    result = _progress([_row(项目编号="P-5", 项目名称="别的名字", 累计完成投资="1")])
    assert result.rows["project_id"].tolist() == ["P-5"]
    assert "名称与项目库不一致" in result.report.warnings[0].reason


# month cells: (text, --year, month read or None when refused, words of the message)
PERIODS = [
    ("2025-09", None, "2025-09", ""),
    ("2025年9月", None, "2025-09", ""),
    ("2025.9", None, "2025-09", ""),
    ("2025.10", None, "2025-10", ""),
    ("２０２５年９月", None, "2025-09", ""),
    ("9月", 2025, "2025-09", ""),
    ("9月", None, None, "--year"),
    ("2025-13", None, None, "1–12"),
    ("2025-11", None, None, "晚于当前月份"),
    ("2026-01", None, None, "晚于当前月份"),
    ("", None, None, "报告期为空"),
    ("九月", 2025, "2025-09", ""),
]


@pytest.mark.parametrize(("text", "year", "want", "words"), PERIODS)
def test_period_formats_and_future_months(text, year, want, words):
    result = _progress([_row(项目编号="P-1", 报告期=text, 累计完成投资="1")], year=year)
    if want:
        assert result.rows["period"].astype(str).tolist() == [want]
    else:
        assert result.rows.empty
        assert words in result.report.rejected[0].reason


def test_csv_2025_1_is_january_with_a_warning():
    result = _progress([_row(项目编号="P-1", 报告期="2025.1", 累计完成投资="1")])
    assert result.rows["period"].astype(str).tolist() == ["2025-01"]
    assert "若指 10 月" in result.report.warnings[0].reason


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_numeric_excel_2025_10_is_not_january():
    data = _xlsx(
        ["项目编号", "报告期", "累计完成投资", "开工日期"],
        [
            ["P-1", 2025.10, 1.0, None],  # typed 2025.10 as a number: stored 2025.1
            ["P-2", 2025.9, 1.0, None],
            ["P-5", dt.date(2025, 8, 1), 2.0, dt.date(2025, 3, 5)],  # a date cell
            ["P-3", "2025.10", 1.0, None],  # text: as written
        ],
    )
    result = import_rows(
        data, filename="sep.xlsx", kind="progress", projects=_register(), today=TODAY
    )
    rep = result.report
    assert [r.row for r in rep.rejected] == [2]
    assert "无法区分 1 月和 10 月" in rep.rejected[0].reason
    got = result.rows.set_index("project_id")
    assert str(got.loc["P-2", "period"]) == "2025-09"
    assert str(got.loc["P-5", "period"]) == "2025-08"
    assert str(got.loc["P-5", "actual_start"]) == "2025-03"
    assert str(got.loc["P-3", "period"]) == "2025-10"


def test_two_rows_for_one_project_and_month_are_both_reported():
    rows = [
        _row(项目编号="P-1", 累计完成投资="1"),
        _row(项目名称="光伏电站", 县区="潞州区", 报告期="2025年9月", 累计完成投资="2"),
        _row(项目编号="P-1", 报告期="2025-08", 累计完成投资="0.5"),
    ]
    result = _progress(rows)
    rep = result.report
    assert result.rows["period"].astype(str).tolist() == ["2025-08"]
    assert sorted(r.row for r in rep.rejected) == [2, 3]
    assert "第 2、3 行重复出现" in rep.rejected[0].reason
    assert sorted(d.row for d in rep.duplicates) == [2, 3]


def test_amount_units_approximate_and_full_width():
    rows = [_row(项目编号="P-1", **{"累计完成投资（万元）": "约１，２００"})]
    rows[0].pop("累计完成投资")
    result = _progress(rows)
    assert result.rows["cumulative_yi"].tolist() == [pytest.approx(0.12)]
    assert "约数" in result.report.warnings[0].reason
    bad = _progress([_row(项目编号="P-1", 累计完成投资="很多")])
    assert "累计完成投资无法识别" in bad.report.rejected[0].reason


def _stored(*rows: tuple[str, str, float]) -> pd.DataFrame:
    from geodata.progress import reports_frame

    return reports_frame([{"project_id": p, "period": m, "cumulative_yi": c} for p, m, c in rows])


def test_only_the_month_amount_is_filled_from_the_stored_month():
    stored = _stored(("P-1", "2025-08", 3.0))
    result = _progress([_row(项目编号="P-1", 本月完成投资="0.5")], stored=stored)
    assert result.report.warnings == []
    # stored as reported; the cumulative is completed when read
    assert result.rows["month_yi"].tolist() == [0.5]
    filled, _ = fill_cumulative(pd.concat([stored, result.rows], ignore_index=True))
    assert filled["cumulative_yi"].tolist() == [3.0, 3.5]


def test_only_the_month_amount_without_the_previous_month_warns():
    result = _progress([_row(项目编号="P-1", 本月完成投资="0.5")])
    (warning,) = result.report.warnings
    assert "2025年1月至2025年8月未报送" in warning.reason and warning.row == 2


def test_cumulative_below_the_stored_month_warns():
    stored = _stored(("P-1", "2025-08", 3.0))
    result = _progress([_row(项目编号="P-1", 累计完成投资="2.5")], stored=stored)
    assert "低于上次报送的 3" in result.report.warnings[0].reason
    assert result.report.accepted == 1


def test_counts_against_the_stored_rows():
    stored = _stored(("P-1", "2025-09", 1.0), ("P-2", "2025-09", 1.0))
    rows = [
        _row(项目编号="P-1", 累计完成投资="1"),
        _row(项目编号="P-2", 累计完成投资="1.2"),
        _row(项目编号="P-5", 累计完成投资="2"),
    ]
    rep = _progress(rows, stored=stored).report
    assert (rep.added, rep.updated, rep.unchanged) == (1, 1, 1)


def test_hostile_image_progress_is_kept_literally():
    rows = [
        _row(项目编号="P-1", 报告期=f"2025-0{m + 1}", 累计完成投资=str(m + 1), 形象进度=text)
        for m, text in enumerate(HOSTILE)
    ]
    result = _progress(rows)
    assert result.report.rejected == []
    assert tuple(result.rows["image_progress"]) == HOSTILE


def test_missing_columns_refuse_the_file():
    with pytest.raises(IngestError, match="报告期或月份"):
        _progress([{"项目编号": "P-1", "累计完成投资": "1"}])
    with pytest.raises(IngestError, match="累计完成投资或本月完成投资"):
        _progress([{"项目编号": "P-1", "报告期": "2025-09", "形象进度": "x"}])


# plans


def _plans(rows: list[dict], *, year=None, stored=None):
    return import_rows(
        _csv(rows), filename="plan.csv", kind=RowKind.PLAN, projects=_register(), year=year,
        stored=stored,
    )  # fmt: skip


def test_plans_import_with_units_months_and_family():
    rows = [
        {"项目编号": "P-1", "年度": "2025年", "年度计划投资（万元）": "30000", "计划开工": "2025.3",
         "计划竣工": "2026年6月", "四库": "建设", "目标类别": "产业项目"},
        {"项目名称": "后湾水库供水工程", "县区": "襄垣县", "年度": "", "年度计划投资（万元）": "",
         "计划开工": "", "计划竣工": "", "四库": "", "目标类别": ""},
    ]  # fmt: skip
    result = _plans(rows, year=2025)
    got = result.rows.set_index("project_id")
    assert got.loc["P-1", "annual_plan_yi"] == 3.0
    assert str(got.loc["P-1", "planned_completion"]) == "2026-06"
    assert got.loc["P-1", "target_family"] == "industrial"
    assert got.loc["P-5", "year"] == 2025
    assert "按无计划统计" in result.report.warnings[0].reason


def test_plans_two_rows_for_one_project_and_year_and_no_year():
    rows = [
        {"项目编号": "P-1", "年度": "2025", "年度计划投资": "1"},
        {"项目编号": "P-1", "年度": "2025", "年度计划投资": "2"},
        {"项目编号": "P-2", "年度": "", "年度计划投资": "2"},
    ]
    rep = _plans(rows).report
    assert rep.accepted == 0
    assert "重复出现" in rep.rejected[0].reason
    assert "年度为空" in rep.rejected[2].reason


# commit and CLI


@pytest.fixture
def store(tmp_path):
    return create_store(tmp_path / "s.gpkg", seed=_register())


def test_commit_writes_a_version_and_nothing_when_nothing_changed(store):
    base = store.current_version()
    result = _progress([_row(项目编号="P-1", 累计完成投资="1")], register=store.projects())
    version = commit_rows(result, store=store, author=STAFF, base_version=base)
    assert version == base + 1
    assert "progress: 1 added" in store.history().iloc[0]["message"]
    again = _progress(
        [_row(项目编号="P-1", 累计完成投资="1")], stored=store.progress(), register=store.projects()
    )
    assert commit_rows(again, store=store, author=STAFF) is None
    assert store.current_version() == version


def test_checked_against_the_store_reads_the_months_it_needs(store):
    # March states a cumulative, April and May only the month's amount
    first = [
        _row(项目编号="P-1", 报告期="2025-03", 累计完成投资="3"),
        _row(项目编号="P-1", 报告期="2025-04", 本月完成投资="1"),
        _row(项目编号="P-1", 报告期="2025-05", 本月完成投资="1"),
        _row(项目编号="P-2", 报告期="2025-05", 累计完成投资="9"),
    ]
    commit_rows(_progress(first, stored=store), store=store, author=STAFF)
    rows = [
        # June's month amount adds to May's 5 (filled through April from March)
        _row(项目编号="P-1", 报告期="2025-06", 本月完成投资="1", 累计完成投资="6"),
        # below May's 9: warned
        _row(项目编号="P-2", 报告期="2025-06", 累计完成投资="8"),
        # May again, unchanged
        _row(项目编号="P-2", 报告期="2025-05", 累计完成投资="9"),
    ]
    rep = _progress(rows, stored=store).report
    assert [(w.row, "低于上次报送的 9" in w.reason) for w in rep.warnings] == [(3, True)]
    assert (rep.added, rep.updated, rep.unchanged) == (2, 0, 1)
    # the same answer as when checked against every stored report
    full = _progress(rows, stored=store.progress()).report
    assert (full.warnings, full.added, full.unchanged) == (rep.warnings, 2, 1)


def test_commit_on_a_stale_base_is_refused(store):
    base = store.current_version()
    first = _progress([_row(项目编号="P-1", 累计完成投资="1")])
    commit_rows(first, store=store, author=STAFF, base_version=base)
    second = _progress([_row(项目编号="P-1", 累计完成投资="2")])
    with pytest.raises(StaleBase, match="P-1 2025-09"):
        commit_rows(second, store=store, author=STAFF, base_version=base)


def test_cli_imports_progress_and_reports_unmatched_rows(store, tmp_path, capsys):
    sheet = tmp_path / "sep.csv"
    sheet.write_bytes(
        _csv(
            [
                _row(项目名称="光伏电站", 县区="长治县", 报告期="9月", 累计完成投资="1"),
                _row(项目名称="污水处理厂", 县区="襄垣县", 报告期="9月", 累计完成投资="1"),
            ]
        )
    )
    report = tmp_path / "r.json"
    code = main(
        [str(sheet), "--kind", "progress", "--year", "2025", "--store", str(store.path),
         "--report", str(report), "--user", "tester"]
    )  # fmt: skip
    assert code == 0
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert doc["kind"] == "progress" and doc["accepted"] == 1 and doc["committed_version"] == 2
    assert doc["unmatched"][0]["candidates"] == [
        "P-3 污水处理厂（襄垣县）",
        "P-4 污水处理厂（襄垣县）",
    ]
    assert "1 matching no project" in capsys.readouterr().out
    assert store.progress()["project_id"].tolist() == ["P-2"]
    assert store.history().iloc[0]["who"] == "tester"


def test_cli_plan_without_year_column_needs_year(store, tmp_path, capsys):
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(_csv([{"项目编号": "P-1", "年度计划投资": "1"}]))
    report = tmp_path / "r.json"
    args = [str(sheet), "--kind", "plan", "--store", str(store.path), "--report", str(report)]
    assert main(args) == 2
    assert "--year" in capsys.readouterr().err
    assert main([*args, "--year", "2025"]) == 0
    assert store.plans()["year"].tolist() == [2025]
