"""The GeoPackage backend: the file, its codec, crash safety, locks, schema versions, CLI.

The crash and lock tests use real processes: one child is SIGKILLed in the
middle of a write transaction, another holds ``BEGIN EXCLUSIVE``.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from _stores import ROOT, STAFF, assert_same_store, frame

import geodata.settings
from geodata.schema import register_frame
from geodata.settings import WGS84
from geodata.store import (
    SCHEMA_VERSION,
    Author,
    GpkgStore,
    SchemaMismatch,
    StoreBusy,
    StoreError,
    StoreNotFound,
    create_store,
    open_default_store,
    open_store,
    upgrade_store,
)
from geodata.store.__main__ import main as store_cli
from geodata.store._gpkg_codec import decode_geometries, encode_points


@pytest.fixture
def store(tmp_path):
    return create_store(tmp_path / "store.gpkg", seed=lambda: frame(["A", "B"]))


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
    assert store.url == f"gpkg:{store.path}" and store.path.is_absolute()
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


def test_register_frame_refuses_bad_input():
    with pytest.raises(ValueError, match="id"):
        register_frame(frame(["A", "A"]))
    with pytest.raises(ValueError, match="EPSG:4326"):
        register_frame(frame(["A"]).to_crs(3857))


def _child(code: str, path) -> subprocess.Popen:
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
    import time
    import geopandas as gpd
    from geodata.store import Author, open_store
    from geodata.store import _gpkg_sql
    from geodata.settings import WGS84

    def stall(con, change, **kwargs):
        # the real write: current table replaced inside the open transaction
        con.execute("DELETE FROM projects")
        con.executemany("INSERT INTO projects (id, name_zh) VALUES (?, ?)",
                        [(f"X{i}", "半截") for i in range(5000)])
        print("MID-TRANSACTION", flush=True)
        time.sleep(120)

    _gpkg_sql.write_changes = stall
    s = open_store(STORE_FILE)
    big = gpd.GeoDataFrame({"id": ["X1"], "name_zh": ["x"]},
                           geometry=gpd.points_from_xy([113.0], [36.2]), crs=WGS84)
    s.commit(big, author=Author("killed"), base_version=1, message="never lands")
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
    reopened = open_store(store.path)
    after = reopened.projects()
    assert after["id"].tolist() == before["id"].tolist()
    assert after["name_zh"].tolist() == before["name_zh"].tolist()
    assert reopened.current_version() == 1
    assert reopened.history()["message"].str.contains("never lands").sum() == 0
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # and it still takes writes
    assert reopened.commit(frame(["C"]), author=STAFF, base_version=1, message="after") == 2
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
        busy = GpkgStore(store.path, busy_timeout=0.2)
        with pytest.raises(StoreBusy) as err:
            busy.commit(frame(["C"]), author=STAFF, base_version=1, message="while locked")
        assert "busy" in str(err.value) and "try again" in str(err.value)
        with pytest.raises(StoreBusy):
            busy.set_location("A", lon=113.12, lat=36.2, author=STAFF, base_version=1)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "RELEASED"
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
    # nothing was written while locked; the retry succeeds
    assert store.current_version() == 1
    assert store.commit(frame(["C"]), author=STAFF, base_version=1, message="retry") == 2
    assert sorted(store.projects()["id"]) == ["A", "B", "C"]


def test_first_create_is_atomic(tmp_path):
    path = tmp_path / "sub" / "new.gpkg"

    def broken_seed():
        raise RuntimeError("register unreadable")

    with pytest.raises(RuntimeError):
        create_store(path, seed=broken_seed)
    assert not path.exists()
    # a seed refused while the file is being written
    with pytest.raises(ValueError, match="repeated"):
        create_store(path, seed=frame(["A", "A"]))
    # no half-created store is left behind
    assert not path.exists()
    assert [p.name for p in path.parent.iterdir() if p.suffix != ".lock"] == []


def test_not_a_store_is_refused(tmp_path):
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a project store"):
        open_store(junk)
    other = tmp_path / "other.gpkg"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(StoreError, match="not a project store"):
        open_store(other)


def test_versions_store_changes_not_copies(store):
    store.commit(frame([f"N{i}" for i in range(50)]), author=STAFF, base_version=1, message="50")
    v3 = store.set_location("N7", lon=113.12, lat=36.2, author=STAFF, base_version=2)
    con = sqlite3.connect(store.path)
    per_version = dict(
        con.execute("SELECT version, count(*) FROM project_versions GROUP BY version").fetchall()
    )
    con.close()
    assert per_version == {1: 2, 2: 50, 3: 1}
    assert store.projects(version=v3 - 1).set_index("id").loc["N7", "lon"] == 113.1163
    assert store.projects(version=v3).set_index("id").loc["N7", "lon"] == 113.12


def _set_schema(path, value: str) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE store_meta SET value = ? WHERE key = 'schema_version'", (value,))
    con.commit()
    con.close()


def test_a_store_of_another_schema_is_refused_by_name(store):
    for found in ("0", str(SCHEMA_VERSION + 1)):
        _set_schema(store.path, found)
        with pytest.raises(
            SchemaMismatch, match=f"schema {found}, this app reads schema {SCHEMA_VERSION}"
        ):
            open_store(store.path)
    # a newer store is not "upgraded" backwards
    with pytest.raises(SchemaMismatch, match="version of the app that wrote it"):
        upgrade_store(store.path)


def _schema_1_store(path):
    """Write a store in the first layout: no index of changes by version, no key level,
    no plans or progress, schema 1."""
    store = create_store(path, seed=lambda: frame(["A", "B"]))
    store.commit(frame(["C"]), author=STAFF, base_version=1, message="before the upgrade")
    con = sqlite3.connect(path)
    con.execute("DROP INDEX project_versions_version")
    for table in ("projects", "project_versions"):
        for column in ("key_level", "major_10yi"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for table in ("plans", "plan_versions", "progress", "progress_versions"):
        con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (table,))
    con.execute("UPDATE store_meta SET value = '1' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    return store


def test_upgrade_from_schema_1(tmp_path):
    path = tmp_path / "old.gpkg"
    old = _schema_1_store(path)
    with pytest.raises(SchemaMismatch) as err:
        open_store(path)
    assert f"schema 1, this app reads schema {SCHEMA_VERSION}" in str(err.value)
    assert f"python -m geodata.store upgrade {path}" in str(err.value)
    assert upgrade_store(path) == (1, SCHEMA_VERSION)
    store = open_store(path)
    assert store.projects()["id"].tolist() == ["A", "B", "C"]
    # the new register columns start empty (1.5亿元 is stated: not a major project)
    assert set(store.projects()["key_level"]) == {""}
    assert set(store.projects()["major_10yi"]) == {"no"}
    assert store.plans().empty and store.progress().empty
    assert store.history()["message"].iloc[0] == "before the upgrade"
    con = sqlite3.connect(path)
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    con.close()
    assert "project_versions_version" in indexes
    assert upgrade_store(path) == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert old.commit(frame(["D"]), author=STAFF, base_version=2, message="after") == 3


def test_cli_init_copy_backup_upgrade(tmp_path, capsys):
    src = tmp_path / "cli.gpkg"
    assert store_cli(["init", str(src), "--seed", "empty"]) == 0
    store = open_store(src)
    assert store.projects().empty and store.current_version() == 1
    store.commit(frame(["A"]), author=STAFF, base_version=1, message="one")
    assert store_cli(["init", str(src)]) == 1
    assert "exists" in capsys.readouterr().err
    assert store_cli(["copy", f"gpkg:{src}", str(tmp_path / "copy.gpkg")]) == 0
    assert_same_store(store, open_store(tmp_path / "copy.gpkg"))
    assert store_cli(["backup", str(src), str(tmp_path / "backup.gpkg")]) == 0
    assert_same_store(store, open_store(tmp_path / "backup.gpkg"))
    assert store_cli(["upgrade", str(src)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert store_cli(["copy", str(tmp_path / "nope.gpkg"), str(tmp_path / "x.gpkg")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.gpkg" in err[0] and not (tmp_path / "x.gpkg").exists()
    with pytest.raises(SystemExit):
        store_cli(["init"])
    assert store_cli(["init", str(tmp_path / "bundled.gpkg")]) == 0
    assert len(open_store(tmp_path / "bundled.gpkg").projects()) > 10


def test_only_the_embedded_default_is_created(tmp_path, monkeypatch, caplog):
    default = tmp_path / "var" / "changzhi.gpkg"
    monkeypatch.setattr(geodata.settings, "DEFAULT_STORE_PATH", default)
    monkeypatch.delenv("CHANGZHI_STORE", raising=False)
    geodata.settings.runtime.cache_clear()
    try:
        assert geodata.settings.runtime().store_is_default
        with caplog.at_level(logging.INFO, logger="geodata.store"):
            store = open_default_store()
        assert store.url == f"gpkg:{default}" and default.is_file()
        assert any("created the embedded default store" in r.message for r in caplog.records)
        # a typo in CHANGZHI_STORE is an error naming it, and nothing is created
        typo = tmp_path / "chagnzhi.gpkg"
        monkeypatch.setenv("CHANGZHI_STORE", str(typo))
        geodata.settings.runtime.cache_clear()
        assert not geodata.settings.runtime().store_is_default
        with pytest.raises(StoreNotFound, match=r"chagnzhi\.gpkg"):
            open_default_store()
        assert not typo.exists()
    finally:
        geodata.settings.runtime.cache_clear()


def test_city_outline_is_loaded_lazily():
    code = "import geodata.store._locate as s; print(s._counties.cache_info().currsize)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "0"


def test_unlocated_rows_keep_no_geometry(store):
    row = frame(["P"]).set_geometry(gpd.GeoSeries([None], crs=WGS84))
    row["lon"] = np.nan
    store.commit(row, author=Author("x"), base_version=1, message="p")
    con = sqlite3.connect(store.path)
    assert con.execute("SELECT geom FROM projects WHERE id = 'P'").fetchone() == (None,)
    con.close()
