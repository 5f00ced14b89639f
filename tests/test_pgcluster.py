"""The test run starts its own PostgreSQL 15 cluster with PostGIS (no Docker)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg

from geodata._pgcluster import is_running, reap_orphans

ROOT = Path(__file__).resolve().parent.parent


def test_cluster_has_postgis(pg_url):
    assert pg_url.startswith("postgresql://postgres@127.0.0.1:")
    with psycopg.connect(pg_url) as con:
        version = con.execute("SELECT postgis_lib_version()").fetchone()[0]
        server = con.execute("SHOW server_version_num").fetchone()[0]
        point = con.execute(
            "SELECT ST_AsText(ST_SetSRID(ST_MakePoint(113.1, 36.2), 4326))"
        ).fetchone()[0]
    assert version.startswith("3.")
    assert int(server) // 10000 == 15
    assert point == "POINT(113.1 36.2)"


def test_cluster_listens_only_on_loopback(pg_url):
    with psycopg.connect(pg_url) as con:
        assert con.execute("SHOW listen_addresses").fetchone()[0] == "127.0.0.1"


ORPHAN = """
import os, signal
from geodata._pgcluster import temporary_cluster
with temporary_cluster(dbname="orphan") as cluster:
    print(cluster.folder, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_cluster_of_a_killed_run_is_stopped_and_removed_by_the_next():
    child = subprocess.run(
        [sys.executable, "-c", ORPHAN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    folder = Path(child.stdout.strip())
    assert is_running(folder)
    assert folder in reap_orphans()
    assert not folder.exists()
