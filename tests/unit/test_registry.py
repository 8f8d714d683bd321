"""The registry's rules: names, owners of routes, discovery, Trigger filters."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from shopfn import registry
from shopfn.registry import Delivery, RegistryError, http, on_event


@pytest.fixture
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_REGISTRY", {})


def test_names_must_be_domain_dash_verb(empty_registry: None) -> None:
    with pytest.raises(RegistryError, match="<domain>-<verb>"):

        @http("GET", "/x")
        def single(req: object) -> None: ...


def test_a_route_has_one_owner(empty_registry: None) -> None:
    @http("GET", "/api/things")
    def things_list(req: object) -> None: ...

    with pytest.raises(RegistryError, match="owned by things-list"):

        @http("GET", "/api/things", name="things-again")
        def other(req: object) -> None: ...


def test_unknown_role_is_refused(empty_registry: None) -> None:
    with pytest.raises(RegistryError, match="unknown role"):

        @http("GET", "/api/x", auth="root")  # type: ignore[arg-type]
        def things_x(req: object) -> None: ...


def test_consumer_filter_and_delivery(empty_registry: None) -> None:
    @on_event(
        "shop.thing.made.v1", attributes={"source": "/shopfn/x"}, delivery=Delivery(retries=2)
    )
    def things_on_made(event: object) -> None: ...

    spec = registry.all_functions()["things-on-made"]
    assert spec.filter_attributes == {"type": "shop.thing.made.v1", "source": "/shopfn/x"}
    assert spec.delivery.retries == 2
    assert spec.is_consumer


def test_discover_finds_the_slice() -> None:
    specs = registry.discover()
    assert specs["users-create"].method == "POST"
    assert specs["catalog-get"].path == "/api/products/{id}"
    assert specs["notifications-user-registered"].event_type == "shop.user.registered.v1"
    assert specs["ops-dead-letters"].sink and not specs["ops-dead-letters"].is_consumer
    for name, spec in specs.items():
        assert spec.module.startswith(f"functions.{spec.domain}."), name


def test_entry_module_imports_only_the_target() -> None:
    """functions-framework's getattr on the entry module loads one function's module."""
    code = textwrap.dedent(
        """
        import importlib.util, sys
        import shopfn.entry as entry
        spec = importlib.util.find_spec("shopfn.entry")
        fn = getattr(entry, "catalog-get")
        loaded = sorted(m for m in sys.modules if m.startswith("functions."))
        print(type(fn).__name__, ",".join(loaded))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert out[0] == "function"
    loaded = out[1].split(",")
    assert "functions.catalog.get" in loaded
    assert not [m for m in loaded if m.startswith(("functions.users", "functions.notifications"))]
