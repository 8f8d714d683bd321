"""Contract: what shopfn relies on from Cassandra, checked on a real node through cassandra-driver.

The node is started here from Apache Cassandra's Maven Central jars (about 10 s, ~700 MB RSS),
unless CASSANDRA_HOSTS ("host:port") points at one that already runs.
"""

from __future__ import annotations

import importlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cassandra import ConsistencyLevel, InvalidRequest, Unavailable
from cassandra.cluster import (
    EXEC_PROFILE_DEFAULT,
    Cluster,
    ExecutionProfile,
    NoHostAvailable,
    Session,
)
from cassandra.connection import Connection
from cassandra.policies import DCAwareRoundRobinPolicy
from cassandra.query import SimpleStatement

from shopfn.servers import EmbeddedServers
from shopfn.servers.cassandra import LOCAL_DC, TIMER_SLACK_NS, CassandraServer

# A JVM database: the first test waits for the node to start (and, once per machine, for Maven).
pytestmark = [pytest.mark.servers("cassandra"), pytest.mark.slow, pytest.mark.timeout(600)]


def split_hosts(hosts: str) -> tuple[str, int]:
    host, _, port = hosts.split(",")[0].strip().rpartition(":")
    return host, int(port)


def open_cluster(hosts: str, connection_class: type[Connection] | None = None) -> Cluster:
    host, port = split_hosts(hosts)
    profile = ExecutionProfile(
        load_balancing_policy=DCAwareRoundRobinPolicy(local_dc=LOCAL_DC),
        consistency_level=ConsistencyLevel.LOCAL_ONE,
        request_timeout=20,
    )
    extra = {"connection_class": connection_class} if connection_class else {}
    return Cluster([host], port=port, execution_profiles={EXEC_PROFILE_DEFAULT: profile}, **extra)


@pytest.fixture(scope="module")
def cassandra_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("CASSANDRA_HOSTS")
    if external:
        yield external
        return
    server = CassandraServer(Path(tmp_path_factory.mktemp("cassandra")))
    server.install()
    try:
        hosts = server.start()
        server.wait_ready(timeout=180)
        yield hosts
    finally:
        server.stop()


