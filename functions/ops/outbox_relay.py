"""The outbox relay: publishes events a crash left in the outbox after their commit."""

from __future__ import annotations

from typing import Any

from shopfn.outbox import relay
from shopfn.registry import Scale, periodic


@periodic("* * * * *", every=5.0, stores=("postgres",), scale=Scale(max=1))
def ops_outbox_relay() -> dict[str, Any]:
    """Publish whatever is left unpublished in the outbox."""
    return {"published": relay()}
