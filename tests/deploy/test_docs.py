"""The docs site: generated pages fresh, `mkdocs build --strict` clean, nothing of the registry
left out of what it builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_support import ROOT

from shopfn import docgen, registry
from shopfn.registry import FunctionSpec


@pytest.fixture(scope="module")
def specs() -> dict[str, FunctionSpec]:
    return registry.discover()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_generated_pages_are_fresh(specs: dict[str, FunctionSpec]) -> None:
    files = docgen.rendered(specs, ROOT / "events")
    assert docgen.stale(ROOT, files) == [], "run: .venv/bin/python -m shopfn.docgen"


def test_every_route_has_its_section_in_the_api_page(
    site: Path, specs: dict[str, FunctionSpec]
) -> None:
    page = (site / "generated" / "api" / "index.html").read_text()
    routes = [s for s in specs.values() if s.kind == "http"]
    assert routes
    missing = [
        f"{s.method} {s.path}"
        for s in routes
        if f'<h3 id="{s.name}">{s.method} <code>{s.path}</code>' not in page
    ]
    assert missing == []


def test_every_event_type_is_in_the_events_table(
    site: Path, specs: dict[str, FunctionSpec]
) -> None:
    page = (site / "generated" / "events" / "index.html").read_text()
    known = {p.stem for p in (ROOT / "events").glob("*.json")}
    known |= {e for s in specs.values() for e in s.emits}
    known |= {s.event_type for s in specs.values() if s.is_consumer and not s.prefix}
    assert known
    assert sorted(t for t in known if f"<td><code>{t}</code></td>" not in page) == []


def test_every_function_is_listed_and_drawn(site: Path, specs: dict[str, FunctionSpec]) -> None:
    page = (site / "generated" / "functions" / "index.html").read_text()
    assert [n for n in specs if f"<td><code>{n}</code></td>" not in page] == []
    drawing = (site / "generated" / "architecture.svg").read_text()
    assert all(f">{s.domain}</text>" in drawing for s in specs.values())


def test_events_table_names_producers_consumers_and_required_fields() -> None:
    def noop() -> None: ...

    emitter = FunctionSpec(
        "orders-create", "http", noop, "m", method="POST", path="/x", emits=("shop.a.v1",)
    )
    consumer = FunctionSpec("mail-send", "event", noop, "m", event_type="shop.a.v1")
    everything = FunctionSpec("stats-record", "event", noop, "m", event_type="shop.", prefix=True)
    schemas = {"shop.a.v1": {"required": ["orderId"]}, "other.b.v1": {}}
    infos = {
        e.type: e
        for e in docgen.event_infos({s.name: s for s in (emitter, consumer, everything)}, schemas)
    }
    assert infos["shop.a.v1"].producers == ["orders-create"]
    assert infos["shop.a.v1"].consumers == ["mail-send", "stats-record (all shop.*)"]
    assert infos["shop.a.v1"].required == ["orderId"]
    assert infos["other.b.v1"].consumers == []
    assert "| `shop.a.v1` | `orders-create` |" in docgen.events_page(list(infos.values()))
