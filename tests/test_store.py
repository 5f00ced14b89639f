"""The store contract: every backend passes these tests (``store_factory`` runs each).

Versions, history, restore, revert, review edits, the lost-update rule, copying
with the whole history and backups taken while another process writes.
Backend-specific details (the GeoPackage file, its codec, SQLite locks and
journals) are tested in ``test_store_gpkg.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest
from _stores import OTHER, ROOT, STAFF, assert_same_store, frame, unlocated
from conftest import HOSTILE_TEXTS

from geodata.coords import convert
from geodata.schema import REGISTER_COLUMNS, register_frame
from geodata.store import (
    HISTORY_COLUMNS,
    Author,
    OutsideCountyWarning,
    StaleBase,
    StoreExists,
    StoreNotFound,
    backup_store,
    copy_store,
    create_store,
    open_store,
)

# hostile text of the shared brief, plus csv and copy-format specials
HOSTILE = (*HOSTILE_TEXTS, 'a,"b"\nc\\N\t,NULL,')


@pytest.fixture
def store(store_factory):
    return store_factory(seed=lambda: frame(["A", "B"]))


def commit(store, projects, *, author=STAFF, message="测试", **kwargs):
    """Commit based on the current version (no concurrent writer in the test)."""
    base = kwargs.pop("base_version", store.current_version())
    return store.commit(projects, author=author, base_version=base, message=message, **kwargs)


# reading and writing


def test_projects_in_register_shape(store):
    gdf = store.projects()
    assert list(gdf.columns) == [*REGISTER_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf["investment_yi"].tolist() == [1.5, 1.5]
    assert gdf["company"].tolist() == ["", ""]
    assert store.current_version() == 1
    assert list(store.history().columns) == list(HISTORY_COLUMNS)


def test_default_store_seeded_from_bundled_register(store_factory):
    from geodata.register import load_register

    store = store_factory()
    register = register_frame(load_register()).sort_values("id").reset_index(drop=True)
    back = store.projects(include_unlocated=True)
    pd.testing.assert_frame_equal(back.drop(columns="geometry"), register.drop(columns="geometry"))
    assert back.geometry.isna().equals(register.geometry.isna())
    assert back.geometry.geom_equals(register.geometry).sum() == register.geometry.notna().sum()
    assert len(store.projects()) == int(register.geometry.notna().sum())
    first = store.history().iloc[0]
    assert (first["version"], first["action"], first["n_projects"]) == (1, "create", len(register))


def test_hostile_text_round_trips_exactly(store_factory):
    # ids sort as the texts are listed (the store returns them by id)
    seed = frame([f"H{k:02d}" for k in range(len(HOSTILE))]).drop(columns="geometry")
    for col in ("name_zh", "name_en", "company", "location_text", "source_sentence"):
        seed[col] = list(HOSTILE)
    seed.loc[0, "investment_yi"] = np.nan
    seed.loc[1, "lon"] = 113.123456789012345
    store = store_factory(seed)
    back = store.projects(include_unlocated=True)
    assert back["name_zh"].tolist() == list(HOSTILE)
    assert back["source_sentence"].tolist() == list(HOSTILE)
    assert np.isnan(back.loc[0, "investment_yi"])
    assert back.loc[1, "lon"] == 113.123456789012345


def test_commit_merges_and_records_version(store):
    version = commit(store, frame(["B", "C"], name="新"), message="导入测试")
    assert version == 2
    gdf = store.projects().set_index("id")
    assert sorted(gdf.index) == ["A", "B", "C"]
    assert gdf.loc["B", "name_zh"] == "新B"
    assert gdf.loc["A", "name_zh"] == "项目A"
    latest = store.history().iloc[0]
    assert latest["version"] == 2
    assert latest["who"] == "wangli" and latest["who_name"] == "王丽"
    assert latest["who_source"] == "local" and latest["action"] == "import"
    assert latest["message"] == "导入测试"
    assert (latest["added"], latest["updated"], latest["removed"]) == (1, 1, 0)
    assert latest["n_projects"] == 3
    assert latest["created_at"].endswith("Z")


def test_history_is_newest_first_with_every_column(store):
    commit(store, frame(["C"]))
    store.set_location("A", lon=113.12, lat=36.20, author=OTHER, base_version=2)
    history = store.history()
    assert list(history.columns) == list(HISTORY_COLUMNS)
    assert history["version"].tolist() == [3, 2, 1]
    assert history["who_source"].tolist() == ["oidc", "local", "system"]
    assert history["created_at"].is_monotonic_decreasing
    assert history["created_at"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$").all()
    with pytest.raises(KeyError):
        store.version_changes(7)


def test_replace_and_restore(store):
    commit(store, frame(["Z"]), replace=True)
    assert store.projects()["id"].tolist() == ["Z"]
    assert store.projects(version=1)["id"].tolist() == ["A", "B"]
    version = store.restore(1, author=STAFF, base_version=2)
    assert version == 3
    assert store.projects()["id"].tolist() == ["A", "B"]
    hist = store.history()
    assert hist.iloc[0]["action"] == "restore"
    assert hist.iloc[0]["restored_from"] == 1
    with pytest.raises(KeyError):
        store.restore(99, author=STAFF, base_version=3)
    with pytest.raises(KeyError):
        store.projects(version=99)


def test_set_location_converts_and_versions(store):
    glon, glat = convert(lon=112.8650, lat=36.8377, src="wgs84", dst="gcj02")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountyWarning)
        version = store.set_location(
            "A", lon=glon, lat=glat, crs="gcj02", author=STAFF, base_version=1
        )
    row = store.projects().set_index("id").loc["A"]
    assert (row["lon"], row["lat"]) == pytest.approx((112.8650, 36.8377), abs=1e-6)
    assert row.geometry.x == pytest.approx(112.8650, abs=1e-6)
    assert store.history().iloc[0]["action"] == "edit"
    assert store.projects(version=version - 1).set_index("id").loc["A", "lon"] == 113.1163
    with pytest.raises(KeyError):
        store.set_location("nope", lon=113, lat=36.2, author=STAFF, base_version=version)
    with pytest.raises(ValueError):
        store.set_location("A", lon=float("nan"), lat=36, author=STAFF, base_version=version)
    v3 = store.set_location(
        "B", lon=113.12, lat=36.2, author=STAFF, base_version=version, precision="place"
    )
    assert store.projects().set_index("id").loc["B", "precision"] == "place"
    assert store.version_changes(v3)["id"].tolist() == ["B"]


def test_writes_refuse_without_author(store):
    with pytest.raises(PermissionError):
        store.commit(frame(["C"]), author=None, base_version=1, message="x")
    with pytest.raises(PermissionError):
        store.restore(1, author=None, base_version=1)
    with pytest.raises(PermissionError):
        store.revert(1, author=None, base_version=1)
    with pytest.raises(PermissionError):
        store.set_location("A", lon=113.1, lat=36.2, author=None, base_version=1)
    assert store.current_version() == 1
    with pytest.raises(ValueError):
        Author(" ")


def test_unlocated_projects_and_review_queue(store):
    coarse = frame(["Q"])
    coarse["precision"] = "county"
    commit(store, unlocated("P"))
    commit(store, coarse)
    assert "P" not in set(store.projects()["id"])
    everything = store.projects(include_unlocated=True)
    assert everything.set_index("id").loc["P"].geometry is None
    assert store.review_queue()["id"].tolist() == ["P", "Q"]
    store.set_location("P", lon=113.12, lat=36.2, author=STAFF, base_version=3)
    assert store.review_queue()["id"].tolist() == ["Q"]


def test_review_queue_of_a_seed_lists_unlocated_first_then_coarse(store_factory):
    seed = frame(["A", "B", "C", "D"])
    seed.loc[seed["id"] == "B", ["lon", "lat"]] = np.nan
    seed.loc[seed["id"] == "C", "precision"] = "county"
    seed.loc[seed["id"] == "D", "precision"] = ""
    store = store_factory(seed.drop(columns="geometry"))
    assert store.review_queue()["id"].tolist() == ["B", "C", "D"]
    assert store.projects()["id"].tolist() == ["A", "C", "D"]


def test_every_version_reads_back_after_removals(store):
    states = {1: ["A", "B"]}
    states[commit(store, frame(["C"]))] = ["A", "B", "C"]
    states[commit(store, frame(["B"]), replace=True)] = ["B"]
    states[commit(store, frame(["A"]))] = ["A", "B"]
    states[store.restore(2, author=STAFF, base_version=4)] = ["A", "B", "C"]
    for version, ids in states.items():
        assert store.projects(version=version)["id"].tolist() == ids, version
    assert store.projects()["id"].tolist() == ["A", "B", "C"]
    restore = store.history().iloc[0]
    assert (restore["added"], restore["removed"]) == (1, 0)


def test_unchanged_rows_are_not_a_change(store):
    version = commit(store, frame(["A"]))
    row = store.history().set_index("version").loc[version]
    assert (row["added"], row["updated"], row["removed"]) == (0, 0, 0)
    assert store.version_changes(version).empty


def test_version_changes_names_each_project_and_field(store):
    changed = frame(["B", "C"], name="新")
    version = commit(store, changed, replace=True)
    table = store.version_changes(version).set_index("id")
    assert table["change"].to_dict() == {"A": "removed", "B": "updated", "C": "added"}
    assert table.loc["B", "fields"] == "name_zh"
    assert (table.loc["B", "before_name_zh"], table.loc["B", "after_name_zh"]) == ("项目B", "新B")
    assert table.loc["A", "before_name_zh"] == "项目A" and table.loc["A", "after_name_zh"] == ""
    assert np.isnan(table.loc["C", "before_lon"]) and table.loc["C", "after_lon"] == 113.1163
    assert store.version_changes(1)["change"].tolist() == ["added", "added"]


def test_a_failed_create_leaves_no_store(store_factory):
    url = store_factory.url("broken")

    def broken_seed():
        raise RuntimeError("register unreadable")

    with pytest.raises(RuntimeError):
        create_store(url, seed=broken_seed)
    with pytest.raises(StoreNotFound):
        open_store(url)


def test_missing_store_is_an_error_naming_it(store_factory, store):
    url = store_factory.url("typo")
    where = url.removeprefix("gpkg:")
    with pytest.raises(StoreNotFound, match=r"no project store at .*typo") as err:
        open_store(url)
    assert where in str(err.value)
    with pytest.raises(StoreExists):
        create_store(store.url, seed=lambda: frame(["X"]))
    assert store.projects()["id"].tolist() == ["A", "B"]


# points of review edits


@pytest.mark.parametrize(
    ("lon", "lat", "crs"),
    [(116.4074, 39.9042, "wgs84"), (112.55, 37.87, "wgs84"), (113.7, 35.7, "gcj02")],
)
def test_set_location_refuses_points_outside_the_city(store, lon, lat, crs):
    # beijing, taiyuan, and a point in the city box but in henan
    before = store.projects()
    with pytest.raises(ValueError, match="outside 长治市") as refused:
        store.set_location("A", lon=lon, lat=lat, crs=crs, author=STAFF, base_version=1)
    # the message names the point as given
    assert f"{lon:.6f}, {lat:.6f}" in str(refused.value) or f"lon={lon:.6f}" in str(refused.value)
    assert store.current_version() == 1
    assert store.projects().equals(before)


def test_set_location_outside_the_stated_county_warns_and_records_it(store):
    # a is stated in 潞州区 (140403); 武乡县 lies to the north
    with pytest.warns(OutsideCountyWarning, match="潞州区.*武乡县"):
        version = store.set_location("A", lon=112.8650, lat=36.8377, author=STAFF, base_version=1)
    assert version == 2
    assert store.projects().set_index("id").loc["A", "lon"] == pytest.approx(112.8650)
    note = store.history().iloc[0]["message"]
    assert "武乡县" in note and "outside the stated county" in note


def test_set_location_in_the_stated_county_has_no_note(store):
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideCountyWarning)
        store.set_location("B", lon=113.12, lat=36.20, author=STAFF, base_version=1, message="改点")
    assert store.history().iloc[0]["message"] == "改点"


# no lost update


def test_stale_base_is_refused_naming_project_and_author(store):
    v2 = commit(store, frame(["B"], name="王丽改"))
    # zhao validated against version 1 and changes b too
    with pytest.raises(StaleBase) as err:
        store.commit(frame(["B", "C"], name="赵改"), author=OTHER, base_version=1, message="x")
    text = str(err.value)
    assert "B" in text and "王丽 (wangli)" in text and f"版本 {v2}" in text
    assert f"version {v2}" in text and "not saved" in text
    assert [(c.project_id, c.version, c.who) for c in err.value.conflicts] == [
        ("B", v2, "王丽 (wangli)")
    ]
    # nothing written: no version, c not added
    assert store.current_version() == v2
    assert sorted(store.projects()["id"]) == ["A", "B"]
    with pytest.raises(StaleBase, match="B"):
        store.set_location("B", lon=113.12, lat=36.2, author=OTHER, base_version=1)
    with pytest.raises(StaleBase, match="B"):
        store.restore(1, author=OTHER, base_version=1)
    assert store.current_version() == v2


def test_stale_base_touching_other_projects_goes_through(store):
    commit(store, frame(["B"], name="王丽改"))
    v3 = store.commit(frame(["A", "C"], name="赵"), author=OTHER, base_version=1, message="x")
    assert v3 == 3
    got = store.projects().set_index("id")["name_zh"].to_dict()
    assert got == {"A": "赵A", "B": "王丽改B", "C": "赵C"}
    # the same rows again on the old base change nothing, so nothing conflicts
    v4 = store.commit(frame(["B"], name="王丽改"), author=OTHER, base_version=1, message="y")
    assert store.history().set_index("version").loc[v4, "updated"] == 0
    # b was last changed in version 2: an edit based on it goes through
    v5 = store.set_location("B", lon=113.12, lat=36.2, author=STAFF, base_version=2)
    assert v5 == 5


def test_base_newer_than_the_store_is_refused(store):
    with pytest.raises(ValueError, match="base version 7"):
        store.commit(frame(["C"]), author=STAFF, base_version=7, message="x")


# revert


def test_revert_of_an_import_restores_the_prior_rows_and_keeps_later_changes(store):
    commit(store, unlocated("U"))
    before = store.projects(include_unlocated=True)
    # the import: removes a, updates b and u, adds c
    imported = pd.concat([frame(["B", "C"], name="导入"), frame(["U"], lat=36.25)])
    v3 = commit(store, imported.drop(columns="geometry"), replace=True)
    # a later, unrelated change
    v4 = commit(store, frame(["D"]), author=OTHER)
    v5 = store.revert(v3, author=STAFF, base_version=v4)
    after = store.projects(include_unlocated=True)
    kept = after[after["id"] != "D"].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        pd.DataFrame(kept.drop(columns="geometry")), pd.DataFrame(before.drop(columns="geometry"))
    )
    assert after.set_index("id").loc["U"].geometry is None
    assert "D" in set(after["id"])
    latest = store.history().iloc[0]
    assert latest["version"] == v5 and latest["action"] == "revert"
    assert latest["restored_from"] == v3
    assert (latest["added"], latest["updated"], latest["removed"]) == (1, 2, 1)
    assert f"版本 {v3}" in latest["message"] and "A" in latest["message"]
    assert all(pid in latest["message"] for pid in ("A", "B", "C", "U"))


def test_revert_undoes_exactly_one_version(store):
    store.set_location("A", lon=113.12, lat=36.20, author=STAFF, base_version=1)  # 2
    commit(store, frame(["B", "C"], name="新"), author=OTHER)  # 3
    version = store.revert(2, author=OTHER, base_version=3)
    now = store.projects().set_index("id")
    assert (now.loc["A", "lon"], now.loc["A", "lat"]) == (113.1163, 36.1955)
    assert now.loc["B", "name_zh"] == "新B" and "C" in now.index
    latest = store.history().iloc[0]
    assert (latest["version"], latest["action"], latest["restored_from"]) == (version, "revert", 2)
    # reverting the import removes c and brings b back, a stays
    store.revert(3, author=OTHER, base_version=version)
    assert store.projects()["name_zh"].tolist() == ["项目A", "项目B"]


def test_revert_refused_when_a_later_version_changed_the_same_project(store):
    v2 = commit(store, frame(["B"], name="导入"))
    v3 = store.set_location("B", lon=113.12, lat=36.2, author=OTHER, base_version=v2)
    with pytest.raises(StaleBase) as err:
        store.revert(v2, author=STAFF, base_version=v3)
    assert [(c.project_id, c.version) for c in err.value.conflicts] == [("B", v3)]
    assert "赵强 (zhaoqiang)" in str(err.value)
    assert store.current_version() == v3
    assert store.projects().equals(store.projects(version=v3))
    # the later edit itself can be undone
    v4 = store.revert(v3, author=STAFF, base_version=v3)
    assert store.projects(version=v4).equals(store.projects(version=v2))


# moving and keeping data


def _busy_store(store):
    """Give a store every kind of version: import, removal, edit, restore, revert."""
    commit(store, pd.concat([frame(["C"]), unlocated("U")]))
    commit(store, frame(["C"], name="新"), replace=True)
    store.set_location("C", lon=113.12, lat=36.2, author=OTHER, base_version=3)
    store.restore(2, author=STAFF, base_version=4)
    store.revert(5, author=STAFF, base_version=5)
    return store


def test_copy_keeps_every_version(store_factory, store, tmp_path):
    _busy_store(store)
    same_backend = copy_store(store.url, store_factory.url("copy"))
    assert_same_store(store, same_backend)
    as_gpkg = copy_store(store.url, tmp_path / "copy.gpkg")
    assert_same_store(store, as_gpkg)
    # the copy goes on from the same version number
    assert commit(as_gpkg, frame(["N"])) == store.current_version() + 1
    with pytest.raises(StoreExists):
        copy_store(store.url, as_gpkg.url)


def test_backup_restores_by_copy(store, tmp_path):
    _busy_store(store)
    backup_store(store.url, tmp_path / "backup.gpkg")
    restored = copy_store(tmp_path / "backup.gpkg", tmp_path / "restored.gpkg")
    assert_same_store(store, restored)


WRITER = """
    import sys
    import geopandas as gpd
    from geodata.store import Author, open_store
    from geodata.settings import WGS84

    store = open_store(STORE_URL)
    who = Author("writer", "写入进程")
    print("STARTED", flush=True)
    for k in range(40):
        row = gpd.GeoDataFrame({"id": [f"W{k}"], "name_zh": ["写"]},
                               geometry=gpd.points_from_xy([113.0], [36.2]), crs=WGS84)
        store.commit(row, author=who, base_version=store.current_version(), message=f"w{k}")
    print("DONE", flush=True)
"""


def test_backup_while_another_process_writes(store, tmp_path):
    script = textwrap.dedent(WRITER).replace("STORE_URL", repr(store.url))
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout.readline().strip() == "STARTED"
        outs = []
        while (child.poll() is None and len(outs) < 6) or not outs:
            out = tmp_path / f"backup-{len(outs)}.gpkg"
            backup_store(store.url, out)
            outs.append(out)
        assert child.wait(timeout=120) == 0
        assert child.stdout.readline().strip() == "DONE"
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert store.current_version() == 41
    history = store.history()
    for out in outs:
        copy = open_store(out)
        last = copy.current_version()
        # each backup is whole: every version it holds reads as in the source
        expected = history[history["version"] <= last].reset_index(drop=True)
        pd.testing.assert_frame_equal(copy.history(), expected)
        for version in (1, last):
            assert copy.projects(version=version).equals(store.projects(version=version))
        assert len(copy.projects()) == 2 + last - 1
