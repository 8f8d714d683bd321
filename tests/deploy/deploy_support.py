"""Paths and helpers shared by the deploy tests (imported by name: a conftest is not a module
to import from, as several test folders have one).

A test that needs a tool skips when the tool is absent, except under CI (env CI set), where it
fails: a missing install step must show. `scripts/install-deploy-tools.sh` installs them all.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

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


def load_documents(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]
