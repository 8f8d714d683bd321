"""Fixtures for the deploy tests: the registry, the committed and rendered objects, the tools."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from deploy_support import (
    CHART,
    ROOT,
    VENV_BIN,
    find_tool,
    load_documents,
    missing,
)

from shopfn import manifests, registry


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
