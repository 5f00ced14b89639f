"""Plans and monthly progress in the store, on both backends: versions, authors, old versions,
lost updates, hostile text, the demo flag and the new register attributes."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pandas as pd
import pytest
from _stores import OTHER, STAFF, frame
from conftest import HOSTILE_TEXTS

from geodata.progress import PLAN_COLUMNS, REPORT_COLUMNS, Period, fill_cumulative, reports_frame
from geodata.store import Action, StaleBase, create_store, open_store

HOSTILE = HOSTILE_TEXTS


@pytest.fixture
def store(store_factory):
    """A store of three projects (A, B, C) on each backend."""
    return store_factory(frame(["A", "B", "C"]))


def _plans(**amounts):
    return pd.DataFrame(
        {
            "project_id": list(amounts),
            "year": 2025,
            "annual_plan_yi": list(amounts.values()),
            "planned_start": "2025-03",
            "planned_completion": None,
            "pool_stage": "construction",
            "source_file": "plan.xlsx",
            "source_row": range(2, 2 + len(amounts)),
        }
    )


def _reports(period, **amounts):
    return pd.DataFrame(
        {
            "project_id": list(amounts),
            "period": period,
            "cumulative_yi": list(amounts.values()),
            "stage": "construction",
            "image_progress": "主体施工",
            "reporting_unit": "潞州区发改局",
            "source_file": "sep.xlsx",
            "source_row": range(2, 2 + len(amounts)),
        }
    )


def test_plans_commit_is_a_version_with_author_and_reads_back(store):
    base = store.current_version()
    version = store.commit_plans(
        _plans(A=2.0, B=0.5), author=STAFF, base_version=base, message="2025年计划"
    )
    assert version == base + 1 == store.current_version()
    got = store.plans()
    assert list(got.columns) == list(PLAN_COLUMNS)
    assert got["project_id"].tolist() == ["A", "B"]
    assert got["annual_plan_yi"].tolist() == [2.0, 0.5]
    assert str(got["planned_start"].iloc[0]) == "2025-03"
    assert got["planned_completion"].isna().all()
    entry = store.history().iloc[0]
    assert entry["who"] == "wangli" and entry["who_name"] == "王丽"
    assert entry["action"] == Action.IMPORT.value
    assert "plans: 2 added" in entry["message"] and "2025年计划" in entry["message"]
    # the register is untouched
    assert store.projects()["id"].tolist() == ["A", "B", "C"]


def test_progress_reads_at_any_version(store):
    v1 = store.commit_progress(
        _reports("2025-09", A=1.0, B=0.2), author=STAFF, base_version=1, message=""
    )
    v2 = store.commit_progress(
        _reports("2025-09", A=1.5), author=OTHER, base_version=v1, message="更正"
    )
    assert list(store.progress().columns) == list(REPORT_COLUMNS)
    assert store.progress(version=1).empty
    old = store.progress(version=v1).set_index("project_id")
    new = store.progress(version=v2).set_index("project_id")
    assert old.loc["A", "cumulative_yi"] == 1.0 and new.loc["A", "cumulative_yi"] == 1.5
    assert new.loc["B", "cumulative_yi"] == 0.2
    assert math.isnan(new.loc["A", "month_yi"])
    assert new.loc["A", "period"] == Period(2025, 9).to_pandas()
    assert "progress: 0 added, 1 updated" in store.history().iloc[0]["message"]
    assert store.history().iloc[0]["who_source"] == "oidc"
    with pytest.raises(KeyError):
        store.progress(version=99)


def test_unchanged_rows_write_nothing(store):
    v1 = store.commit_progress(_reports("2025-08", A=1.0), author=STAFF, base_version=1, message="")
    again = _reports("2025-08", A=1.0).assign(source_file="other.csv")
    assert store.commit_progress(again, author=STAFF, base_version=v1, message="") == v1
    assert len(store.history()) == 2


def test_stale_base_touching_a_changed_row_is_refused(store):
    base = store.current_version()
    store.commit_progress(_reports("2025-09", A=1.0), author=OTHER, base_version=base, message="")
    with pytest.raises(StaleBase) as err:
        store.commit_progress(
            _reports("2025-09", A=2.0, B=0.3), author=STAFF, base_version=base, message=""
        )
    assert [c.project_id for c in err.value.conflicts] == ["A 2025-09"]
    assert "赵强 (zhaoqiang)" in str(err.value)
    # nothing written: B is not there
    assert store.progress()["project_id"].tolist() == ["A"]
    # another month of A, or another project, goes through on the old base
    store.commit_progress(
        _reports("2025-08", A=0.8, B=0.3), author=STAFF, base_version=base, message=""
    )
    assert len(store.progress()) == 3


def test_stale_plans_keyed_by_project_and_year(store):
    base = store.current_version()
    store.commit_plans(_plans(A=2.0), author=OTHER, base_version=base, message="")
    with pytest.raises(StaleBase, match="A 2025"):
        store.commit_plans(_plans(A=3.0), author=STAFF, base_version=base, message="")
    store.commit_plans(_plans(A=3.0).assign(year=2026), author=STAFF, base_version=base, message="")
    assert store.plans()[["project_id", "year"]].values.tolist() == [["A", 2025], ["A", 2026]]


def test_hostile_image_progress_is_stored_literally(store):
    rows = pd.DataFrame(
        {
            "project_id": "A",
            "period": [f"2025-{m:02d}" for m in range(1, len(HOSTILE) + 1)],
            "month_yi": 0.1,
            "image_progress": HOSTILE,
            "reporting_unit": HOSTILE,
        }
    )
    store.commit_progress(rows, author=STAFF, base_version=1, message=HOSTILE[0])
    got = store.progress()
    assert tuple(got["image_progress"]) == HOSTILE
    assert tuple(got["reporting_unit"]) == HOSTILE
    assert HOSTILE[0] in store.history().iloc[0]["message"]


def test_base_beyond_the_store_is_refused(store):
    with pytest.raises(ValueError, match="base version 9"):
        store.commit_plans(_plans(A=1.0), author=STAFF, base_version=9, message="")


def test_write_needs_an_author(store):
    with pytest.raises(PermissionError):
        store.commit_plans(_plans(A=1.0), author=None, base_version=1, message="")


def _amounts(rows):
    """Reports from ``(project, month, cumulative, month amount)`` tuples (``None``: not given)."""
    return pd.DataFrame(
        [
            {"project_id": p, "period": m, "cumulative_yi": c, "month_yi": a, "source_row": 2}
            for p, m, c, a in rows
        ]
    ).astype({"cumulative_yi": float, "month_yi": float})


def _keys(*pairs):
    return pd.DataFrame({"project_id": [p for p, _ in pairs], "period": [m for _, m in pairs]})


def test_progress_leading_to_reads_back_to_the_last_stated_cumulative(store):
    stored = [
        ("A", "2024-11", 9.0, None), ("A", "2025-01", 1.0, None), ("A", "2025-02", None, 1.0),
        ("A", "2025-03", 3.0, None), ("A", "2025-04", None, 1.0), ("A", "2025-05", 5.0, 1.0),
        ("A", "2025-06", 6.0, None), ("A", "2025-09", 9.0, None), ("B", "2025-03", None, 0.5),
        ("B", "2025-06", 2.0, None), ("C", "2024-12", 4.0, None),
    ]  # fmt: skip
    store.commit_progress(_amounts(stored), author=STAFF, base_version=1, message="")
    got = store.progress(
        leading_to=_keys(("A", "2025-05"), ("A", "2025-08"), ("A", "2024-12"), ("B", "2025-04"),
                         ("C", "2025-01"), ("D", "2025-02"))
    )  # fmt: skip
    assert list(got.columns) == list(REPORT_COLUMNS)
    assert list(zip(got["project_id"], got["period"].astype(str), strict=True)) == [
        # 2024: from January; 2025: from March (the last cumulative before May) through August
        ("A", "2024-11"), ("A", "2025-03"), ("A", "2025-04"), ("A", "2025-05"), ("A", "2025-06"),
        # no cumulative before April: from January
        ("B", "2025-03"),
    ]  # fmt: skip
    # every column as stored
    full = store.progress().set_index(["project_id", "period"])
    pd.testing.assert_frame_equal(
        got.set_index(["project_id", "period"]),
        full.loc[got.set_index(["project_id", "period"]).index],
    )
    assert store.progress(leading_to=_keys()).columns.tolist() == list(REPORT_COLUMNS)
    assert store.progress(leading_to=_keys()).empty
    with pytest.raises(ValueError, match="current"):
        store.progress(version=1, leading_to=_keys(("A", "2025-05")))


def test_keys_with_quotes_commas_and_braces_are_read_and_written_as_keys(store):
    odd = ['x"y\\z', "a,b", "{c}", "NULL", " 空 格 ", ""]
    rows = _amounts([(pid, "2025-03", 1.0, None) for pid in odd])
    v1 = store.commit_progress(rows, author=STAFF, base_version=1, message="")
    got = store.progress(leading_to=_keys(*((pid, "2025-04") for pid in odd)))
    assert sorted(got["project_id"]) == sorted(odd)
    # the same rows change nothing; a changed one is a new version of that row only
    assert store.commit_progress(rows, author=STAFF, base_version=v1, message="") == v1
    rows.loc[0, "cumulative_yi"] = 2.0
    v2 = store.commit_progress(rows, author=STAFF, base_version=v1, message="")
    assert "progress: 0 added, 1 updated" in store.history().iloc[0]["message"]
    assert store.progress().set_index("project_id").loc[odd[0], "cumulative_yi"] == 2.0
    assert len(store.progress(version=v2)) == len(odd)


def test_cumulatives_filled_over_leading_to_equal_those_over_every_report(store):
    rng = np.random.default_rng(7)
    stored, incoming = [], []
    for pid in ("A", "B", "C"):
        for year in (2024, 2025):
            for month in range(1, 13):
                kind = rng.choice(["cum", "month", "both", "missing"], p=[0.4, 0.3, 0.2, 0.1])
                if kind == "missing":
                    continue
                row = (pid, f"{year}-{month:02d}", None if kind == "month" else float(month + 1),
                       None if kind == "cum" else 1.0)  # fmt: skip
                (incoming if rng.random() < 0.3 else stored).append(row)
                if rng.random() < 0.2:
                    stored.append((*row[:2], float(month), None))
    stored = list({r[:2]: r for r in stored}.values())
    store.commit_progress(_amounts(stored), author=STAFF, base_version=1, message="")
    new = reports_frame(_amounts(list({r[:2]: r for r in incoming}.values())))

    def filled(before):
        keys = pd.MultiIndex.from_frame(new[["project_id", "period"]])
        kept = before[~pd.MultiIndex.from_frame(before[["project_id", "period"]]).isin(keys)]
        out, warnings = fill_cumulative(pd.concat([kept, new], ignore_index=True))
        mine = out.iloc[len(kept) :]
        keys = set(zip(new["project_id"], new["period"], strict=True))
        return (
            mine["cumulative_yi"].tolist(),
            [
                (w.project_id, w.period, w.kind)
                for w in warnings
                if (w.project_id, w.period.to_pandas()) in keys
            ],
        )

    near = store.progress(leading_to=new)
    assert len(near) < len(store.progress())
    assert filled(near) == filled(store.progress())


def test_demo_flag(store):
    assert store.is_demo is False
    store.mark_demo()
    assert store.is_demo is True
    again = open_store(store.url)
    assert again.is_demo is True
    again.close()


def test_register_attributes_are_stored(store):
    rows = frame(["D", "E", "F"])
    rows["key_level"] = ["provincial", "municipal", ""]
    rows["investment_yi"] = [12.0, 9.99, float("nan")]
    store.commit(rows, author=STAFF, base_version=1, message="levels")
    got = store.projects().set_index("id")
    assert got.loc[["D", "E", "F"], "key_level"].tolist() == ["provincial", "municipal", ""]
    assert got.loc[["D", "E", "F"], "major_10yi"].tolist() == ["yes", "no", ""]
    assert got.loc["A", "key_level"] == ""


def test_gpkg_tables_are_listed_for_gis_tools(tmp_path):
    store = create_store(tmp_path / "g.gpkg", seed=frame(["A"]))
    con = sqlite3.connect(store.path)
    listed = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
    con.close()
    assert {"plans", "progress", "plan_versions", "progress_versions"} <= listed
