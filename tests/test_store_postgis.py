"""The PostGIS backend itself: tables, schema versions, failures, killed writers, concurrency.

Everything a store promises through the seam is tested on both backends by the
contract suite (``tests/test_store.py``). Here: our own tables (Point 4326,
GiST, schema version), a one-point edit that reads one row, a missing database
or server, a stopped and restarted server, retries of serialization failures,
a SIGKILLed writer, 20 writer processes, and copying between the backends both
ways through the command line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import psycopg
import pytest
from _stores import OTHER, ROOT, STAFF, assert_same_store, frame, unlocated

from bench.writers import OUTCOME_COLUMNS, lost_updates, run_writers
from geodata.store import (
    SCHEMA_VERSION,
    SchemaMismatch,
    StoreBusy,
    StoreError,
    StoreNotFound,
    create_store,
    open_store,
    upgrade_store,
)
from geodata.store.__main__ import main as store_cli
from geodata.store.postgis import PostgisStore, engine_url

WANG, ZHAO = STAFF, OTHER


@pytest.fixture
def new_url(pg_database):
    """URL of a new, empty PostGIS database."""
    return pg_database


@pytest.fixture
def store(pg_database):
    made = create_store(pg_database(), seed=frame(["A", "B"]))
    yield made
    made.close()


def test_tables_are_created_by_our_schema(store):
    with psycopg.connect(engine_url_text(store)) as con:
        geom = con.execute(
            "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'projects'"
        ).fetchone()
        index = con.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'projects' AND indexdef ILIKE "
            "'%gist%'"
        ).fetchone()
        meta = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    assert geom == ("POINT", 4326)
    assert "geom" in index[0]
    assert meta == (str(SCHEMA_VERSION),)


def engine_url_text(store):
    """Connection URL of a test store (trust auth: no password)."""
    return engine_url(store.url).set(drivername="postgresql").render_as_string()


# review edits


def test_one_point_edit_reads_only_its_row(store, monkeypatch):
    from geodata.store import _pgio

    real = _pgio.current_rows

    def only_some(con, ids=None):
        assert ids == ["A"], ids
        return real(con, ids)

    monkeypatch.setattr(_pgio, "current_rows", only_some)
    monkeypatch.setattr(_pgio, "copy_out", None)  # no whole-register read either
    version = store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)
    assert version == 2
    monkeypatch.undo()
    assert store.projects().set_index("id").loc["A", "lon"] == 113.12


# failures


def test_schema_mismatch_names_both_versions(store):
    with psycopg.connect(engine_url_text(store), autocommit=True) as con:
        con.execute("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaMismatch, match=rf"schema 99, this app reads schema {SCHEMA_VERSION}"):
        open_store(engine_url_text(store))
    with pytest.raises(SchemaMismatch, match="99"):
        upgrade_store(engine_url_text(store))


def test_upgrade_from_schema_1(store):
    # a schema-1 store: without the index of migration 2 and what migration 3 adds
    with psycopg.connect(engine_url_text(store), autocommit=True) as con:
        con.execute("DROP INDEX project_versions_version")
        for table in ("projects", "project_versions"):
            for column in ("key_level", "major_10yi"):
                con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        for table in ("plans", "plan_versions", "progress", "progress_versions"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE store_meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(SchemaMismatch, match="upgrade"):
        open_store(engine_url_text(store))
    assert upgrade_store(engine_url_text(store)) == (1, SCHEMA_VERSION)
    assert upgrade_store(engine_url_text(store)) == (SCHEMA_VERSION, SCHEMA_VERSION)
    with psycopg.connect(engine_url_text(store)) as con:
        found = con.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'project_versions_version'"
        ).fetchone()
    assert found is not None
    assert open_store(engine_url_text(store)).current_version() == 1


def test_missing_database_is_store_not_found_without_password(pg_cluster):
    url = f"postgresql://postgres:hunter2@127.0.0.1:{pg_cluster.port}/no_such_db"
    with pytest.raises(StoreNotFound, match=r"no project store at .*no_such_db") as err:
        open_store(url)
    assert "hunter2" not in str(err.value) and "***" in str(err.value)


def test_database_without_a_store_names_it_and_init_creates_it(pg_database, capsys):
    url = pg_database("empty")
    with pytest.raises(StoreNotFound, match=f"no project store at {url}.*init") as err:
        open_store(url)
    assert "password" not in str(err.value)
    assert store_cli(["init", url]) == 0
    assert "version 1" in capsys.readouterr().out
    assert open_store(url).current_version() == 1
    assert store_cli(["init", url]) == 1
    assert "a store exists at" in capsys.readouterr().err


def test_init_creates_a_missing_database(pg_cluster, capsys):
    url = f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/made_by_init"
    try:
        assert store_cli(["init", url, "--seed", "empty"]) == 0
        store = open_store(url)
        assert (store.current_version(), len(store.projects())) == (1, 0)
        store.close()
    finally:
        with psycopg.connect(pg_cluster.url, autocommit=True) as con:
            con.execute("DROP DATABASE IF EXISTS made_by_init WITH (FORCE)")


def test_unreachable_server_is_a_clear_error():
    from geodata._pgcluster import free_port

    with pytest.raises(StoreError, match=r"数据库无法连接.*database unreachable"):
        PostgisStore(f"postgresql://postgres:pw@127.0.0.1:{free_port()}/changzhi")


def test_stopped_server_gives_a_clear_error_then_recovers(pg_cluster, store):
    assert store.current_version() == 1
    pg_cluster.stop()
    try:
        with pytest.raises(StoreError, match="数据库无法连接") as err:
            store.current_version()
        assert "database unreachable" in str(err.value)
        with pytest.raises(StoreError, match="database unreachable"):
            store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)
    finally:
        pg_cluster.start()
    assert store.current_version() == 1
    assert store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1) == 2


def test_serialization_failures_and_deadlocks_are_retried_inside(store, monkeypatch):
    from geodata.store import _pgio

    real = _pgio.current_rows
    failures = [psycopg.errors.SerializationFailure("x"), psycopg.errors.DeadlockDetected("y")]

    def flaky(*args, **kwargs):
        if failures:
            raise failures.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(_pgio, "current_rows", flaky)
    assert store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1) == 2
    assert not failures
    assert store.history()["version"].tolist() == [2, 1]


def test_endless_serialization_failures_end_busy_with_nothing_written(store, monkeypatch):
    from geodata.store import _pgio

    def always(*args, **kwargs):
        raise psycopg.errors.SerializationFailure("x")

    monkeypatch.setattr(_pgio, "current_rows", always)
    store.retries = 2
    with pytest.raises(StoreBusy, match="nothing was written"):
        store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)
    assert store.current_version() == 1


KILLED_WRITER = """
    import sys, time
    import geopandas as gpd
    from geodata.store import _pgio
    from geodata.store.base import Author
    from geodata.store.postgis import PostgisStore

    real = _pgio.record

    def stall(*args, **kwargs):
        # the whole write done inside the open transaction, then wait to be killed
        version = real(*args, **kwargs)
        print("MID-TRANSACTION", version, flush=True)
        time.sleep(120)

    _pgio.record = stall
    s = PostgisStore(sys.argv[1])
    ids = [f"X{i}" for i in range(5000)]
    big = gpd.GeoDataFrame({"id": ids, "name_zh": "半截"},
                           geometry=gpd.points_from_xy([113.0] * 5000, [36.2] * 5000),
                           crs="EPSG:4326")
    s.commit(big, author=Author("killed"), base_version=s.current_version(),
             message="never lands", replace=True)
