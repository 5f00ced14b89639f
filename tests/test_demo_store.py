"""The demo store of ``make demo``: synthetic, labelled, with plans and a year of progress."""

from __future__ import annotations

import pandas as pd

from bench.demo_store import build_demo_store, main
from geodata.progress import Period, lag_status, store_frames
from geodata.store import create_store, open_store


def test_demo_store_is_synthetic_labelled_and_complete(tmp_path, capsys):
    path = tmp_path / "demo.gpkg"
    assert main([str(path), "--projects", "120"]) == 0
    assert "120 synthetic projects" in capsys.readouterr().out
    store = open_store(path)
    assert store.is_demo
    frames = store_frames(store)
    assert frames.projects["id"].str.startswith("SYN-").all()
    assert frames.projects["name_zh"].str.startswith("合成项目").all()
    assert set(frames.reports["period"].astype(str)) == {f"2025-{m:02d}" for m in range(1, 13)}
    assert frames.reports["image_progress"].str.startswith("合成数据").all()
    # one version for the plans and one per month, each saying it is demo data
    history = store.history()
    assert len(history) == 1 + 1 + 12
    assert history["message"].iloc[:13].str.contains("演示数据").all()
    # totals scale like the report's 956亿元 per 2,537 projects
    dec = frames.reports[frames.reports["period"] == Period(2025, 12).to_pandas()]
    assert abs(dec["cumulative_yi"].sum() - 956 * 120 / 2537) < 1
    status = lag_status(frames.plans, frames.reports, Period(2025, 9), projects=frames.projects)
    assert {"ahead", "lagging"} <= set(status["status"].astype(str))
    # a second run keeps it
    assert main([str(path), "--projects", "120"]) == 0
    assert "ready" in capsys.readouterr().out


def test_a_store_that_is_not_a_demo_is_never_touched(tmp_path, capsys):
    path = tmp_path / "real.gpkg"
    create_store(path)
    before = path.read_bytes()
    assert main([str(path), "--force"]) == 1
    assert "not a demo store" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert not open_store(path).is_demo


def test_build_function_small(tmp_path):
    store = build_demo_store(tmp_path / "d.gpkg", projects=30, year=2025)
    assert len(store.plans()) <= 30 and isinstance(store.progress(), pd.DataFrame)
