"""The source file functions-framework loads: `--source .../shopfn/entry.py --target <name>`.

functions-framework looks the target up with getattr; this module's `__getattr__` (PEP 562)
imports only the target's own module, so a cold start pays for one function, not all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def __getattr__(name: str) -> Callable[..., Any]:
    if name.startswith("__"):
        raise AttributeError(name)
    from shopfn import registry, web

    web.configure_process()
    try:
        spec = registry.get(name)
    except registry.RegistryError:
        raise AttributeError(name) from None
    return web.endpoint(spec)