"""


def test_killed_writer_leaves_the_previous_version_whole(store):
    before = store.projects()
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_WRITER), engine_url_text(store)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("MID-TRANSACTION 2"), line
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert store.current_version() == 1
    pd.testing.assert_frame_equal(store.projects(), before)
    assert len(store.history()) == 1
    # the dead writer's lock is gone: the next write goes through at once
    assert store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1) == 2


# moving between the backends


def _busy(store):
    """Give a store every kind of version: import, removal, edit, restore, revert."""
    base = store.current_version()
    store.commit(pd.concat([frame(["C"]), unlocated("U")]), author=WANG, base_version=base,
                 message="c")  # fmt: skip
    store.commit(frame(["C"], name="新"), author=WANG, base_version=base + 1, message="r",
                 replace=True)  # fmt: skip
    store.set_location("C", lon=113.12, lat=36.2, author=ZHAO, base_version=base + 2)
    store.restore(base + 1, author=WANG, base_version=base + 3)
    store.revert(base + 4, author=WANG, base_version=base + 4)
    return store


def test_copy_geopackage_to_postgis_and_back_keeps_every_version(tmp_path, pg_database, capsys):
    office = _busy(create_store(tmp_path / "office.gpkg", seed=frame(["A", "B"])))
    url = pg_database("moved")
    assert store_cli(["copy", str(tmp_path / "office.gpkg"), url]) == 0
    assert f"({office.current_version()} versions)" in capsys.readouterr().out
    city = open_store(url)
    assert_same_store(office, city)
    # the city goes on, then everything comes back into a new geopackage
    city.set_location("C", lon=113.13, lat=36.21, author=ZHAO, base_version=6)
    assert store_cli(["copy", url, str(tmp_path / "back.gpkg")]) == 0
    back = open_store(tmp_path / "back.gpkg")
    assert_same_store(city, back)
    assert back.history().iloc[0]["who_name"] == "赵强"
    city.close()


def test_backup_of_postgis_restores_by_copy(store, tmp_path, pg_database):
    _busy(store)
    assert store_cli(["backup", engine_url_text(store), str(tmp_path / "b.gpkg")]) == 0
    assert store_cli(["backup", engine_url_text(store), str(tmp_path / "b.gpkg")]) == 1
    restored_url = pg_database("restored")
    assert store_cli(["copy", str(tmp_path / "b.gpkg"), restored_url]) == 0
    restored = open_store(restored_url)
    assert_same_store(store, restored)
    restored.close()


# concurrency with real processes

WRITERS = 20
EDITS = 50
POOL_IDS = [f"P{k:02d}" for k in range(20)]


def test_twenty_writers_lose_nothing(pg_database):
    store = create_store(pg_database(), seed=frame(POOL_IDS))
    url = engine_url_text(store)
    store.close()
    outcomes, _ = run_writers(url, writers=WRITERS, edits=EDITS, ids=POOL_IDS, timeout=300)
    assert len(outcomes) == WRITERS * EDITS
    errors = outcomes[outcomes["outcome"] == "error"]
    assert errors.empty, errors.head().to_string()
    ok = outcomes[outcomes["outcome"] == "ok"].sort_values("version")
    assert 0 < len(ok) < len(outcomes)  # some refused: the writers really raced
    # every committed edit is one version in the history, and nothing else is
    history = store.history()
    assert len(history) == len(ok) + 1
    assert history["version"].tolist() == list(range(len(ok) + 1, 0, -1))
    recorded = history.set_index("version").loc[ok["version"].astype(int), "message"].tolist()
    assert recorded == ok["tag"].tolist()
    assert lost_updates(outcomes) == 0
    # the register holds the last committed name and point of every project
    final = store.projects().set_index("id")
    for pid, edits in ok.groupby("id"):
        names, points = edits[edits["lon"].isna()], edits[edits["lon"].notna()]
        if len(names):
            assert final.loc[pid, "name_zh"] == names["tag"].iloc[-1]
        if len(points):
            assert (
                final.loc[pid, ["lon", "lat"]].tolist() == points[["lon", "lat"]].iloc[-1].tolist()
            )


def test_lost_updates_are_counted():
    outcomes = pd.DataFrame(
        [("ok", "A", "x", 1, 2, None, None), ("ok", "A", "y", 1, 3, None, None)],
        columns=list(OUTCOME_COLUMNS),
    )
    assert lost_updates(outcomes) == 1
    outcomes.loc[1, "base"] = 2
    assert lost_updates(outcomes) == 0
