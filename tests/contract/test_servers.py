"""The embedded servers themselves: one stops alone and comes back on its port with its data."""

from __future__ import annotations

from pathlib import Path

import psycopg2
import pytest
import requests

from shopfn.servers import ENV_VARS, EmbeddedServers

pytestmark = [pytest.mark.timeout(120)]


def test_one_server_restarts_on_its_port_with_its_data(
    servers_tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Servers of this test's own: the session's may be in the environment and must not be used.
    for var in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)
    lines: list[str] = []
    with EmbeddedServers(
        servers_tmp_path, ["postgres", "elasticsearch"], log=lines.append
    ) as servers:
        urls = servers.start()
        pg_url, es_url = urls["SHOPFN_POSTGRES_URL"], urls["SHOPFN_ELASTICSEARCH_URL"]
        with psycopg2.connect(pg_url) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE kept (id int PRIMARY KEY)")
            cur.execute("INSERT INTO kept VALUES (42)")
        conn.close()
        created = requests.put(f"{es_url}/kept/_doc/1?refresh=true", json={"n": 42}, timeout=5)
        assert created.status_code in (200, 201)

        servers.stop_one("elasticsearch")
        with pytest.raises(requests.ConnectionError):
            requests.get(es_url, timeout=2)
        with psycopg2.connect(pg_url) as conn, conn.cursor() as cur:
            cur.execute("SELECT id FROM kept")
            assert cur.fetchall() == [(42,)], "postgres should not notice elasticsearch stopping"
        conn.close()

        assert servers.start_one("elasticsearch") == es_url
        assert requests.get(f"{es_url}/kept/_doc/1", timeout=5).json()["_source"] == {"n": 42}

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


def test_unknown_server_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown servers"):
        EmbeddedServers(tmp_path, ["mysql"])
