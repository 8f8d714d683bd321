"""Broker ingress: required attributes, binary and structured mode, knativearrivaltime."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from broker_fakes import EPOCH, FakeClock, Recorder, binary
from cloudevents.http import CloudEvent

from shopfn.emulator.broker import Broker, InvalidEvent, Trigger

ALL = Trigger("all", "audit")


@pytest.mark.parametrize("missing", ["ce-specversion", "ce-id", "ce-source", "ce-type"])
def test_event_missing_a_required_attribute_is_refused_with_400(
    make_broker: Callable[..., Broker], recorder: Recorder, missing: str
) -> None:
    broker = make_broker(ALL)
    headers = binary()
    del headers[missing]
    status, message = broker.ingress(headers, b"{}")
    assert status == 400
    assert missing.removeprefix("ce-") in message
    assert broker.drain(2)
    assert recorder.calls == []


@pytest.mark.parametrize(
    ("header", "value"),
    [("ce-specversion", "0.2"), ("ce-id", ""), ("ce-time", "yesterday")],
)
def test_event_with_an_invalid_attribute_is_refused_with_400(
    make_broker: Callable[..., Broker], header: str, value: str
) -> None:
    broker = make_broker(ALL)
    status, _ = broker.ingress({**binary(), header: value}, b"{}")
    assert status == 400


def test_structured_event_missing_type_is_refused(make_broker: Callable[..., Broker]) -> None:
    broker = make_broker(ALL)
    envelope = {"specversion": "1.0", "id": "e-1", "source": "/s"}
    status, message = broker.ingress(
        {"content-type": "application/cloudevents+json"}, json.dumps(envelope).encode()
    )
    assert (status, "type" in message) == (400, True)


def test_accepted_event_is_stamped_with_knativearrivaltime(
    make_broker: Callable[..., Broker], recorder: Recorder, clock: FakeClock
) -> None:
    broker = make_broker(ALL)
    assert broker.ingress(binary(), b"{}") == (202, "accepted")
    assert broker.drain(2)
    (call,) = recorder.calls
    assert call.headers["ce-knativearrivaltime"] == "2023-11-14T22:13:20Z"
    assert clock.now() == EPOCH
    assert broker.recent_events()[0]["knativearrivaltime"] == "2023-11-14T22:13:20Z"


def test_structured_event_is_delivered_in_binary_mode_with_prefer_reply(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    broker = make_broker(ALL)
    envelope = {
        "specversion": "1.0",
        "id": "e-9",
        "source": "/shopfn/catalog",
        "type": "shop.product.updated.v1",
        "datacontenttype": "application/json",
        "tenant": "t-1",
        "data": {"sku": "A-1"},
    }
    status, _ = broker.ingress(
        {"Content-Type": "application/cloudevents+json"}, json.dumps(envelope).encode()
    )
    assert status == 202
    assert broker.drain(2)
    (call,) = recorder.calls
    assert call.subscriber == "audit"
    assert call.headers["content-type"] == "application/json"
    assert call.headers["ce-id"] == "e-9"
    assert call.headers["ce-tenant"] == "t-1"
    assert call.headers["prefer"] == "reply"
    assert json.loads(call.body) == {"sku": "A-1"}


def test_structured_data_base64_is_delivered_as_raw_bytes(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    broker = make_broker(ALL)
    envelope = {
        "specversion": "1.0",
        "id": "e-b",
        "source": "/s",
        "type": "t",
        "datacontenttype": "application/octet-stream",
        "data_base64": base64.b64encode(b"\x00\x01\xff").decode(),
    }
    broker.ingress({"content-type": "application/cloudevents+json"}, json.dumps(envelope).encode())
    assert broker.drain(2)
    assert recorder.calls[0].body == b"\x00\x01\xff"


def test_publish_takes_sdk_cloudevents_and_refuses_invalid_ones(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    broker = make_broker(ALL)
    broker.publish(
        CloudEvent({"id": "p-1", "type": "shop.user.registered.v1", "source": "/users"}, {"u": 1})
    )
    assert broker.drain(2)
    assert recorder.calls[0].headers["ce-type"] == "shop.user.registered.v1"
    assert "ce-knativearrivaltime" in recorder.calls[0].headers
    with pytest.raises(InvalidEvent):
        broker.publish(CloudEvent({"id": "p-2", "type": "", "source": "/users"}, None))
