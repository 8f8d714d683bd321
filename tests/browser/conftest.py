"""Headless Chromium against the emulator serving the four built frontends.

The emulator fixtures are the end-to-end ones (imported, not copied), so the browser tests run
on the same platform: every server, bootstrap, the in-process gateway on a free port.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import (  # noqa: F401  (fixtures and the hook that marks servers)
    gateway,
    platform,
    pytest_collection_modifyitems,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("SHOPFN_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# closed network refuses; the sandbox cannot run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def patient_expectations() -> None:
    """Registering hashes a password (Argon2) and the saga runs behind a broker: on a busy
    machine an answer can take longer than Playwright's default 5 s."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def built_frontends() -> None:
    """The four production builds, (re)built when their sources changed."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the frontends cannot be built")
    subprocess.run([str(ROOT / "scripts" / "build-frontends.sh")], check=True, timeout=600)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/install-chromium.sh")
    from playwright.sync_api import sync_playwright

    # Playwright gives each launch a fresh, empty profile of its own.
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
