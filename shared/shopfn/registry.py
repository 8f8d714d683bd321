"""The registry of functions: the single source of truth for routes, consumers and scaling.

The emulator routes and delivers from it; the Knative manifests, the Helm function list, the
OpenAPI document and the docs' tables are generated from it.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

Role = Literal["public", "guest", "user", "admin"]
ROLE_RANK: dict[str, int] = {"public": 0, "guest": 1, "user": 2, "admin": 3}
Kind = Literal["http", "event", "periodic"]
BackoffPolicy = Literal["exponential", "linear"]

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
FUNCTIONS_PACKAGE = "functions"

F = TypeVar("F", bound=Callable[..., Any])


class RegistryError(ValueError):
    """A registration breaks a rule (bad name, duplicate route, unknown role)."""


@dataclass(frozen=True)
class Scale:
    """Knative autoscaling for one function."""

    min: int = 0
    max: int = 10
    concurrency: int = 50
    # How long the last pod stays after traffic stops (Knative scale-to-zero-pod-retention-period).
    retention: str = "0s"
    cpu: str = "100m"
    memory: str = "256Mi"


@dataclass(frozen=True)
class Delivery:
    """How the broker delivers to one consumer (mirrors a Trigger's `spec.delivery`)."""

    retries: int = 5
    backoff: BackoffPolicy = "exponential"
    delay: float = 0.2


@dataclass(frozen=True)
class FunctionSpec:
    """One registered function: how it is reached, who may call it, how it scales."""

    name: str
    kind: Kind
    handler: Callable[..., Any]
    module: str
    summary: str = ""
    method: str = ""
    path: str = ""
    auth: Role = "public"
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    limit: str | None = None
    event_type: str = ""
    # `event_type` is a prefix ("shop." = every shop event): a Trigger `filters` prefix dialect.
    prefix: bool = False
    attributes: Mapping[str, str] = field(default_factory=dict)
    delivery: Delivery = Delivery()
    schedule: str = ""
    every: float = 0.0
    scale: Scale = Scale()
    stores: tuple[str, ...] = ()
    emits: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # A sink is a consumer addressed directly (the dead-letter sink), not through a Trigger.
    sink: bool = False

    @property
    def domain(self) -> str:
        return self.name.split("-", 1)[0]

    @property
    def filter_attributes(self) -> dict[str, str]:
        """The Trigger's exact-match filter: the event type plus any extra attributes."""
        if self.prefix:
            return {}
        return {"type": self.event_type, **self.attributes} if self.event_type else {}

    @property
    def trigger_filters(self) -> list[dict[str, dict[str, str]]]:
        """The Trigger's `filters` (Knative gives them priority over `filter.attributes`)."""
        if not (self.prefix and self.event_type):
            return []
        exact = [{"exact": dict(self.attributes)}] if self.attributes else []
        return [{"prefix": {"type": self.event_type}}, *exact]

    @property
    def is_consumer(self) -> bool:
        """Reached through a Trigger (not a sink, not periodic)."""
        return self.kind == "event" and not self.sink


_REGISTRY: dict[str, FunctionSpec] = {}


def _summary(fn: Callable[..., Any]) -> str:
    return (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""


def _register(spec: FunctionSpec) -> None:
    if not NAME_PATTERN.match(spec.name):
        raise RegistryError(f"function name {spec.name!r} is not <domain>-<verb>")
    if spec.module.startswith(f"{FUNCTIONS_PACKAGE}.") and spec.module != module_of(spec.name):
        raise RegistryError(
            f"{spec.name} must live in {module_of(spec.name)} (one module per function), "
            f"not {spec.module}"
        )
    existing = _REGISTRY.get(spec.name)
    if existing is not None and existing.module != spec.module:
        raise RegistryError(f"{spec.name} is registered twice ({existing.module}, {spec.module})")
    if spec.auth not in ROLE_RANK:
        raise RegistryError(f"{spec.name}: unknown role {spec.auth!r}")
    if spec.kind == "http":
        for other in _REGISTRY.values():
            same_route = other.method == spec.method and other.path == spec.path
            if other.kind == "http" and other.name != spec.name and same_route:
                raise RegistryError(f"{spec.method} {spec.path} is owned by {other.name}")
    _REGISTRY[spec.name] = spec


def _name_of(fn: Callable[..., Any], name: str | None) -> str:
    return name or fn.__name__.replace("_", "-")


def http(
    method: str,
    path: str,
    *,
    auth: Role = "public",
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    limit: str | None = None,
    scale: Scale = Scale(),
    stores: tuple[str, ...] = (),
    emits: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    name: str | None = None,
) -> Callable[[F], F]:
    """Register an HTTP function. `path` uses OpenAPI templates: `/api/products/{id}`."""

    def decorate(fn: F) -> F:
        _register(
            FunctionSpec(
                name=_name_of(fn, name),
                kind="http",
                handler=fn,
                module=fn.__module__,
                summary=_summary(fn),
                method=method.upper(),
                path=path,
                auth=auth,
                body=body,
                query=query,
                response=response,
                status=status,
                limit=limit,
                scale=scale,
                stores=stores,
                emits=emits,
                tags=tags,
            )
        )
        return fn

    return decorate


def on_event(
    event_type: str,
    *,
    sink: bool = False,
    prefix: bool = False,
    attributes: Mapping[str, str] | None = None,
    delivery: Delivery = Delivery(),
    scale: Scale = Scale(),
    stores: tuple[str, ...] = (),
    emits: tuple[str, ...] = (),
    name: str | None = None,
) -> Callable[[F], F]:
    """Register an event consumer. A CloudEvent it returns is the reply, published back.

    With `sink=True` it has no Trigger: the broker sends to it directly (`event_type` is "").
    With `prefix=True` it gets every event whose type starts with `event_type` ("shop.").
    """

    def decorate(fn: F) -> F:
        _register(
            FunctionSpec(
                name=_name_of(fn, name),
                kind="event",
                handler=fn,
                module=fn.__module__,
                summary=_summary(fn),
                sink=sink,
                event_type=event_type,
                prefix=prefix,
                attributes=dict(attributes or {}),
                delivery=delivery,
                scale=scale,
                stores=stores,
                emits=emits,
            )
        )
        return fn

    return decorate


def periodic(
    schedule: str,
    *,
    every: float = 60.0,
    scale: Scale = Scale(),
    stores: tuple[str, ...] = (),
    emits: tuple[str, ...] = (),
    name: str | None = None,
) -> Callable[[F], F]:
    """Register periodic work: a PingSource cron `schedule` on a cluster, every `every` s in dev."""

    def decorate(fn: F) -> F:
        _register(
            FunctionSpec(
                name=_name_of(fn, name),
                kind="periodic",
                handler=fn,
                module=fn.__module__,
                summary=_summary(fn),
                schedule=schedule,
                every=every,
                scale=scale,
                stores=stores,
                emits=emits,
            )
        )
        return fn

    return decorate


def _function_modules() -> Iterator[str]:
    package = importlib.import_module(FUNCTIONS_PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{FUNCTIONS_PACKAGE}."):
        if not info.name.rsplit(".", 1)[-1].startswith("_") and not info.ispkg:
            yield info.name


def discover() -> dict[str, FunctionSpec]:
    """Import every module under `functions/` and return the whole registry, sorted by name."""
    for module in _function_modules():
        importlib.import_module(module)
    return all_functions()


def all_functions() -> dict[str, FunctionSpec]:
    return dict(sorted(_REGISTRY.items()))


def module_of(name: str) -> str:
    """Where function `name` lives: `catalog-get` in `functions.catalog.get`.

    The name alone locates the module, so a cold start imports just that one.
    """
    domain, _, verb = name.partition("-")
    return f"{FUNCTIONS_PACKAGE}.{domain}.{verb.replace('-', '_')}"


def get(name: str) -> FunctionSpec:
    """The spec of one function, importing only its own module."""
    if name not in _REGISTRY and NAME_PATTERN.match(name):
        # An unknown name falls through to the RegistryError below.
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(module_of(name))
    try:
        return _REGISTRY[name]
    except KeyError:
        raise RegistryError(f"no function named {name!r}") from None
