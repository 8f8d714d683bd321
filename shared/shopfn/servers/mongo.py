"""MongoDB wire protocol from FerretDB 1.x, backed by its own private PostgreSQL.

FerretDB's SQLite handler answers every query on a non-`_id` field by scanning the collection
(0.3 s per lookup on 20,000 products); its PostgreSQL handler pushes equality filters down, so
it runs on a PostgreSQL of its own, which also keeps the `postgres` server free to be stopped
alone in degradation tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from shopfn.servers.base import ManagedProcess, ProcessServer, ServerError
from shopfn.servers.install import default_bin_dir, go_command, install_lock, run_checked
from shopfn.servers.postgres import PostgresServer

FERRETDB_MODULE = "github.com/FerretDB/FerretDB"
FERRETDB_VERSION = "v1.24.0"

# Fixes applied to FerretDB 1.24's source before building: (file, original text, replacement).
# $group: one exhausted iterator was handed to every accumulator after the first, so a second
# accumulator always returned 0.
GROUP_FIX = (
    "internal/handler/common/aggregations/stages/group.go",
    "\t\tgroupIter := iterator.Values(iterator.ForSlice(groupedDocument.documents))\n"
    "\t\tdefer groupIter.Close()\n\n"
    "\t\tfor _, accumulation := range g.groupBy {\n",
    "\t\tfor _, accumulation := range g.groupBy {\n"
    "\t\t\tgroupIter := iterator.Values(iterator.ForSlice(groupedDocument.documents))\n"
    "\t\t\tdefer groupIter.Close()\n\n",
)
# Writes: FerretDB reads a document, applies the update in Go and writes it back with no lock,
# so concurrent conditional $inc oversell stock. One lock around every write command makes each
# one atomic, as in MongoDB (writes from this one process are all there is in dev and tests).
WRITE_COMMANDS = ("MsgInsert", "MsgUpdate", "MsgDelete", "MsgFindAndModify")
WRITE_LOCK_FIXES = tuple(
    (
        f"internal/handler/msg_{command.removeprefix('Msg').lower()}.go",
        f"func (h *Handler) {command}(connCtx context.Context, msg *wire.OpMsg)"
        " (*wire.OpMsg, error) {\n",
        f"func (h *Handler) {command}(connCtx context.Context, msg *wire.OpMsg)"
        " (*wire.OpMsg, error) {\n\tshopfnWriteLock.Lock()\n\tdefer shopfnWriteLock.Unlock()\n",
    )
    for command in WRITE_COMMANDS
)
WRITE_LOCK_GO = """package handler

import "sync"

// shopfnWriteLock serialises write commands; added by shopfn's build (see shopfn.servers.mongo).
var shopfnWriteLock sync.Mutex
"""
# Bump when the fixes change, so machines with an older build rebuild.
BUILD_REVISION = 2


def ferretdb_binary(bin_dir: Path) -> Path:
    return bin_dir / f"ferretdb-{FERRETDB_VERSION}-shopfn{BUILD_REVISION}"


def build_ferretdb(bin_dir: Path) -> Path:
    """Build FerretDB from the Go module proxy once; later calls return the cached binary."""
    binary = ferretdb_binary(bin_dir)
    if binary.is_file():
        return binary
    go = go_command(bin_dir)
    with install_lock(bin_dir):
        if binary.is_file():
            return binary
        source = bin_dir.parent / "build" / f"ferretdb-{FERRETDB_VERSION}"
        _copy_module_source(go, source)
        _patch_source(source)
        partial = binary.with_name(binary.name + ".partial")
        run_checked(
            [go, "build", "-buildvcs=false", "-o", str(partial), "./cmd/ferretdb"],
            "building FerretDB",
            source,
        )
        partial.replace(binary)
        shutil.rmtree(source, ignore_errors=True)
    return binary


def _copy_module_source(go: str, source: str | Path) -> None:
    # `go install module@version` needs the proxy's version list, which this network refuses;
    # downloading the exact version works, and a writable copy lets us add the version file.
    listing = run_checked(
        [go, "mod", "download", "-json", f"{FERRETDB_MODULE}@{FERRETDB_VERSION}"],
        "downloading FerretDB",
    )
    module_dir = Path(json.loads(listing)["Dir"])
    source = Path(source)
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(module_dir, source)
    for path in [source, *source.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)


def _patch_source(source: Path) -> None:
    (source / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
    (source / "internal" / "handler" / "shopfn_writelock.go").write_text(WRITE_LOCK_GO)
    for relative, original, replacement in (GROUP_FIX, *WRITE_LOCK_FIXES):
        path = source / relative
        text = path.read_text()
        if text.count(original) != 1:
            raise ServerError(f"FerretDB source changed: cannot apply shopfn's fix to {path}")
        path.write_text(text.replace(original, replacement))


class MongoServer(ProcessServer):
    name = "mongo"
    env_var = "SHOPFN_MONGO_URL"

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        super().__init__(data_dir, port)
        self.backend = PostgresServer(data_dir / "backend")
        self.binary = ferretdb_binary(default_bin_dir())

    def install(self) -> None:
        self.backend.install()
        self.binary = build_ferretdb(default_bin_dir())

    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/"

    def prepare(self) -> None:
        super().prepare()
        # FerretDB opens its PostgreSQL pool at start-up, so the backend must answer first.
        self.backend.start()
        self.backend.wait_ready(30)

    def process(self) -> ManagedProcess:
        state_dir = self.data_dir / "state"
        state_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            str(self.binary),
            "--handler=postgresql",
            f"--postgresql-url={self.backend.url()}",
            f"--listen-addr=127.0.0.1:{self.port}",
            f"--state-dir={state_dir}",
            "--telemetry=disable",
            "--debug-addr=-",
            "--log-level=warn",
        ]
        return ManagedProcess(argv, self.log_path)

    def stop(self) -> None:
        super().stop()
        self.backend.stop()
