"""Per-partitionkey ordering, parallelism across keys, and a clean stop."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from broker_fakes import Call, FakeClock, Recorder, binary

from shopfn.emulator.broker import Broker, Delivery, DeliveryResult, Trigger

ORDERS = Trigger("orders", "orders-consumer", delivery=Delivery(retry=5, backoff_delay=0.01))


def test_same_partitionkey_is_delivered_strictly_in_order_under_failures(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    """The next event of a key waits until the previous one is done, retries included."""
    rng = random.Random(7)
    failures_left = {
        f"cart-{k}-{n:02d}": rng.choice([0, 0, 1, 2]) for k in "abc" for n in range(15)
    }
    planned_failures = sum(failures_left.values())
    lock = threading.Lock()
    in_flight: dict[str, int] = defaultdict(int)
    overlaps: list[str] = []

    def sometimes_failing(call: Call) -> DeliveryResult:
        key = call.headers["ce-partitionkey"]
        with lock:
            in_flight[key] += 1
            if in_flight[key] > 1:
                overlaps.append(key)
            fail = failures_left[call.event_id] > 0
            failures_left[call.event_id] -= 1
        time.sleep(0.001)  # stay inside long enough for an overlap to show
        with lock:
            in_flight[key] -= 1
        return DeliveryResult(503 if fail else 202)

    recorder.answers["orders-consumer"] = sometimes_failing
    broker = make_broker(ORDERS, workers=4)
    keys = ["cart-a", "cart-b", "cart-c"]
    for n in range(15):
        for key in keys:
            broker.ingress(binary(event_id=f"{key}-{n:02d}", partitionkey=key), b"{}")
    assert broker.drain(10)

    assert overlaps == []
    for key in keys:
        seen = [c.event_id for c in recorder.to("orders-consumer") if c.event_id.startswith(key)]
        # every attempt of event n comes before any attempt of event n + 1
        assert seen == sorted(seen)
        assert sorted(set(seen)) == [f"{key}-{n:02d}" for n in range(15)]
    assert len(recorder.to("orders-consumer")) == 45 + planned_failures
    assert recorder.to("ops-dead-letters") == []


def test_order_is_per_trigger_not_global(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    """A key stuck retrying on one Trigger does not hold it back on another Trigger."""
    recorder.answers["slow"] = lambda call: DeliveryResult(503)
    slow = Trigger("slow", "slow", delivery=Delivery(retry=2, backoff_delay=0.1))
    fast = Trigger("fast", "fast")
    broker = make_broker(slow, fast)
    for n in range(3):
        broker.ingress(binary(event_id=f"e-{n}", partitionkey="k"), b"{}")
    assert broker.drain(5)
    assert [c.event_id for c in recorder.to("fast")] == ["e-0", "e-1", "e-2"]
    assert [c.event_id for c in recorder.to("slow")] == ["e-0"] * 3 + ["e-1"] * 3 + ["e-2"] * 3


def test_different_keys_are_delivered_in_parallel(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    both_inside = threading.Barrier(2, timeout=5)

    def meet(call: Call) -> DeliveryResult:
        both_inside.wait()  # raises BrokenBarrierError unless two deliveries overlap
        return DeliveryResult(202)

    recorder.answers["orders-consumer"] = meet
    broker = make_broker(ORDERS, workers=2)
    broker.ingress(binary(event_id="1", partitionkey="k1"), b"{}")
    broker.ingress(binary(event_id="2", partitionkey="k2"), b"{}")
    assert broker.drain(5)
    assert [d["deliveries"][0]["status"] for d in broker.recent_events()] == ["delivered"] * 2


def test_a_retrying_event_does_not_block_other_keys(clock: FakeClock, recorder: Recorder) -> None:
    """With one worker, a retry waits on the timer, not on the worker: other keys go first."""
    recorder.answers["orders-consumer"] = lambda call: DeliveryResult(
        503 if call.event_id == "stuck" else 202
    )
    broker = Broker([ORDERS], recorder, clock=clock, workers=1, dead_letter_sink=None)
    broker.ingress(binary(event_id="stuck", partitionkey="slow"), b"{}")
    for n in range(3):
        broker.ingress(binary(event_id=f"free-{n}", partitionkey=f"k{n}"), b"{}")
    broker.ingress(binary(event_id="unkeyed"), b"{}")
    broker.start()
    try:
        assert broker.drain(5)
    finally:
        broker.stop()
    order = [c.event_id for c in recorder.calls]
    assert order[:5] == ["stuck", "free-0", "free-1", "free-2", "unkeyed"]
    assert order[5:] == ["stuck"] * 5


def test_events_without_a_key_are_not_serialised(
    make_broker: Callable[..., Broker], recorder: Recorder
) -> None:
    both_inside = threading.Barrier(2, timeout=5)
    recorder.answers["orders-consumer"] = lambda call: (
        both_inside.wait(),
        DeliveryResult(202),
    )[1]
    broker = make_broker(ORDERS, workers=2)
    broker.ingress(binary(event_id="1"), b"{}")
    broker.ingress(binary(event_id="2"), b"{}")
    assert broker.drain(5)
    assert len(recorder.calls) == 2


def test_stop_ends_every_broker_thread(clock: FakeClock, recorder: Recorder) -> None:
    broker = Broker([ORDERS], recorder, clock=clock, workers=3)
    broker.start()
    broker.ingress(binary(), b"{}")
    assert broker.drain(2)
    broker.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("broker-")]
