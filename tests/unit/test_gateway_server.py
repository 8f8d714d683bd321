"""The gateway's WSGI server: concurrent keep-alive clients, the client's address passed on,
and a shutdown that closes its port and its threads."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from shopfn.emulator.gateway import Emulator
from shopfn.emulator.serve import serving
from shopfn.servers.base import free_port


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def test_serves_many_keep_alive_clients_then_stops_cleanly() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    emulator = Emulator({}, gateway_url=url, log=lambda _: None)
    before = {t.name for t in threading.enumerate()}

    def client(_: int) -> list[int]:
        with requests.Session() as session:
            return [session.get(f"{url}/healthz", timeout=10).status_code for _ in range(5)]

    with serving(emulator, port):
        with ThreadPoolExecutor(max_workers=40) as pool:
            statuses = [s for batch in pool.map(client, range(40)) for s in batch]
        # One client left connected: stopping must not wait for it to hang up.
        idle = requests.Session()
        assert idle.get(f"{url}/healthz", timeout=10).ok
        began = time.monotonic()
    assert time.monotonic() - began < 6
    idle.close()
    assert statuses == [200] * 200
    assert _refused(port)
    assert not {t.name for t in threading.enumerate() if t.is_alive()} - before


def test_the_app_sees_the_forwarded_client() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    emulator = Emulator({}, gateway_url=url, log=lambda _: None)
    seen: list[str] = []

    @emulator.app.get("/_test/client")
    def client_address() -> str:
        from flask import request

        seen.append(request.headers.get("X-Forwarded-For", ""))
        return "ok"

    with serving(emulator, port):
        got = requests.get(
            f"{url}/_test/client", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10
        )
    assert got.ok
    assert seen == ["203.0.113.9"]
