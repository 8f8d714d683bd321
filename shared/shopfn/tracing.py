"""W3C trace context carried from HTTP into events and back out (`traceparent`)."""

from __future__ import annotations

import contextvars
import re
import secrets

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
traceparent_var: contextvars.ContextVar[str] = contextvars.ContextVar("traceparent", default="")


def parse(traceparent: str) -> tuple[str, str, str] | None:
    """(trace id, parent span id, flags) of a valid header, else None."""
    match = _TRACEPARENT.match(traceparent.strip().lower()) if traceparent else None
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return match.group(1), match.group(2), match.group(3)


def child_of(traceparent: str) -> str:
    """A traceparent for a new span: same trace as `traceparent` if valid, else a new trace."""
    parsed = parse(traceparent)
    trace_id = parsed[0] if parsed else secrets.token_hex(16)
    flags = parsed[2] if parsed else "01"
    return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"


def current() -> str:
    return traceparent_var.get()


def current_trace_id() -> str:
    parsed = parse(traceparent_var.get())
    return parsed[0] if parsed else ""


def enter(incoming: str) -> contextvars.Token[str]:
    """Start this function's span under `incoming` (or a new trace); undo with `leave`."""
    return traceparent_var.set(child_of(incoming))


def leave(token: contextvars.Token[str]) -> None:
    traceparent_var.reset(token)
