"""The test run starts its own PostgreSQL 15 cluster with PostGIS (no Docker)."""

from __future__ import annotations

import psycopg


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
