"""Message text per event type: a template each, filled from the event's data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Template:
    title: str
    body: str

    def render(self, data: dict[str, Any]) -> tuple[str, str]:
        return self.title.format_map(data), self.body.format_map(data)


TEMPLATES: dict[str, Template] = {
    "shop.user.registered.v1": Template(
        "Welcome to shopfn, {name}!", "Your account {email} is ready. Happy shopping."
    ),
}


def render(event_type: str, data: dict[str, Any]) -> tuple[str, str]:
    """(title, body) for an event; KeyError when the type has no template."""
    return TEMPLATES[event_type].render(data)
