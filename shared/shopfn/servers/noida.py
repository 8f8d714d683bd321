"""The Kafka protocol from `noida-db`, in a process of its own."""

from __future__ import annotations

import signal
from pathlib import Path

from shopfn.servers.base import ManagedProcess, ProcessServer, ServerError
from shopfn.servers.install import package_dir


def noida_binary() -> Path:
    # The wheel's console script is a Python wrapper; running the binary itself saves a
    # interpreter start and lets our stop signal reach the server directly.
    binary = package_dir("noida_db", "noida-db") / "noida-db"
    if not binary.is_file():
        raise ServerError(f"noida-db binary missing at {binary}")
    return binary


class NoidaServer(ProcessServer):
    """One noida-db service (`service` is noida's name for it) in a process of its own."""

    service = ""

    def install(self) -> None:
        binary = noida_binary()
        binary.chmod(binary.stat().st_mode | 0o111)

    def process(self) -> ManagedProcess:
        argv = [
            str(noida_binary()),
            "start",
            "--data-dir", str(self.data_dir),
            "--host", "127.0.0.1",
            "--only", self.service,
            f"--{self.service}-port", str(self.port),
        ]  # fmt: skip
        return ManagedProcess(argv, self.log_path, stop_signal=signal.SIGINT)


class KafkaServer(NoidaServer):
    name = "kafka"
    env_var = "SHOPFN_KAFKA_URL"
    service = "kafka"

    def url(self) -> str:
        return f"127.0.0.1:{self.port}"
