"""Redis from Debian's `redis-server`, without persistence, on loopback."""

from __future__ import annotations

from pathlib import Path

from shopfn.servers.base import ManagedProcess, ProcessServer
from shopfn.servers.install import apt_install, default_bin_dir


class RedisServer(ProcessServer):
    name = "redis"
    env_var = "SHOPFN_REDIS_URL"

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        super().__init__(data_dir, port)
        self.binary = "redis-server"

    def install(self) -> None:
        self.binary = apt_install("redis-server", "redis-server", default_bin_dir())

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def process(self) -> ManagedProcess:
        argv = [
            self.binary,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.data_dir),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
        ]  # fmt: skip
        return ManagedProcess(argv, self.log_path)

    def answers(self) -> bool:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()
