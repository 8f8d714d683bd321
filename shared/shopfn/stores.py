"""One lazily created, reused client per store, each with timeouts. Nothing connects at import.

Every client is `guarded`: its calls go through the dependency's circuit breaker (shopfn.breaker).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from shopfn.breaker import guarded
from shopfn.config import settings
from shopfn.errors import ApiError

if TYPE_CHECKING:
    import psycopg2.extensions
    import psycopg2.pool
    import redis
    from kafka import KafkaProducer
    from opensearchpy import OpenSearch
    from pymongo.database import Database

_lock = threading.Lock()
PG_POOL_SIZE = 20
F = TypeVar("F", bound=Callable[..., Any])


class CacheInfo(NamedTuple):
    currsize: int


def client_factory(make: F) -> F:
    """Like functools.cache, but each client is built once even when threads ask at once.

    With functools.cache two threads' first calls each built a client and one was left
    unclosed (the seed's writers did). Only a build takes the lock; a call that finds its
    client does not. Keeps functools.cache's cache_info().currsize and cache_clear().
    """
    made: dict[tuple[Any, ...], Any] = {}
    building = threading.Lock()

    @functools.wraps(make)
    def get(*args: Any) -> Any:
        try:
            return made[args]
        except KeyError:
            pass
        with building:
            if args not in made:
                made[args] = make(*args)
            return made[args]

    get.cache_info = lambda: CacheInfo(len(made))  # type: ignore[attr-defined]
    get.cache_clear = made.clear  # type: ignore[attr-defined]
    return cast(F, get)


class StoreNotConfigured(ApiError):
    def __init__(self, variable: str) -> None:
        super().__init__(503, f"{variable} is not set: this function's store is not configured")


def _require(value: str, variable: str) -> str:
    if not value:
        raise StoreNotConfigured(variable)
    return value


@client_factory
def mongo_db() -> Database[dict[str, Any]]:
    from pymongo import MongoClient

    cfg = settings()
    ms = int(cfg.connect_timeout * 1000)
    client: MongoClient[dict[str, Any]] = MongoClient(
        _require(cfg.mongo_url, "SHOPFN_MONGO_URL"),
        connectTimeoutMS=ms,
        serverSelectionTimeoutMS=ms,
        socketTimeoutMS=int(cfg.request_timeout * 1000),
        tz_aware=True,
    )
    return guarded("mongo", client[cfg.mongo_db])


@client_factory
def pg_pool() -> psycopg2.pool.ThreadedConnectionPool:
    from psycopg2.pool import ThreadedConnectionPool

    cfg = settings()
    pool = ThreadedConnectionPool(
        1,
        PG_POOL_SIZE,
        dsn=_require(cfg.postgres_url, "SHOPFN_POSTGRES_URL"),
        connect_timeout=max(1, int(cfg.connect_timeout)),
        options=f"-c statement_timeout={int(cfg.request_timeout * 1000)}",
    )
    # The pool closes a returned connection once it holds `minconn` idle ones: with 1, every
    # moment two callers overlapped cost the next caller a new backend (5-8 ms each). Raised
    # after creation, connections still open only when needed, but then stay.
    pool.minconn = PG_POOL_SIZE
    return guarded("postgres", pool)


@client_factory
def _pg_slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(PG_POOL_SIZE)


@contextlib.contextmanager
def pg_conn() -> Iterator[psycopg2.extensions.connection]:
    """A pooled connection inside one transaction: committed on success, rolled back on error.

    psycopg2's pool raises at once when it is exhausted; a burst of requests should instead
    queue for a connection, up to the request timeout, then get a 503 it may retry.
    """
    slots = _pg_slots()
    if not slots.acquire(timeout=settings().request_timeout):
        raise ApiError(
            503, "the database is busy; try again", code="busy", headers={"Retry-After": "1"}
        )
    try:
        pool = pg_pool()
        conn = pool.getconn()
        broken = False
        try:
            with conn:
                yield conn
        except Exception:
            broken = bool(conn.closed)
            raise
        finally:
            pool.putconn(conn, close=broken)
    finally:
        slots.release()


@client_factory
def redis_client() -> redis.Redis:
    import redis as redis_lib

    cfg = settings()
    client = redis_lib.Redis.from_url(
        _require(cfg.redis_url, "SHOPFN_REDIS_URL"),
        socket_connect_timeout=cfg.connect_timeout,
        socket_timeout=cfg.request_timeout,
        decode_responses=True,
        health_check_interval=30,
    )
    return guarded("redis", client)


@client_factory
def es_client() -> OpenSearch:
    """The search engine's client: opensearch-py speaks to OpenSearch and to Elasticsearch 7+."""
    from opensearchpy import OpenSearch

    cfg = settings()
    client = OpenSearch(
        _require(cfg.elasticsearch_url, "SHOPFN_ELASTICSEARCH_URL"),
        timeout=cfg.request_timeout,
        retry_on_timeout=False,
        max_retries=1,
    )
    return guarded("elasticsearch", client)


@client_factory
def kafka_producer() -> KafkaProducer:
    from kafka import KafkaProducer

    cfg = settings()
    return KafkaProducer(
        bootstrap_servers=_require(cfg.kafka_url, "SHOPFN_KAFKA_URL").split(","),
        acks="all",
        linger_ms=2,
        request_timeout_ms=int(cfg.request_timeout * 1000),
        max_block_ms=int(cfg.request_timeout * 1000),
    )


@client_factory
def aws_client(service: str) -> Any:
    """A boto3 client; SHOPFN_AWS_URL points it at the emulator's local AWS endpoint."""
    import boto3
    from botocore.config import Config

    cfg = settings()
    kwargs: dict[str, Any] = {
        "region_name": cfg.aws_region,
        "config": Config(
            connect_timeout=cfg.connect_timeout,
            read_timeout=cfg.request_timeout,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
    if cfg.aws_url:
        # The local endpoint accepts any credentials; a cluster gets real ones from a Secret.
        kwargs.update(
            endpoint_url=cfg.aws_url, aws_access_key_id="shopfn", aws_secret_access_key="shopfn"
        )
    return guarded("aws", boto3.client(service, **kwargs))


@client_factory
def cassandra_session() -> Any:
    from cassandra import ConsistencyLevel
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import DCAwareRoundRobinPolicy, RetryPolicy, TokenAwarePolicy

    cfg = settings()
    hosts = _require(cfg.cassandra_hosts, "CASSANDRA_HOSTS").split(",")
    points, port = [], 9042
    for host in hosts:
        name, _, p = host.strip().partition(":")
        points.append(name)
        port = int(p) if p else port
    # Policies live in an execution profile: the driver's legacy Cluster keywords are deprecated
    # (a DeprecationWarning). The default RetryPolicy never retries a timed-out counter write,
    # which is what a non-idempotent increment needs.
    profile = ExecutionProfile(
        load_balancing_policy=TokenAwarePolicy(
            DCAwareRoundRobinPolicy(local_dc=cfg.get("CASSANDRA_DC", "datacenter1"))
        ),
        retry_policy=RetryPolicy(),
        consistency_level=ConsistencyLevel.LOCAL_QUORUM,
        serial_consistency_level=ConsistencyLevel.LOCAL_SERIAL,
        request_timeout=cfg.request_timeout,
    )
    cluster = Cluster(
        points,
        port=port,
        connect_timeout=cfg.connect_timeout,
        control_connection_timeout=cfg.connect_timeout,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
        protocol_version=5,
    )
    return cluster.connect()


_FACTORIES: tuple[Any, ...] = (
    mongo_db,
    pg_pool,
    redis_client,
    es_client,
    kafka_producer,
    aws_client,
    cassandra_session,
)


def _close(factory: Any, close: Any) -> None:
    """Close the client `factory` made, if it made one; a dead server is no reason to fail."""
    if factory.cache_info().currsize:
        with contextlib.suppress(Exception):
            close(factory())


def reset_clients() -> None:
    """Close and forget every client (after the environment changed: tests, the emulator)."""
    with _lock:
        _close(mongo_db, lambda db: db.client.close())
        _close(pg_pool, lambda pool: pool.closeall())
        _close(redis_client, lambda client: client.close())
        _close(es_client, lambda client: client.close())
        _close(kafka_producer, lambda producer: producer.close(timeout=2))
        _close(cassandra_session, lambda session: session.cluster.shutdown())
        for factory in (*_FACTORIES, _pg_slots):
            factory.cache_clear()
