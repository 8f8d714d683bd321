"""shopfn.stores.client_factory: one client per arguments, even when threads ask at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from shopfn.stores import client_factory


def test_threads_asking_at_once_get_one_client() -> None:
    built: list[object] = []

    @client_factory
    def make() -> object:
        time.sleep(0.05)  # long enough for every thread to arrive while the first builds
        client = object()
        built.append(client)
        return client

    start = threading.Barrier(8)

    def ask() -> object:
        start.wait(timeout=5)
        return make()

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda _: ask(), range(8)))
    assert len(built) == 1
    assert all(client is built[0] for client in got)
    assert make.cache_info().currsize == 1  # type: ignore[attr-defined]


def test_each_arguments_get_their_own_client_until_cleared() -> None:
    @client_factory
    def make(service: str) -> list[str]:
        return [service]

    assert make("ses") is make("ses") and make("ses") is not make("sns")
    assert make.cache_info().currsize == 2  # type: ignore[attr-defined]
    first = make("ses")
    make.cache_clear()  # type: ignore[attr-defined]
    assert make.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert make("ses") is not first
