"""Fixtures for the deploy tests: the project root, the registry, and the offline tools.

A test that needs a tool skips when the tool is absent, except under CI (env CI set), where it
fails: a missing install step must show. `scripts/install-deploy-tools.sh` installs them all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from shopfn import manifests, registry

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
NODE_PACKAGE = Path(__file__).resolve().parent / "node"
CHART = ROOT / "helm" / "shopfn"
VALUES_FILES = ("values.yaml", "values-dev.yaml", "values-prod.yaml")
INSTALL_HINT = "run scripts/install-deploy-tools.sh"


def missing(what: str) -> None:
    """Skip locally, fail under CI: the tool should have been installed there."""
    message = f"{what} is not installed ({INSTALL_HINT})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def find_tool(name: str, *candidates: Path) -> str | None:
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


@pytest.fixture(scope="session")
def helm() -> str:
    found = find_tool("helm", ROOT / ".shopfn" / "tools" / "bin" / "helm")
    if found is None:
        missing("helm")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def tool() -> Callable[[str], str]:
    """A validator installed into the venv (hadolint, actionlint) or on PATH."""

    def find(name: str) -> str:
        found = find_tool(name, VENV_BIN / name)
        if found is None:
            missing(name)
        assert found is not None
        return found

    return find


@pytest.fixture(scope="session")
def functions() -> dict[str, registry.FunctionSpec]:
    return registry.discover()


def load_documents(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


@pytest.fixture(scope="session")
def knative_docs() -> list[dict[str, Any]]:
    """Every object in the committed `knative/`."""
    docs: list[dict[str, Any]] = []
    for path in sorted((ROOT / manifests.KNATIVE_DIR).glob("*.yaml")):
        docs.extend(load_documents(path.read_text()))
    return docs


@pytest.fixture(scope="session")
def helm_render(helm: str) -> Callable[[str], list[dict[str, Any]]]:
    """`helm template` of the chart with one values file, as objects (cached per file)."""
    cache: dict[str, list[dict[str, Any]]] = {}

    def render(values_file: str) -> list[dict[str, Any]]:
        if values_file not in cache:
            values = str(CHART / values_file)
            out = subprocess.run(
                [helm, "template", "shopfn", str(CHART), "--namespace", "shopfn", "-f", values],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            cache[values_file] = load_documents(out.stdout)
        return cache[values_file]

    return render
