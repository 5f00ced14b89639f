"""Versioned GeoPackage store: versions, restore, edits, crash safety and busy handling.

The crash and lock tests use real processes: one child is SIGKILLed in the
middle of a write transaction, another holds ``BEGIN EXCLUSIVE``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from geodata.auth import IdentitySource, StaffIdentity
from geodata.coords import convert
from geodata.schema import REGISTER_COLUMNS
from geodata.settings import WGS84
from geodata.store import (
    STORE_SCHEMA_VERSION,
    OutsideCountyWarning,
    Store,
    StoreBusy,
    StoreError,
    decode_geometries,
    encode_points,
    register_frame,
)

ROOT = Path(__file__).resolve().parent.parent
STAFF = StaffIdentity("wangli", "王丽", IdentitySource.LOCAL)


def frame(ids, *, lon=113.1163, lat=36.1955, name="项目"):
    n = len(ids)
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name_zh": [f"{name}{i}" for i in ids],
            "category": "energy",
            "subcategory": "photovoltaic",
            "county_adcode": "140403",
            "lon": [lon] * n,
            "lat": [lat] * n,
            "precision": "exact",
            "stage": "construction",
            "investment_yi": [1.5] * n,
            "source_sentence": "测试",
        },
        geometry=gpd.points_from_xy([lon] * n, [lat] * n),
        crs=WGS84,
    )


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "store.gpkg", seed=lambda: frame(["A", "B"]))


def test_geometry_blobs_round_trip():
    lon = np.array([113.1, np.nan, 112.5])
    lat = np.array([36.2, np.nan, 36.9])
    blobs = encode_points(lon, lat)
    assert blobs[1] is None
    assert blobs[0][:2] == b"GP"
    geoms = decode_geometries(blobs)
    assert geoms[1] is None
    assert shapely.equals(geoms[2], shapely.Point(112.5, 36.9))


def test_created_store_is_a_geopackage(store):
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # gdal reads it as an ordinary point layer
    gdf = pyogrio.read_dataframe(store.path, layer="projects")
    assert gdf.crs.to_epsg() == 4326
    assert sorted(gdf["id"]) == ["A", "B"]
    assert gdf.geometry.iloc[0].equals(shapely.Point(113.1163, 36.1955))
    assert {"versions", "project_versions"} <= set(pyogrio.list_layers(store.path)[:, 0])


def test_projects_in_register_shape(store):
    gdf = store.projects()
    assert list(gdf.columns) == [*REGISTER_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf["investment_yi"].tolist() == [1.5, 1.5]
    assert gdf["company"].tolist() == ["", ""]


def test_default_store_seeded_from_bundled_register(tmp_path):
    from geodata.register import load_register

    store = Store(tmp_path / "default.gpkg")
    register = load_register()
    gdf = store.projects()
    assert sorted(gdf["id"]) == sorted(register["id"])
    assert store.history()["action"].tolist() == ["create"]


def test_commit_merges_and_records_version(store):
    version = store.commit(frame(["B", "C"], name="新"), identity=STAFF, message="导入测试")
    assert version == 2
    gdf = store.projects().set_index("id")
    assert sorted(gdf.index) == ["A", "B", "C"]
    assert gdf.loc["B", "name_zh"] == "新B"
    assert gdf.loc["A", "name_zh"] == "项目A"
    hist = store.history()
    latest = hist.iloc[0]
    assert latest["version"] == 2
    assert latest["who"] == "wangli" and latest["who_name"] == "王丽"
    assert latest["message"] == "导入测试"
    assert (latest["added"], latest["updated"], latest["removed"]) == (1, 1, 0)
    assert latest["created_at"].endswith("Z")


def test_replace_and_restore(store):
    store.commit(frame(["Z"]), identity=STAFF, message="replace", replace=True)
    assert store.projects()["id"].tolist() == ["Z"]
    assert store.projects(version=1)["id"].tolist() == ["A", "B"]
    version = store.restore(1, identity=STAFF)
    assert version == 3
    assert store.projects()["id"].tolist() == ["A", "B"]
    hist = store.history()
    assert hist.iloc[0]["action"] == "restore"
    assert hist.iloc[0]["restored_from"] == 1
    with pytest.raises(KeyError):
        store.restore(99, identity=STAFF)


def test_set_location_converts_and_versions(store):
    glon, glat = convert(lon=112.8650, lat=36.8377, src="wgs84", dst="gcj02")
    version = store.set_location("A", lon=glon, lat=glat, crs="gcj02", identity=STAFF)
    row = store.projects().set_index("id").loc["A"]
    assert (row["lon"], row["lat"]) == pytest.approx((112.8650, 36.8377), abs=1e-6)
    assert row.geometry.x == pytest.approx(112.8650, abs=1e-6)
    assert store.history().iloc[0]["action"] == "edit"
    assert store.projects(version=version - 1).set_index("id").loc["A", "lon"] == 113.1163
    with pytest.raises(KeyError):
        store.set_location("nope", lon=113, lat=36, identity=STAFF)
    with pytest.raises(ValueError):
        store.set_location("A", lon=float("nan"), lat=36, identity=STAFF)


def test_writes_refuse_without_identity(store):
    with pytest.raises(PermissionError):
        store.commit(frame(["C"]), identity=None, message="x")
    with pytest.raises(PermissionError):
        store.restore(1, identity=None)
    with pytest.raises(PermissionError):
        store.set_location("A", lon=113, lat=36, identity=None)
    assert store.current_version() == 1


def test_unlocated_projects_and_review_queue(store):
    pending = frame(["P"])
    pending["lon"] = np.nan
    pending["lat"] = np.nan
    pending["precision"] = ""
    pending = pending.set_geometry(gpd.GeoSeries([None], crs=WGS84))
    coarse = frame(["Q"])
    coarse["precision"] = "county"
    store.commit(register_frame(pending), identity=STAFF, message="pending")
    store.commit(coarse, identity=STAFF, message="coarse")
    assert "P" not in set(store.projects()["id"])
    everything = store.projects(include_unlocated=True)
    assert everything.set_index("id").loc["P"].geometry is None
    assert store.review_queue()["id"].tolist() == ["P", "Q"]
    store.set_location("P", lon=113.0, lat=36.3, identity=STAFF)
    assert store.review_queue()["id"].tolist() == ["Q"]


def test_register_frame_refuses_bad_input():
    with pytest.raises(ValueError, match="id"):
        register_frame(frame(["A", "A"]))
    with pytest.raises(ValueError, match="EPSG:4326"):
        register_frame(frame(["A"]).to_crs(3857))


def _child(code: str, path: Path) -> subprocess.Popen:
    script = textwrap.dedent(code).replace("STORE_FILE", repr(str(path)))
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


KILLED_WRITER = """
    import sys, time
    import geopandas as gpd
    from geodata import store as st
    from geodata.auth import system_identity
    from geodata.settings import WGS84

    real = st.Store._write_version

    def stall(self, con, frame, **kwargs):
        # the real write: current table replaced inside the open transaction
        con.execute("DELETE FROM projects")
        con.executemany("INSERT INTO projects (id, name_zh) VALUES (?, ?)",
                        [(f"X{i}", "半截") for i in range(5000)])
        print("MID-TRANSACTION", flush=True)
        time.sleep(120)

    st.Store._write_version = stall
    s = st.Store(STORE_FILE)
    big = gpd.GeoDataFrame({"id": ["X1"], "name_zh": ["x"]},
                           geometry=gpd.points_from_xy([113.0], [36.2]), crs=WGS84)
    s.commit(big, identity=system_identity("killed"), message="never lands")
