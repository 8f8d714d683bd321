"""Message text per event type (pure: no servers)."""

from __future__ import annotations

import pytest

from functions.notifications.templates import TEMPLATES, render

ORDER_ITEMS = [
    {"productId": "p1", "name": "Shoe", "quantity": 2, "unitPrice": 50.0},
    {"productId": "p2", "name": "Sock", "quantity": 1, "unitPrice": 9.5},
]


@pytest.mark.parametrize(
    "event_type, data, title, in_body",
    [
        (
            "shop.user.registered.v1",
            {"userId": "u1", "name": "Ada", "email": "ada@example.com"},
            "Welcome to shopfn, Ada!",
            "ada@example.com",
        ),
        (
            "shop.order.confirmed.v1",
            {"orderId": "o1", "items": ORDER_ITEMS, "total": 109.5, "currency": "EUR"},
            "Order o1 confirmed",
            "3 item(s) for 109.50 EUR",
        ),
        (
            "shop.order.cancelled.v1",
            {"orderId": "o2", "reason": "payment declined"},
            "Order o2 cancelled",
            "cancelled: payment declined.",
        ),
        (
            "shop.order.shipped.v1",
            {"orderId": "o3", "trackingId": "TRK-42"},
            "Order o3 shipped",
            "Tracking id: TRK-42.",
        ),
        (
            "shop.payment.refunded.v1",
            {"orderId": "o4", "amount": 12.0, "currency": "USD"},
            "Refund for order o4",
            "We refunded 12.00 USD for order o4",
        ),
    ],
)
def test_each_event_type_has_its_text(
    event_type: str, data: dict[str, object], title: str, in_body: str
) -> None:
    got_title, body = render(event_type, data)
    assert got_title == title
    assert in_body in body


def test_an_optional_field_left_out_reads_as_empty() -> None:
    _, body = render("shop.payment.refunded.v1", {"orderId": "o5", "amount": 3.0})
    assert "refunded 3.00 for order o5" in body


def test_a_type_without_template_is_refused() -> None:
    assert "shop.product.created.v1" not in TEMPLATES
    with pytest.raises(KeyError):
        render("shop.product.created.v1", {})
