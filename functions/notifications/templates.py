"""Message text per event type: a template each, filled from the event's data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class _Fields(dict[str, Any]):
    """Template fields; an optional field the event left out reads as empty text."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Template:
    title: str
    body: str

    def render(self, data: dict[str, Any]) -> tuple[str, str]:
        fields = _Fields(data)
        # An empty optional field must not leave a double space behind.
        return tidy(self.title.format_map(fields)), tidy(self.body.format_map(fields))


def tidy(text: str) -> str:
    return " ".join(text.split()).replace(" .", ".")


TEMPLATES: dict[str, Template] = {
    "shop.user.registered.v1": Template(
        "Welcome to shopfn, {name}!", "Your account {email} is ready. Happy shopping."
    ),
    "shop.order.confirmed.v1": Template(
        "Order {orderId} confirmed",
        "Thank you! {itemCount} item(s) for {total:.2f} {currency} are on their way to being"
        " packed. We will tell you when the order ships.",
    ),
    "shop.order.cancelled.v1": Template(
        "Order {orderId} cancelled", "Your order {orderId} was cancelled: {reason}."
    ),
    "shop.order.shipped.v1": Template(
        "Order {orderId} shipped", "Your order {orderId} is on its way. Tracking id: {trackingId}."
    ),
    "shop.payment.refunded.v1": Template(
        "Refund for order {orderId}",
        "We refunded {amount:.2f} {currency} for order {orderId}; your bank may take a few days"
        " to show it.",
    ),
}


def derived_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Fields a template may use that the event does not carry as such."""
    items = data.get("items") or []
    return {"itemCount": sum(int(item.get("quantity", 0)) for item in items)}


def render(event_type: str, data: dict[str, Any]) -> tuple[str, str]:
    """(title, body) for an event; KeyError when the type has no template."""
    return TEMPLATES[event_type].render({**derived_fields(data), **data})
