"""Installing server binaries once per machine, safely when several test sessions race."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from shopfn.servers.base import ServerError


def project_dir() -> Path:
    """The checkout this package lives in (has pyproject.toml), else the working directory."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


def default_bin_dir() -> Path:
    """Binaries built once and shared by `make dev` and every test session."""
    return Path(os.environ.get("SHOPFN_BIN_DIR") or project_dir() / ".shopfn" / "bin")


@contextlib.contextmanager
def install_lock(bin_dir: Path) -> Iterator[None]:
    """Serialise installs: parallel sessions would fight over dpkg's lock or a half-built binary."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    with (bin_dir / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_checked(argv: Sequence[str], what: str, cwd: Path | None = None) -> None:
    result = subprocess.run(
        list(argv), cwd=cwd, capture_output=True, text=True, check=False, timeout=900
    )
    if result.returncode != 0:
        raise ServerError(f"{what} failed ({' '.join(argv)}):\n{result.stdout}\n{result.stderr}")


def apt_install(package: str, binary: str, bin_dir: Path) -> str:
    """Path of `binary`, installing Debian `package` first if it is missing."""
    found = shutil.which(binary)
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise ServerError(f"{binary} not found: install the Debian package {package}")
    with install_lock(bin_dir):
        env_argv = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q"]
        try:
            run_checked(
                [*env_argv, "--no-install-recommends", package], f"apt-get install {package}"
            )
        except ServerError:
            # A fresh machine has no package lists yet.
            run_checked(["apt-get", "update", "-q"], "apt-get update")
            run_checked(
                [*env_argv, "--no-install-recommends", package], f"apt-get install {package}"
            )
    found = shutil.which(binary)
    if not found:
        raise ServerError(f"{package} installed but {binary} is not on PATH")
    return found
