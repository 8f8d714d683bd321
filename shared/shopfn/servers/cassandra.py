"""A real single-node Apache Cassandra, run from the project's own copy of its Maven Central jars.

The Apache download site is out of reach here, but `org.apache.cassandra:cassandra-all` and its
dependencies are on Maven Central, and `CassandraDaemon` runs from them with a yaml of our own.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from shopfn.servers.base import ManagedProcess, ServerError, free_port, port_open, wait_until
from shopfn.servers.maven import PROJECT_ROOT, TOOLS_DIR, install_jars, is_installed
from shopfn.servers.timer_slack import with_timer_slack

POM_PATH = TOOLS_DIR / "cassandra" / "pom.xml"
DEFAULT_LIB_DIR = PROJECT_ROOT / ".shopfn" / "cassandra" / "lib"
MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon"
# SimpleSnitch puts every node in this data centre; the driver's DC-aware policy must name it.
LOCAL_DC = "datacenter1"
# 1 ms instead of 50 µs: an analytics event took 8.6 ms of the node's CPU, now 3.8 ms, for
# 1.7 ms more latency (paced writes, docs/benchmarks.md); 4 ms saved no more CPU.
TIMER_SLACK_NS = 1_000_000

# Cassandra's conf/jvm17-server.options: the JDK internals it reaches into on Java 17.
JAVA17_MODULE_FLAGS = (
    *(
        f"--add-exports={target}=ALL-UNNAMED"
        for target in (
            "java.base/jdk.internal.misc",
            "java.management.rmi/com.sun.jmx.remote.internal.rmi",
            "java.rmi/sun.rmi.registry",
            "java.rmi/sun.rmi.server",
            "java.sql/java.sql",
            "java.base/java.lang.ref",
            "jdk.unsupported/sun.misc",
            "jdk.compiler/com.sun.tools.javac.file",
            "jdk.attach/sun.tools.attach",
        )
    ),
    *(
        f"--add-opens={target}=ALL-UNNAMED"
        for target in (
            "java.base/java.lang.module",
            "java.base/jdk.internal.loader",
            "java.base/jdk.internal.ref",
            "java.base/jdk.internal.reflect",
            "java.base/jdk.internal.math",
            "java.base/jdk.internal.module",
            "java.base/jdk.internal.util.jar",
            "jdk.management/com.sun.management.internal",
            "java.base/sun.nio.ch",
            "java.base/java.io",
            "java.base/java.lang.reflect",
            "jdk.compiler/com.sun.tools.javac",
            "java.base/java.lang",
            "java.base/java.util",
        )
    ),
)

# From conf/jvm-server.options and jvm17-server.options, minus what costs memory on a shared
# laptop (-XX:+AlwaysPreTouch, Xms=Xmx): a dev node should hold only the memory it touches.
BASE_JVM_FLAGS = (
    "-Xss256k",
    "-XX:+UseG1GC",
    "-XX:+ParallelRefProcEnabled",
    "-XX:MaxTenuringThreshold=1",
    "-XX:G1HeapRegionSize=16m",
    "-XX:+UseThreadPriorities",
    "-XX:+PerfDisableSharedMem",
    # C1 only: starts about 2 s sooner on two cores; dev and test loads never need C2's peak speed.
    "-XX:TieredStopAtLevel=1",
    # A node that ran out of heap is in an unknown state; better dead than answering.
    "-XX:+ExitOnOutOfMemoryError",
    "-ea",
    "-da:net.openhft...",
    "-Djava.net.preferIPv4Stack=true",
    "-Djdk.attach.allowAttachSelf=true",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dio.netty.allocator.useCacheForAllThreads=true",
    "-Dio.netty.allocator.maxOrder=11",
    # Without it the daemon closes stdout/stderr, and its log would go nowhere.
    "-Dcassandra-foreground=yes",
    # A lone seed has nobody to gossip with; waiting for gossip to settle only costs seconds.
    "-Dcassandra.skip_wait_for_gossip_to_settle=0",
    *JAVA17_MODULE_FLAGS,
)

LOGBACK_XML = """<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
"""


@dataclass(frozen=True)
class NodeLayout:
    """Where one node keeps its files, under the data root."""

    home: Path

    @property
    def conf(self) -> Path:
        return self.home / "conf"

    @property
    def yaml(self) -> Path:
        return self.conf / "cassandra.yaml"

    @property
    def logback(self) -> Path:
        return self.conf / "logback.xml"

    @property
    def log(self) -> Path:
        return self.home / "logs" / "cassandra.log"

    def directory(self, kind: str) -> Path:
        return self.home / kind


@dataclass(frozen=True)
class NodePorts:
    native: int
    storage: int
    ssl_storage: int


def render_yaml(layout: NodeLayout, ports: NodePorts) -> str:
    """A minimal cassandra.yaml for one loopback node (keys from Cassandra 5.0's conf/)."""

    def path(kind: str) -> str:
        # JSON strings are valid YAML scalars, so paths need no YAML library to be quoted.
        return json.dumps(str(layout.directory(kind)))

    return f"""\
cluster_name: shopfn
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
auto_bootstrap: false
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:{ports.storage}"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: {ports.storage}
ssl_storage_port: {ports.ssl_storage}
native_transport_port: {ports.native}
start_native_transport: true
data_file_directories: [{path("data")}]
commitlog_directory: {path("commitlog")}
hints_directory: {path("hints")}
saved_caches_directory: {path("saved_caches")}
cdc_raw_directory: {path("cdc_raw")}
commitlog_sync: periodic
commitlog_sync_period: 10000ms
# 32MiB segments are preallocated; small ones keep many test nodes light on disk.
commitlog_segment_size: 8MiB
# A fresh single-version cluster: no need to stay readable by Cassandra 4.
storage_compatibility_mode: NONE
"""


def jvm_argv(java: str, layout: NodeLayout, lib_dir: Path, heap_max: str) -> list[str]:
    """The daemon's command line. No `cassandra.jmx.*` property: JMX stays off."""
    return [
        java,
        # Cassandra wants Xms=Xmx in production; a dev node grows only when it needs to.
        "-Xms256m",
        f"-Xmx{heap_max}",
        *BASE_JVM_FLAGS,
        f"-Dcassandra.config={layout.yaml.as_uri()}",
        f"-Dlogback.configurationFile={layout.logback.as_uri()}",
        f"-Dcassandra.logdir={layout.log.parent}",
        f"-Dcassandra.storagedir={layout.home}",
        f"-Dcassandra.triggers_dir={layout.directory('triggers')}",
        "-cp",
        f"{lib_dir}/*",
        MAIN_CLASS,
    ]


def cql_answers(host: str, port: int) -> bool:
    """True when a driver session on host:port answers `SELECT release_version`."""
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import DCAwareRoundRobinPolicy

    # Policies go in an execution profile: the legacy keyword arguments warn (and warnings fail
    # the tests).
    profile = ExecutionProfile(
        load_balancing_policy=DCAwareRoundRobinPolicy(local_dc=LOCAL_DC), request_timeout=5
    )
    cluster = Cluster(
        [host],
        port=port,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
        connect_timeout=2,
        control_connection_timeout=2,
    )
    try:
        session = cluster.connect()
        return session.execute("SELECT release_version FROM system.local").one() is not None
    except Exception:  # any failure here only means "not ready yet"
        return False
    finally:
        cluster.shutdown()


class CassandraServer:
    """One Cassandra 5.0 node on 127.0.0.1 with its files under `<root>/cassandra/`."""

    name = "cassandra"
    env_var = "CASSANDRA_HOSTS"

    def __init__(
        self,
        root: Path,
        port: int | None = None,
        *,
        lib_dir: Path = DEFAULT_LIB_DIR,
        heap_max: str = "768m",
    ) -> None:
        self.root = root
        self.port = port
        self.lib_dir = lib_dir
        self.heap_max = heap_max
        self.layout = NodeLayout(root / "cassandra")
        self._process: ManagedProcess | None = None

    @property
    def pid(self) -> int | None:
        """The running node's process id (to measure its memory), or None."""
        return self._process.pid if self._process is not None and self._process.running else None

    @property
    def pid_file(self) -> Path:
        return self.layout.home / "cassandra.pid"

    def install(self) -> None:
        install_jars(self.lib_dir, POM_PATH, "Cassandra")

    def start(self) -> str:
        if self._process is not None and self._process.running:
            return self._hosts()
        java = shutil.which("java")
        if java is None:
            raise ServerError("Cassandra needs Java 17 (`java` on PATH)")
        if not is_installed(self.lib_dir):
            raise ServerError(f"Cassandra's jars are missing from {self.lib_dir}; run install()")
        self._refuse_second_node()
        # Every port is chosen here so parallel nodes (other test runs) never collide.
        native = self.port or free_port()
        self.port = native
        ports = NodePorts(native=native, storage=free_port(), ssl_storage=free_port())
        for kind in ("data", "commitlog", "hints", "saved_caches", "cdc_raw", "triggers"):
            self.layout.directory(kind).mkdir(parents=True, exist_ok=True)
        self.layout.conf.mkdir(parents=True, exist_ok=True)
        self.layout.yaml.write_text(render_yaml(self.layout, ports))
        self.layout.logback.write_text(LOGBACK_XML)
        self._process = ManagedProcess(
            argv=with_timer_slack(
                jvm_argv(java, self.layout, self.lib_dir, self.heap_max), TIMER_SLACK_NS
            ),
            log_path=self.layout.log,
            cwd=self.layout.home,
        )
        self._process.start()
        self.pid_file.write_text(f"{self._process.pid}\n")
        return self._hosts()

    def wait_ready(self, timeout: float) -> None:
        process, port = self._process, self.port
        if process is None or port is None:
            raise ServerError("cassandra was not started")

        def answers() -> bool:
            if not process.running:
                raise ServerError(f"cassandra exited while starting:\n{process.log_tail(40)}")
            return port_open(port) and cql_answers("127.0.0.1", port)

        try:
            wait_until(answers, timeout, "cassandra", interval=0.5)
        except ServerError as error:
            if process.running:  # a timeout: show what the node was doing
                raise ServerError(f"{error}\n{process.log_tail(40)}") from None
            raise

    def stop(self) -> None:
        if self._process is not None:
            # A clean shutdown flushes memtables (a few seconds), which makes the next start warm.
            self._process.stop(timeout=60)
            self._process = None
        with contextlib.suppress(FileNotFoundError):
            self.pid_file.unlink()

    def _hosts(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _refuse_second_node(self) -> None:
        """Two daemons on one data directory corrupt it; a leftover node must be stopped first."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return
        if str(self.layout.yaml).encode() in cmdline:
            raise ServerError(
                f"a cassandra node (pid {pid}) already runs on {self.layout.home}; stop it first"
            )
