"""Delivery: success, retries and backoff, Retry-After, dead letters, replies, replay."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from email.utils import formatdate

import pytest
from broker_fakes import Call, FakeClock, Recorder, binary

from shopfn import metrics
from shopfn.emulator.broker import Broker, Delivery, DeliveryResult, Trigger

FAST = Delivery(retry=3, backoff_policy="exponential", backoff_delay=0.2)


def orders(subscriber: str = "orders-consumer", delivery: Delivery = FAST) -> Trigger:
    return Trigger(
        "orders", subscriber, attributes={"type": "shop.order.created.v1"}, delivery=delivery
    )


def always(status: int, body: bytes = b"", **headers: str) -> Callable[[Call], DeliveryResult]:
    return lambda call: DeliveryResult(status, headers, body)


@pytest.fixture
def one_event(make_broker: Callable[..., Broker], recorder: Recorder) -> Callable[..., Broker]:
    """Send one event to a broker whose `trigger` subscriber gives `answer`; wait till done."""

    def send(
        answer: Callable[[Call], DeliveryResult],
        trigger: Trigger | None = None,
        headers: dict[str, str] | None = None,
        body: bytes = b"{}",
        **options: object,
    ) -> Broker:
        trigger = trigger or orders()
        recorder.answers[trigger.subscriber] = answer
        broker = make_broker(trigger, **options)
        broker.ingress(headers or binary(), body)
        assert broker.drain(5)
        return broker

    return send


def gaps(calls: list[Call]) -> list[float]:
    """Fake seconds between consecutive attempts (the timer may fire up to 1 µs early)."""
    return [round(b.at - a.at, 4) for a, b in itertools.pairwise(calls)]


def test_only_triggers_whose_filter_matches_receive_the_event(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    users = Trigger("users", "users-consumer", filters=[{"prefix": {"type": "shop.user."}}])
    eu = Trigger("eu", "eu-consumer", attributes={"type": "", "region": "eu"})
    broker = make_broker(orders(), users, eu)
    broker.ingress(binary(region="eu"), b"{}")
    assert broker.drain(2)
    assert sorted(c.subscriber for c in recorder.calls) == ["eu-consumer", "orders-consumer"]


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_2xx_is_success_after_one_attempt(
    one_event: Callable[..., Broker], recorder: Recorder, status: int
) -> None:
    broker = one_event(always(status))
    assert len(recorder.calls) == 1
    assert broker.dead_letters() == []
    (delivery,) = broker.recent_events()[0]["deliveries"]
    assert delivery | {"trigger": "orders"} == {
        "trigger": "orders",
        "subscriber": "orders-consumer",
        "status": "delivered",
        "attempts": 1,
        "code": status,
    }


@pytest.mark.parametrize("status", [404, 408, 409, 429, 500, 502, 503, 504])
def test_retryable_status_is_retried_retry_times_then_dead_lettered(
    one_event: Callable[..., Broker], recorder: Recorder, status: int
) -> None:
    broker = one_event(always(status))
    assert len(recorder.to("orders-consumer")) == 1 + FAST.retry
    assert len(recorder.to("ops-dead-letters")) == 1
    assert broker.dead_letters()[0]["attempts"] == 4


@pytest.mark.parametrize("status", [400, 401, 403, 405, 410, 413, 415, 422, 301, 302])
def test_other_4xx_and_3xx_go_straight_to_the_dead_letter_sink(
    one_event: Callable[..., Broker], recorder: Recorder, status: int
) -> None:
    one_event(always(status))
    assert len(recorder.to("orders-consumer")) == 1
    (dead,) = recorder.to("ops-dead-letters")
    assert dead.headers["ce-knativeerrorcode"] == str(status)


def test_network_errors_are_retried_and_reported_as_500(
    one_event: Callable[..., Broker], recorder: Recorder
) -> None:
    def refuse(call: Call) -> DeliveryResult:
        raise ConnectionRefusedError("connection refused")

    one_event(refuse)
    assert len(recorder.to("orders-consumer")) == 4
    (dead,) = recorder.to("ops-dead-letters")
    assert dead.headers["ce-knativeerrorcode"] == "500"
    data = base64.b64decode(dead.headers["ce-knativeerrordata"])
    assert data.startswith(b"dispatch error:") and b"refused" in data


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("exponential", [0.4, 0.8, 1.6, 3.2]), ("linear", [0.2, 0.4, 0.6, 0.8])],
)
def test_backoff_sequence(
    one_event: Callable[..., Broker], recorder: Recorder, policy: str, expected: list[float]
) -> None:
    """Retry n (from 1) waits backoff_delay * 2**n (exponential) or backoff_delay * n (linear)."""
    delivery = Delivery(retry=4, backoff_policy=policy, backoff_delay=0.2)  # type: ignore[arg-type]
    one_event(always(503), trigger=orders(delivery=delivery))
    assert gaps(recorder.to("orders-consumer")) == expected


def test_retry_zero_means_a_single_attempt(
    one_event: Callable[..., Broker], recorder: Recorder
) -> None:
    one_event(always(500), trigger=orders(delivery=Delivery(retry=0)))
    assert len(recorder.to("orders-consumer")) == 1
    assert len(recorder.to("ops-dead-letters")) == 1


@pytest.mark.parametrize(
    ("status", "retry_after", "expected_gap"),
    [
        (429, "5", 5.0),  # larger than the 0.4 s backoff: honoured
        (503, "0", 0.4),  # smaller than the backoff: the backoff wins
        (429, "600", 60.0),  # capped at retry_after_max
        (500, "5", 0.4),  # Knative reads Retry-After only on 429 and 503
    ],
)
def test_retry_after_seconds_is_honoured(
    one_event: Callable[..., Broker],
    recorder: Recorder,
    status: int,
    retry_after: str,
    expected_gap: float,
) -> None:
    answers = iter([DeliveryResult(status, {"Retry-After": retry_after}), DeliveryResult(202)])
    one_event(lambda call: next(answers))
    assert gaps(recorder.to("orders-consumer")) == [expected_gap]


def test_retry_after_http_date_is_honoured(
    one_event: Callable[..., Broker], recorder: Recorder, clock: FakeClock
) -> None:
    when = formatdate(clock.now() + 7, usegmt=True)
    answers = iter([DeliveryResult(503, {"retry-after": when}), DeliveryResult(200)])
    one_event(lambda call: next(answers))
    assert gaps(recorder.to("orders-consumer")) == [7.0]


def test_dead_letter_carries_knative_error_extensions(
    one_event: Callable[..., Broker], recorder: Recorder
) -> None:
    broker = one_event(
        always(422, b'{"detail": "bad order"}'),
        headers=binary(event_id="e-42"),
        body=b'{"orderId": "o-1"}',
    )
    (dead,) = recorder.to("ops-dead-letters")
    assert dead.headers["ce-id"] == "e-42"
    assert dead.headers["ce-knativeerrordest"] == "orders-consumer"
    assert dead.headers["ce-knativeerrorcode"] == "422"
    assert base64.b64decode(dead.headers["ce-knativeerrordata"]) == b'{"detail": "bad order"}'
    assert dead.body == b'{"orderId": "o-1"}'
    assert "prefer" not in dead.headers
    (letter,) = broker.dead_letters()
    assert letter["event"]["knativeerrorcode"] == "422"
    assert letter["reason"] == "HTTP 422 (not retryable)"
    assert letter["sink_status"] == "delivered"


def test_knativeerrordata_is_capped_at_1024_bytes(
    one_event: Callable[..., Broker], recorder: Recorder
) -> None:
    body = bytes(range(256)) * 20  # 5120 bytes
    one_event(always(400, body))
    data = recorder.to("ops-dead-letters")[0].headers["ce-knativeerrordata"]
    assert len(data) == 1024
    assert base64.b64decode(data) == body[:768]


def test_without_a_dead_letter_sink_the_failure_is_kept_in_memory_only(
    one_event: Callable[..., Broker], recorder: Recorder
) -> None:
    broker = one_event(always(400), dead_letter_sink=None)
    assert [c.subscriber for c in recorder.calls] == ["orders-consumer"]
    assert broker.dead_letters()[0]["sink_status"] == "none"
    assert broker.recent_events()[0]["deliveries"][0]["status"] == "failed"


def test_reply_event_is_published_back_into_the_broker(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    reply_headers = {
        "Ce-Specversion": "1.0",
        "Ce-Id": "r-1",
        "Ce-Source": "/shopfn/payments",
        "Ce-Type": "shop.payment.captured.v1",
        "Content-Type": "application/json",
    }
    recorder.answers["payments"] = always(200, b'{"paid": true}', **reply_headers)
    payments = Trigger("payments", "payments", attributes={"type": "shop.order.created.v1"})
    receipts = Trigger("receipts", "receipts", attributes={"type": "shop.payment.captured.v1"})
    broker = make_broker(payments, receipts)
    broker.ingress(binary(), b"{}")
    assert broker.drain(2)
    (reply,) = recorder.to("receipts")
    assert reply.headers["ce-id"] == "r-1"
    assert reply.body == b'{"paid": true}'
    assert "ce-knativearrivaltime" in reply.headers
    assert [e["type"] for e in broker.recent_events()] == [
        "shop.payment.captured.v1",
        "shop.order.created.v1",
    ]


def test_structured_reply_is_published_and_non_event_bodies_are_not(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    structured = b'{"specversion":"1.0","id":"r-2","source":"/s","type":"shop.reply.v1"}'
    recorder.answers["a"] = always(
        200, structured, **{"content-type": "application/cloudevents+json"}
    )
    recorder.answers["b"] = always(200, b'{"ok": true}', **{"content-type": "application/json"})
    a = Trigger("a", "a", attributes={"source": "/a"})
    b = Trigger("b", "b", attributes={"source": "/b"})
    replies = Trigger("replies", "replies", attributes={"type": "shop.reply.v1"})
    broker = make_broker(a, b, replies)
    broker.ingress(binary(event_id="1", source="/a"), b"{}")
    broker.ingress(binary(event_id="2", source="/b"), b"{}")
    assert broker.drain(2)
    assert [c.event_id for c in recorder.to("replies")] == ["r-2"]


def test_invalid_reply_is_dropped_and_the_delivery_still_succeeds(
    one_event: Callable[..., Broker], recorder: Recorder
) -> None:
    broker = one_event(always(200, b"", **{"ce-specversion": "1.0"}))
    assert len(recorder.calls) == 1
    assert broker.recent_events()[0]["deliveries"][0]["status"] == "delivered"


def test_event_failing_twice_then_succeeding_is_delivered_once_in_effect(
    one_event: Callable[..., Broker], recorder: Recorder
) -> None:
    effects: list[str] = []
    statuses = iter([500, 503, 200])

    def flaky(call: Call) -> DeliveryResult:
        status = next(statuses)
        if status == 200:
            effects.append(call.event_id)
        return DeliveryResult(status)

    broker = one_event(flaky, headers=binary(event_id="e-7"))
    assert effects == ["e-7"]
    assert len(recorder.to("orders-consumer")) == 3
    assert recorder.to("ops-dead-letters") == []
    assert broker.recent_events()[0]["deliveries"][0]["attempts"] == 3


def test_duplicate_delivery_to_an_idempotent_consumer_has_one_effect(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    """At least once: a consumer that did the work but answered 500 gets the event again."""
    seen: dict[tuple[str, str, str], int] = {}
    effects: list[str] = []
    answers = iter([500, 200, 200])

    def idempotent(call: Call) -> DeliveryResult:
        key = (call.subscriber, call.headers["ce-source"], call.event_id)
        if key not in seen:
            seen[key] = 1
            effects.append(call.event_id)
        return DeliveryResult(next(answers))

    recorder.answers["orders-consumer"] = idempotent
    broker = make_broker(orders())
    broker.ingress(binary(event_id="e-1"), b"{}")
    broker.ingress(binary(event_id="e-1"), b"{}")  # the producer published it twice, too
    assert broker.drain(5)
    assert len(recorder.to("orders-consumer")) == 3
    assert effects == ["e-1"]


def test_always_failing_event_ends_in_the_dead_letter_sink_and_replays_from_there(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    recorder.answers["orders-consumer"] = always(503, b"down")
    other = Trigger("audit", "audit")
    broker = make_broker(orders(), other)
    broker.ingress(binary(event_id="e-5"), b'{"orderId": "o-5"}')
    assert broker.drain(5)
    assert len(recorder.to("orders-consumer")) == 4
    (letter,) = broker.dead_letters()
    assert letter["event"]["id"] == "e-5"
    assert letter["reason"] == "HTTP 503 after 4 attempt(s)"

    recorder.answers["orders-consumer"] = always(202)  # the consumer is fixed
    assert broker.replay("e-5")
    assert not broker.replay("e-5")  # replayed once, gone from the dead letters
    assert broker.drain(2)
    replayed = recorder.to("orders-consumer")[-1]
    assert replayed.event_id == "e-5"
    assert replayed.body == b'{"orderId": "o-5"}'
    assert not any(h.startswith("ce-knativeerror") for h in replayed.headers)
    assert len(recorder.to("audit")) == 1  # only the trigger that failed gets it again
    assert broker.dead_letters() == []
    assert broker.recent_events()[0]["deliveries"][0]["status"] == "delivered"


def test_dead_letter_sink_failure_is_retried_then_reported(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    recorder.answers["orders-consumer"] = always(400)
    recorder.answers["ops-dead-letters"] = always(500)
    broker = make_broker(orders())
    broker.ingress(binary(), b"{}")
    assert broker.drain(5)
    assert len(recorder.to("ops-dead-letters")) == 4
    assert broker.dead_letters()[0]["sink_status"] == "failed"


def test_set_triggers_changes_who_gets_new_events(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    broker = make_broker(orders())
    broker.set_triggers([Trigger("audit", "audit")])
    broker.ingress(binary(), b"{}")
    assert broker.drain(2)
    assert [c.subscriber for c in recorder.calls] == ["audit"]


def test_each_attempt_is_counted_in_the_broker_delivery_metric(
    one_event: Callable[..., Broker],
) -> None:
    def count(subscriber: str, outcome: str) -> float:
        labels = {"subscriber": subscriber, "type": "shop.order.created.v1", "outcome": outcome}
        value = metrics.REGISTRY.get_sample_value("shopfn_broker_deliveries_total", labels)
        return value or 0.0

    one_event(always(503), trigger=orders("metered-consumer"))
    assert count("metered-consumer", "retry") == 3
    assert count("metered-consumer", "dead-lettered") == 1
    assert count("metered-consumer", "delivered") == 0
    assert count("ops-dead-letters", "delivered") >= 1