"""


def test_killed_writer_leaves_previous_version(store):
    before = store.projects()
    child = _child(KILLED_WRITER, store.path)
    try:
        assert child.stdout.readline().strip() == "MID-TRANSACTION"
        # the transaction is open: a rollback journal exists next to the store
        assert store.path.with_name(store.path.name + "-journal").exists()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    # a fresh opener (the app starting) rolls the hot journal back
    reopened = Store(store.path)
    after = reopened.projects()
    assert after["id"].tolist() == before["id"].tolist()
    assert after["name_zh"].tolist() == before["name_zh"].tolist()
    assert reopened.current_version() == 1
    assert reopened.history()["message"].str.contains("never lands").sum() == 0
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # and it still takes writes
    assert reopened.commit(frame(["C"]), identity=STAFF, message="after crash") == 2
    assert pyogrio.read_dataframe(store.path, layer="projects").shape[0] == 3


LOCK_HOLDER = """
    import sqlite3, sys
    con = sqlite3.connect(STORE_FILE, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    print("LOCKED", flush=True)
    sys.stdin.readline()
    con.execute("ROLLBACK")
    con.close()
    print("RELEASED", flush=True)
"""


def test_locked_store_is_busy_and_loses_nothing(store):
    child = _child(LOCK_HOLDER, store.path)
    try:
        assert child.stdout.readline().strip() == "LOCKED"
        busy = Store(store.path, busy_timeout=0.2)
        with pytest.raises(StoreBusy) as err:
            busy.commit(frame(["C"]), identity=STAFF, message="while locked")
        assert "busy" in str(err.value) and "try again" in str(err.value)
        with pytest.raises(StoreBusy):
            busy.set_location("A", lon=113.0, lat=36.3, identity=STAFF)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "RELEASED"
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
    # nothing was written while locked; the retry succeeds
    assert store.current_version() == 1
    assert store.commit(frame(["C"]), identity=STAFF, message="retry") == 2
    assert sorted(store.projects()["id"]) == ["A", "B", "C"]


def test_first_open_is_atomic(tmp_path):
    path = tmp_path / "sub" / "new.gpkg"

    def broken_seed():
        raise RuntimeError("register unreadable")

    with pytest.raises(RuntimeError):
        Store(path, seed=broken_seed)
    # no half-created store is left behind
    assert not path.exists()
    assert [p.name for p in path.parent.iterdir() if p.suffix != ".lock"] == []


def test_not_a_store_is_refused(tmp_path):
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a project store"):
        Store(junk)
    other = tmp_path / "other.gpkg"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(StoreError, match="not a project store"):
        Store(other)


def test_versions_store_changes_not_copies(store):
    store.commit(frame([f"N{i}" for i in range(50)]), identity=STAFF, message="50 new")
    v3 = store.set_location("N7", lon=113.0, lat=36.3, identity=STAFF)
    con = sqlite3.connect(store.path)
    per_version = dict(
        con.execute("SELECT version, count(*) FROM project_versions GROUP BY version").fetchall()
    )
    con.close()
    assert per_version == {1: 2, 2: 50, 3: 1}
    # unchanged rows committed again are not a change
    v4 = store.commit(frame(["A"]), identity=STAFF, message="same again")
    assert store.history().set_index("version").loc[v4, ["added", "updated"]].tolist() == [0, 0]
    assert store.projects(version=v3 - 1).set_index("id").loc["N7", "lon"] == 113.1163
    assert store.projects(version=v3).set_index("id").loc["N7", "lon"] == 113.0


def test_every_version_reads_back_after_removals(store):
    states = {1: ["A", "B"]}
    states[store.commit(frame(["C"]), identity=STAFF, message="add C")] = ["A", "B", "C"]
    states[store.commit(frame(["B"]), identity=STAFF, message="only B", replace=True)] = ["B"]
    states[store.commit(frame(["A"]), identity=STAFF, message="A back")] = ["A", "B"]
    states[store.restore(2, identity=STAFF)] = ["A", "B", "C"]
    for version, ids in states.items():
        assert store.projects(version=version)["id"].tolist() == ids, version
    assert store.projects()["id"].tolist() == ["A", "B", "C"]
    restore = store.history().iloc[0]
    assert (restore["added"], restore["removed"]) == (1, 0)


def test_a_store_of_another_schema_is_refused_by_name(tmp_path):
    path = tmp_path / "old.gpkg"
    Store(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE store_meta SET value = '0' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match=f"schema 0, this app reads schema {STORE_SCHEMA_VERSION}"):
        Store(path)


@pytest.mark.parametrize(
    ("lon", "lat", "crs"),
    [(116.4074, 39.9042, "wgs84"), (112.55, 37.87, "wgs84"), (113.7, 35.7, "gcj02")],
)
def test_set_location_refuses_points_outside_the_city(store, lon, lat, crs):
    # beijing, taiyuan, and a point in the city box but in henan
    before = store.projects()
    with pytest.raises(ValueError, match="outside 长治市") as refused:
        store.set_location("A", lon=lon, lat=lat, crs=crs, identity=STAFF)
    # the message names the point as given
    assert f"{lon:.6f}, {lat:.6f}" in str(refused.value) or f"lon={lon:.6f}" in str(refused.value)
    assert store.current_version() == 1
    assert store.projects().equals(before)


def test_set_location_outside_the_stated_county_warns_and_records_it(store):
    # a is stated in 潞州区 (140403); 武乡县 lies to the north
    with pytest.warns(OutsideCountyWarning, match="潞州区.*武乡县"):
        version = store.set_location("A", lon=112.8650, lat=36.8377, identity=STAFF)
    assert version == 2
    assert store.projects().set_index("id").loc["A", "lon"] == pytest.approx(112.8650)
    note = store.history().iloc[0]["message"]
    assert "武乡县" in note and "outside the stated county" in note


def test_set_location_in_the_stated_county_has_no_note(store):
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideCountyWarning)
        store.set_location("B", lon=113.12, lat=36.20, identity=STAFF, message="改点")
    assert store.history().iloc[0]["message"] == "改点"


def test_city_outline_is_loaded_lazily():
    code = "import geodata.store as s; print(s._city_shapes.cache_info().currsize)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "0"
