"""A real single-node OpenSearch for the product index, run from Maven Central jars.

OpenSearch speaks the Elasticsearch REST API the search functions use (mappings, bulk, external
versions, multi_match with fuzziness, aggregations, highlights, aliases). Its server jar and the
modules the index needs are on Maven Central; `tools/opensearch/SearchNode.java` starts a node
with those modules on the classpath, since there is no distribution with a modules/ folder.
"""

from __future__ import annotations

import shutil

from shopfn.servers.base import ManagedProcess, ProcessServer, ServerError, free_port, http_ok
from shopfn.servers.maven import (
    PROJECT_ROOT,
    TOOLS_DIR,
    classpath,
    install_jars,
    is_installed,
)

TOOL_DIR = TOOLS_DIR / "opensearch"
POM_PATH = TOOL_DIR / "pom.xml"
LAUNCHER = TOOL_DIR / "SearchNode.java"
LIB_DIR = PROJECT_ROOT / ".shopfn" / "opensearch" / "lib"
MAIN_CLASS = "SearchNode"

# Settings for one small node on a shared laptop disk, as SearchNode arguments.
NODE_SETTINGS: dict[str, str] = {
    "cluster.name": "shopfn",
    "node.name": "shopfn",
    "discovery.type": "single-node",
    "network.host": "127.0.0.1",
    # A nearly full developer disk must not turn the index read-only.
    "cluster.routing.allocation.disk.threshold_enabled": "false",
    # Indexes are created with their mapping by the search functions, never implied by a write.
    "action.auto_create_index": "false",
    # The real-memory breaker misjudges a small heap and refuses requests at random.
    "indices.breaker.total.use_real_memory": "false",
}
# The throughput collector instead of G1: the seed's bulk load took 0.5-1 s less (G1's barriers
# and concurrent threads cost the node 6-7 s of CPU per 20,000 products, this 5.5 s), search
# p95 was the same (docs/benchmarks.md). A one-node heap of 1 GB has short pauses either way.
# Smaller inlining limits: on a fresh node the C2 compiler thread spent 4.3-4.9 s of CPU in the
# first seed and 2.8-3.2 s in the second, on two cores that the indexing needed; with them 2.6
# and 0.9 s, the seeds 0.5-1 s faster, and search p95 the same (docs/benchmarks.md).
JVM_FLAGS = ("-XX:+UseParallelGC", "-XX:InlineSmallCode=1000", "-XX:FreqInlineSize=100")


class OpenSearchServer(ProcessServer):
    """The search engine behind SHOPFN_ELASTICSEARCH_URL (the name the platform's config uses)."""

    name = "elasticsearch"
    env_var = "SHOPFN_ELASTICSEARCH_URL"
    # With 512 MB a 20,000-product bulk load took about twice as long (small indexing buffer).
    heap = "1g"

    def install(self) -> None:
        install_jars(LIB_DIR, POM_PATH, "OpenSearch", sources=[LAUNCHER])

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def process(self) -> ManagedProcess:
        java = shutil.which("java")
        if java is None:
            raise ServerError("OpenSearch needs Java 17 (`java` on PATH)")
        if not is_installed(LIB_DIR):
            raise ServerError(f"OpenSearch's jars are missing from {LIB_DIR}; run install()")
        tmp = self.data_dir / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        settings = {
            **NODE_SETTINGS,
            "path.home": str(self.data_dir),
            "path.data": str(self.data_dir / "data"),
            "path.logs": str(self.data_dir / "logs"),
            "http.port": str(self.port),
            # Chosen on every start: parallel test runs each have a node.
            "transport.port": str(free_port()),
        }
        argv = [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            f"-Djava.io.tmpdir={tmp}",
            "-cp",
            classpath(LIB_DIR),
            MAIN_CLASS,
            *(f"{key}={value}" for key, value in settings.items()),
        ]
        return ManagedProcess(argv, self.log_path)

    def answers(self) -> bool:
        # Yellow: the shards it holds are open again, so searches do not fail after a restart.
        return http_ok(f"{self.url()}/_cluster/health?wait_for_status=yellow&timeout=1s")
