"""Notifications consumers against real Redis and moto (SES, SNS): what each event sends, once."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from cloudevents.http import CloudEvent

from functions.notifications import _setup, channels, contacts
from functions.notifications._sent import sent_emails, sent_pushes
from functions.notifications.feed import read_feed
from functions.notifications.once import send_once, sent_key
from shopfn import config, registry
from shopfn.events import new_event
from shopfn.stores import aws_client, redis_client

pytestmark = [pytest.mark.servers("redis", "aws"), pytest.mark.timeout(120)]

NOW = datetime.now(UTC).isoformat()
ITEMS = [{"productId": "p-1", "name": "Trail shoe", "quantity": 2, "unitPrice": 64.5}]


def _reload() -> None:
    # Only what this module caches: other clients belong to other tests (and dropping one
    # unclosed would warn).
    config.reload()
    channels.push_application_arn.cache_clear()


@pytest.fixture(scope="module")
def aws(servers: dict[str, str]) -> Iterator[str]:
    _reload()
    _setup.setup()
    yield servers["SHOPFN_AWS_URL"]


def _user(aws: str) -> tuple[str, str]:
    """A registered user (their welcome already delivered): (user id, email)."""
    user_id = f"u-{uuid.uuid4().hex[:10]}"
    email = f"{user_id}@example.com"
    deliver(_registered(user_id, email))
    return user_id, email


def _registered(user_id: str, email: str) -> CloudEvent:
    data = {"userId": user_id, "email": email, "name": "Ada", "role": "user", "registeredAt": NOW}
    return new_event("shop.user.registered.v1", data, subject=user_id)


def order_events(user_id: str) -> dict[str, CloudEvent]:
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    base = {"orderId": order_id, "userId": user_id}
    datas: dict[str, dict[str, Any]] = {
        "shop.order.confirmed.v1": {
            **base,
            "items": ITEMS,
            "total": 129.0,
            "currency": "EUR",
            "confirmedAt": NOW,
        },
        "shop.order.cancelled.v1": {**base, "reason": "out of stock", "cancelledAt": NOW},
        "shop.order.shipped.v1": {**base, "trackingId": "TRK-1", "shippedAt": NOW},
        "shop.payment.refunded.v1": {
            **base,
            "paymentId": "pay-1",
            "amount": 129.0,
            "refundedAt": NOW,
        },
    }
    return {t: new_event(t, d, subject=order_id) for t, d in datas.items()}


def consumer_for(event_type: str) -> Callable[[CloudEvent], Any]:
    (spec,) = [
        s
        for s in registry.discover().values()
        if s.domain == "notifications" and s.event_type == event_type
    ]
    return spec.handler


def deliver(event: CloudEvent) -> None:
    consumer_for(str(event["type"]))(event)


def mail_to(aws: str, email: str) -> list[dict[str, Any]]:
    return [m for m in sent_emails(aws) if email in m["to"]]


def pushes_to(aws: str, user_id: str) -> list[dict[str, Any]]:
    return [p for p in sent_pushes(aws) if p["user"] == user_id]


def test_registration_welcomes_by_feed_email_and_push_once(aws: str) -> None:
    user_id = f"u-{uuid.uuid4().hex[:10]}"
    email = f"{user_id}@example.com"
    event = _registered(user_id, email)
    for _ in range(3):  # the broker may deliver an event more than once
        deliver(event)
    [mail] = mail_to(aws, email)
    assert mail["subject"] == "Welcome to shopfn, Ada!"
    assert mail["source"] == channels.sender()
    [push] = pushes_to(aws, user_id)
    assert push["title"] == "Welcome to shopfn, Ada!"
    items, unread = read_feed(user_id, 50)
    assert [i["type"] for i in items] == ["shop.user.registered.v1"]
    assert unread == 1


@pytest.mark.parametrize(
    "event_type, subject",
    [
        ("shop.order.confirmed.v1", "Order {order} confirmed"),
        ("shop.order.cancelled.v1", "Order {order} cancelled"),
        ("shop.order.shipped.v1", "Order {order} shipped"),
        ("shop.payment.refunded.v1", "Refund for order {order}"),
    ],
)
def test_each_order_event_sends_one_email_and_one_push_under_redelivery(
    aws: str, event_type: str, subject: str
) -> None:
    user_id, email = _user(aws)
    event = order_events(user_id)[event_type]
    deliver(event)
    deliver(event)
    expected = subject.format(order=event["subject"])
    assert [m["subject"] for m in mail_to(aws, email)] == ["Welcome to shopfn, Ada!", expected]
    assert [p["title"] for p in pushes_to(aws, user_id)] == ["Welcome to shopfn, Ada!", expected]
    items, unread = read_feed(user_id, 50)
    assert [i["title"] for i in items] == [expected, "Welcome to shopfn, Ada!"]
    assert unread == 2


def test_concurrent_duplicates_send_once(aws: str) -> None:
    user_id, email = _user(aws)
    event = order_events(user_id)["shop.order.shipped.v1"]
    threads = [threading.Thread(target=deliver, args=(event,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(mail_to(aws, email)) == 2  # welcome + shipped
    assert len(pushes_to(aws, user_id)) == 2
    assert len(read_feed(user_id, 50)[0]) == 2


def test_a_refused_email_is_retried_on_redelivery_and_then_sent_once(
    aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id, email = _user(aws)
    event = order_events(user_id)["shop.order.confirmed.v1"]
    # SES refuses a sender nobody verified: the email surely did not go out.
    monkeypatch.setenv("SHOPFN_MAIL_FROM", "shop@unverified.invalid")
    config.reload()
    with pytest.raises(ClientError):
        deliver(event)
    assert redis_client().get(sent_key("email", event)) is None
    assert len(mail_to(aws, email)) == 1  # only the welcome
    monkeypatch.delenv("SHOPFN_MAIL_FROM")
    config.reload()
    deliver(event)  # the broker's retry
    deliver(event)
    assert len(mail_to(aws, email)) == 2
    # The feed took the event on the first try and did not take it again.
    assert len(read_feed(user_id, 50)[0]) == 2
    assert len(pushes_to(aws, user_id)) == 2


def test_an_unknown_outcome_keeps_the_claim_so_nothing_is_sent_twice(aws: str) -> None:
    event = order_events("u-nobody")["shop.order.shipped.v1"]
    calls: list[int] = []

    def timed_out() -> str:
        calls.append(1)
        raise ReadTimeoutError(endpoint_url=aws)

    with pytest.raises(ReadTimeoutError):
        send_once("email", event, timed_out)
    assert not send_once("email", event, lambda: "never")
    assert calls == [1]


def test_without_a_known_address_the_feed_and_push_still_happen(aws: str) -> None:
    user_id = f"u-{uuid.uuid4().hex[:10]}"  # never registered here
    deliver(order_events(user_id)["shop.order.cancelled.v1"])
    assert len(pushes_to(aws, user_id)) == 1
    assert len(read_feed(user_id, 50)[0]) == 1


def test_an_address_on_the_event_wins(aws: str) -> None:
    user_id, _ = _user(aws)
    event = order_events(user_id)["shop.order.shipped.v1"]
    other = f"other-{uuid.uuid4().hex[:6]}@example.com"
    data = {**event.get_data(), "email": other}
    deliver(new_event(str(event["type"]), data, subject=str(event["subject"])))
    assert len(mail_to(aws, other)) == 1


def test_setup_is_idempotent(aws: str) -> None:
    _setup.setup()
    _setup.setup()
    assert channels.push_application_arn().endswith("/shopfn-mobile")
    assert os.environ["SHOPFN_AWS_URL"] == aws


def test_a_device_signed_in_by_another_user_moves_to_them(aws: str) -> None:
    first, _ = _user(aws)
    second, _ = _user(aws)
    token = f"fcm-{uuid.uuid4().hex}"
    endpoint = channels.register_device(first, token)
    # SNS refuses the same token with other attributes; the endpoint is handed over.
    assert channels.register_device(second, token) == endpoint
    assert contacts.lookup(second, "pushEndpoint") == endpoint
    assert contacts.lookup(first, "pushEndpoint") is None
    seconds, firsts = (
        order_events(second)["shop.order.shipped.v1"],
        order_events(first)["shop.order.shipped.v1"],
    )
    deliver(seconds)
    deliver(firsts)
    on_device = [p["title"] for p in sent_pushes(aws) if p["endpoint"] == endpoint]
    # Only the new owner's push reaches the device; the first user's went to a stand-in.
    assert on_device == [f"Order {seconds['subject']} shipped"]


def test_a_disabled_device_is_forgotten_not_retried(aws: str) -> None:
    user_id, email = _user(aws)
    endpoint = channels.register_device(user_id, f"fcm-{uuid.uuid4().hex}")
    # What SNS does when the platform rejects the token (the app was removed from the phone).
    aws_client("sns").set_endpoint_attributes(EndpointArn=endpoint, Attributes={"Enabled": "false"})
    event = order_events(user_id)["shop.order.shipped.v1"]
    deliver(event)  # no error: the broker must not retry for a device that is gone
    assert contacts.lookup(user_id, "pushEndpoint") is None
    assert redis_client().get(sent_key("push", event)) == channels.ENDPOINT_DISABLED
    assert len(mail_to(aws, email)) == 2  # the email still went out
