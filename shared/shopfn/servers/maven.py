"""JVM servers run from Maven Central jars: fetched once by `mvn`, cached under `.shopfn/`.

The download sites of Cassandra and OpenSearch are out of reach here, Maven Central is not. A
carrier pom lists a server's artifacts; `mvn dependency:copy-dependencies` copies them and
their dependencies into a lib directory, and a launcher's Java source, if the server needs
one, is compiled beside them.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from shopfn.servers.base import ServerError
from shopfn.servers.install import apt_install

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TOOLS_DIR = PROJECT_ROOT / "tools"
STAMP_NAME = "POM_SHA256"
CLASSES_DIR = "classes"


def inputs_digest(pom: Path, sources: Sequence[Path] = ()) -> str:
    digest = hashlib.sha256(pom.read_bytes())
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def is_installed(lib_dir: Path) -> bool:
    return (lib_dir / STAMP_NAME).is_file()


def classpath(lib_dir: Path) -> str:
    """The launcher's classes first, then every jar."""
    return f"{lib_dir / CLASSES_DIR}:{lib_dir}/*"


def install_jars(lib_dir: Path, pom: Path, label: str, sources: Sequence[Path] = ()) -> None:
    """Copy the pom's jars into `lib_dir` and compile `sources`, once per version of them.

    Maven writes into a staging directory that is renamed into place, and a file lock keeps
    parallel test runs from downloading twice, so `lib_dir` is either complete or absent.
    """
    stamp = lib_dir / STAMP_NAME
    wanted = inputs_digest(pom, sources)
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return
    lib_dir.parent.mkdir(parents=True, exist_ok=True)
    # Both come with the machine here; a bare Debian gets them from apt.
    mvn = apt_install("maven", "mvn", lib_dir.parent)
    javac = apt_install("openjdk-17-jdk-headless", "javac", lib_dir.parent) if sources else ""
    with (lib_dir.parent / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text().strip() == wanted:
            return
        staging = lib_dir.with_name(lib_dir.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        _run(
            [
                *(mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"),
                f"-DoutputDirectory={staging}",
            ],
            f"mvn could not fetch {label}'s jars",
        )
        if sources:
            _run(
                [
                    javac,
                    "-d",
                    str(staging / CLASSES_DIR),
                    "-cp",
                    f"{staging}/*",
                    *map(str, sources),
                ],
                f"javac could not build {label}'s launcher",
            )
        (staging / STAMP_NAME).write_text(wanted + "\n")
        shutil.rmtree(lib_dir, ignore_errors=True)
        staging.rename(lib_dir)


def _run(argv: list[str], failure: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServerError(f"{failure}:\n{done.stdout}{done.stderr}")
