"""Readers' pages on a real streaming replica, started and stopped here: a
primary PostgreSQL cluster of its own on a free loopback port (initdb; the
machine's main cluster holds the benchmarks' databases, hundreds of MB to
copy, and its settings live outside its data folder) and its replica, made
by pg_basebackup -R from it, streaming over loopback, where alone
replication is allowed (initdb's pg_hba.conf)."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ops.topology import PG_BIN as BIN
from ops.topology import Cluster, private_folder

pytestmark = pytest.mark.postgresql

PROJECT = Path(__file__).resolve().parent.parent
DB = "magazine"


def psql(sql, port, db="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture(scope="module")
def clusters():
    folder = private_folder("magazine-replica-")
    primary = Cluster(folder / "primary")
    replica = Cluster(folder / "replica")
    try:
        primary.create()
        psql(f"CREATE DATABASE {DB}", primary.port)
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=PROJECT,
            env=environment(primary.port, replica.port),
            capture_output=True,
            text=True,
        )
        assert migrate.returncode == 0, migrate.stderr
        replica.replicate(primary)
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def replica(clusters):
    return clusters[1]


def environment(primary_port, replica_port):
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "replica-tests-only",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/{DB}",
        "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{replica_port}/{DB}",
        "PAGE_CACHE": "0",
        "REPLICA_CHECK_SECONDS": "0",
    }


def probe(clusters, scenario, **variables):
    primary, replica = clusters
    result = subprocess.run(
        [sys.executable, "tests/replica_probe.py", scenario],
        cwd=PROJECT,
        env={**environment(primary.port, replica.port), **variables},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_readers_read_from_the_replica_and_writers_see_their_writes_at_once(clusters, replica):
    assert psql("SELECT pg_is_in_recovery()", replica.port) == "t"
    assert probe(clusters, "setup") == {"replicated": True}
    read = probe(clusters, "reader")
    assert read["status"] == 200 and read["title_shown"]
    assert read["replica_queries"] > 0 and read["primary_queries"] == 0
    wrote = probe(clusters, "writer")
    assert wrote["pinned"]
    assert wrote["writer_status"] == 200 and wrote["writer_sees_own_write"]
    assert wrote["writer_replica_queries"] == 0 and wrote["writer_primary_queries"] > 0
    assert wrote["reader_status"] == 200 and wrote["reader_replica_queries"] > 0
    health = probe(clusters, "health")
    assert health["status"] == 200 and "replica1: ok, lag" in health["body"]


def test_a_replica_that_stops_is_left_out_without_an_error_page_and_used_again(clusters, replica):
    assert probe(clusters, "setup") == {"replicated": True}
    replica.stop()
    try:
        read = probe(clusters, "reader")
        assert read["status"] == 200 and read["title_shown"]  # from the primary
        assert read["replica_queries"] == 0 and read["primary_queries"] > 0
        health = probe(clusters, "health")
        assert health["status"] == 200 and "replica1: down" in health["body"]
    finally:
        replica.start()
    deadline = time.time() + 20
    while psql("SELECT pg_is_in_recovery()", replica.port) != "t":
        assert time.time() < deadline
        time.sleep(0.2)
    back = probe(clusters, "reader")
    assert back["status"] == 200 and back["replica_queries"] > 0


def test_a_replica_lost_in_the_middle_of_a_page_gives_the_page_from_the_primary(clusters, replica):
    assert probe(clusters, "setup") == {"replicated": True}
    stop = f"runuser -u postgres -- {BIN / 'pg_ctl'} -D {replica.folder} -m immediate -w stop"
    try:
        # Checked once a minute: the second page finds the replica gone only by
        # its queries failing, and is read again from the primary.
        lost = probe(clusters, "lost", REPLICA_CHECK_SECONDS="60", REPLICA_STOP_COMMAND=stop)
    finally:
        replica.start()
    assert lost["first_replica_queries"] > 0
    assert lost["status"] == 200 and lost["title_shown"]
    assert lost["primary_queries"] > 0
