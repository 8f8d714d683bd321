"""The embedded servers themselves: one stops alone and comes back on its port with its data."""

from __future__ import annotations

import errno
import json
import socket
import subprocess
import sys
from pathlib import Path

import psycopg2
import pymongo
import pymongo.errors
import pytest

from shopfn.servers import ENV_VARS, EmbeddedServers
from shopfn.servers.base import free_port, port_open, process_alive

pytestmark = [pytest.mark.timeout(120)]


def test_one_server_restarts_on_its_port_with_its_data(
    servers_tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Servers of this test's own: the session's may be in the environment and must not be used.
    for var in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)
    lines: list[str] = []
    with EmbeddedServers(servers_tmp_path, ["postgres", "mongo"], log=lines.append) as servers:
        urls = servers.start()
        pg_url, mongo_url = urls["SHOPFN_POSTGRES_URL"], urls["SHOPFN_MONGO_URL"]
        with psycopg2.connect(pg_url) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE kept (id int PRIMARY KEY)")
            cur.execute("INSERT INTO kept VALUES (42)")
        conn.close()
        with pymongo.MongoClient(mongo_url, serverSelectionTimeoutMS=5000) as client:
            client.shop.kept.insert_one({"_id": 1, "n": 42})

        servers.stop_one("mongo")
        with (
            pytest.raises(pymongo.errors.ServerSelectionTimeoutError),
            pymongo.MongoClient(mongo_url, serverSelectionTimeoutMS=1000) as client,
        ):
            client.shop.kept.find_one()
        with psycopg2.connect(pg_url) as conn, conn.cursor() as cur:
            cur.execute("SELECT id FROM kept")
            assert cur.fetchall() == [(42,)], "postgres should not notice mongo stopping"
        conn.close()

        assert servers.start_one("mongo") == mongo_url
        with pymongo.MongoClient(mongo_url, serverSelectionTimeoutMS=5000) as client:
            assert client.shop.kept.find_one({"_id": 1}) == {"_id": 1, "n": 42}

        servers.stop_one("postgres")
        with pytest.raises(psycopg2.OperationalError):
            psycopg2.connect(pg_url, connect_timeout=2)
        assert servers.start_one("postgres") == pg_url
        with psycopg2.connect(pg_url) as conn, conn.cursor() as cur:
            cur.execute("SELECT id FROM kept")
            assert cur.fetchall() == [(42,)]
        conn.close()
    assert any("postgres" in line for line in lines)


def test_a_server_set_in_the_environment_is_external(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPFN_REDIS_URL", "redis://127.0.0.1:1/0")
    servers = EmbeddedServers(tmp_path, ["redis"], log=lambda _: None)
    try:
        assert servers.start() == {"SHOPFN_REDIS_URL": "redis://127.0.0.1:1/0"}
        assert servers.server("redis") is None
    finally:
        servers.stop()
    assert not (tmp_path / "redis").exists()


def test_a_chosen_port_is_held_until_its_server_starts(
    servers_tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHOPFN_REDIS_URL", raising=False)
    with EmbeddedServers(servers_tmp_path, ["redis"], log=lambda _: None) as servers:
        assert servers.server("redis") is not None
        port = servers.ports["redis"]
        with socket.socket() as intruder, pytest.raises(OSError) as refused:
            intruder.bind(("127.0.0.1", port))
        assert refused.value.errno == errno.EADDRINUSE
        assert servers.start()["SHOPFN_REDIS_URL"].startswith(f"redis://127.0.0.1:{port}")
        assert port_open(port)


def test_unknown_server_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown servers"):
        EmbeddedServers(tmp_path, ["mysql"])


CRASHING_RUN = """
import json, sys, time
from pathlib import Path
from shopfn.servers import EmbeddedServers
ports = json.loads(sys.argv[2])
servers = EmbeddedServers(Path(sys.argv[1]), list(ports), ports=ports, log=lambda _: None)
print(json.dumps(servers.start()), flush=True)
time.sleep(120)
"""


def test_a_restart_after_a_crash_replaces_the_leftover_servers(
    servers_tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)
    ports = {"redis": free_port(), "kafka": free_port()}
    with subprocess.Popen(
        [sys.executable, "-c", CRASHING_RUN, str(servers_tmp_path), json.dumps(ports)],
        stdout=subprocess.PIPE,
        text=True,
    ) as crashing:
        try:
            assert crashing.stdout is not None
            first_urls = json.loads(crashing.stdout.readline())
        finally:
            crashing.kill()  # SIGKILL: its servers are left running, as after a crash
    leftover_pids = {int((servers_tmp_path / n / f"{n}.pid").read_text()) for n in ports}

    with EmbeddedServers(servers_tmp_path, list(ports), ports=ports, log=lambda _: None) as again:
        assert again.start() == first_urls
        new_pids = {int((servers_tmp_path / n / f"{n}.pid").read_text()) for n in ports}
        assert not new_pids & leftover_pids
        assert not any(process_alive(pid) for pid in leftover_pids)