@pytest.fixture(scope="module")
def session(cassandra_hosts: str) -> Iterator[Session]:
    cluster = open_cluster(cassandra_hosts)
    keyspace = f"contract_{uuid.uuid4().hex[:12]}"
    try:
        session = cluster.connect()
        session.execute(
            f"CREATE KEYSPACE {keyspace} WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        session.set_keyspace(keyspace)
        yield session
        session.execute(f"DROP KEYSPACE IF EXISTS {keyspace}")
    finally:
        cluster.shutdown()


def test_node_is_cassandra_5(session: Session) -> None:
    row = session.execute("SELECT release_version FROM system.local").one()
    assert row.release_version.startswith("5.")


def test_the_node_runs_with_a_coarse_timer_slack(embedded_servers: EmbeddedServers) -> None:
    # Its idle workers' 10 µs parks would otherwise cost milliseconds of CPU per request.
    node = embedded_servers.server("cassandra")
    if not isinstance(node, CassandraServer):
        pytest.skip("CASSANDRA_HOSTS names a node this run did not start")
    assert node.pid is not None
    slack = Path(f"/proc/{node.pid}/timerslack_ns").read_text().strip()
    assert int(slack) == TIMER_SLACK_NS
    assert b"CassandraDaemon" in Path(f"/proc/{node.pid}/cmdline").read_bytes()


@pytest.mark.parametrize(
    "module, class_name",
    [
        ("cassandra.io.libevreactor", "LibevConnection"),
        ("cassandra.io.asyncioreactor", "AsyncioConnection"),
    ],
)
def test_event_loops_that_work_on_this_python(
    cassandra_hosts: str, module: str, class_name: str
) -> None:
    # asyncore left Python in 3.12, so the driver needs one of these two reactors.
    reactor = importlib.import_module(module)
    cluster = open_cluster(cassandra_hosts, getattr(reactor, class_name))
    try:
        row = cluster.connect().execute("SELECT cluster_name FROM system.local").one()
        assert row.cluster_name
    finally:
        cluster.shutdown()


def test_counter_columns_add_prepared_increments(session: Session) -> None:
    session.execute("CREATE TABLE page_views (page text PRIMARY KEY, views counter)")
    bump = session.prepare("UPDATE page_views SET views = views + ? WHERE page = ?")
    bump.consistency_level = ConsistencyLevel.ONE
    for delta in (1, 1, 5, -2):
        session.execute(bump, (delta, "/home"))
    read = session.prepare("SELECT views FROM page_views WHERE page = ?")
    assert session.execute(read, ("/home",)).one().views == 5
    assert session.execute(read, ("/never",)).one() is None
    with pytest.raises(InvalidRequest):
        session.execute("INSERT INTO page_views (page, views) VALUES ('/home', 1)")


def test_rows_written_with_ttl_expire(session: Session) -> None:
    session.execute("CREATE TABLE sessions (id text PRIMARY KEY, owner text)")
    write = session.prepare("INSERT INTO sessions (id, owner) VALUES (?, ?) USING TTL ?")
    session.execute(write, ("short", "ann", 2))
    session.execute("INSERT INTO sessions (id, owner) VALUES ('forever', 'bob')")
    remaining = session.execute("SELECT TTL(owner) AS ttl FROM sessions WHERE id = 'short'").one()
    assert 0 < remaining.ttl <= 2

    read = session.prepare("SELECT owner FROM sessions WHERE id = ?")
    deadline = time.monotonic() + 15
    while session.execute(read, ("short",)).one() is not None:
        assert time.monotonic() < deadline, "a row with TTL 2 s was still there after 15 s"
        time.sleep(0.25)
    assert session.execute(read, ("forever",)).one().owner == "bob"


def test_prepared_reads_page_through_a_partition_in_clustering_order(session: Session) -> None:
    session.execute(
        "CREATE TABLE events (day text, at int, kind text, PRIMARY KEY (day, at))"
        " WITH CLUSTERING ORDER BY (at DESC)"
    )
    write = session.prepare("INSERT INTO events (day, at, kind) VALUES (?, ?, ?)")
    for at in range(25):
        session.execute(write, ("2026-11-23", at, "view" if at % 2 else "order"))
    read = session.prepare("SELECT at FROM events WHERE day = ?")
    read.fetch_size = 10
    result = session.execute(read, ("2026-11-23",))
    assert result.has_more_pages
    assert [row.at for row in result] == list(range(24, -1, -1))


def test_lightweight_transactions_apply_once(session: Session) -> None:
    session.execute("CREATE TABLE claims (code text PRIMARY KEY, owner text)")
    claim = session.prepare("INSERT INTO claims (code, owner) VALUES (?, ?) IF NOT EXISTS")
    assert session.execute(claim, ("WELCOME10", "ann")).was_applied
    second = session.execute(claim, ("WELCOME10", "bob"))
    assert not second.was_applied
    assert second.one().owner == "ann"


def test_consistency_levels_match_one_replica(session: Session) -> None:
    session.execute("CREATE TABLE kv (k text PRIMARY KEY, v int)")
    for level in (ConsistencyLevel.ONE, ConsistencyLevel.LOCAL_ONE, ConsistencyLevel.QUORUM):
        statement = SimpleStatement(
            "INSERT INTO kv (k, v) VALUES ('a', 1)", consistency_level=level
        )
        session.execute(statement)
    # Replication factor 1 on one node: asking for two replicas must be refused, not faked. The
    # driver's retry policy moves on to the next host, so the refusal arrives wrapped.
    two = SimpleStatement("SELECT v FROM kv WHERE k = 'a'", consistency_level=ConsistencyLevel.TWO)
    with pytest.raises(NoHostAvailable) as refused:
        session.execute(two)
    assert [type(error) for error in refused.value.errors.values()] == [Unavailable]
