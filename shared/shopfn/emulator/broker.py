"""The emulator's event broker, with the delivery semantics of a Knative Eventing Broker.

What it keeps from Knative (the data-plane contract in knative/specs and knative/eventing's
dispatcher):

- Ingress takes a CloudEvent in HTTP binary or structured mode and refuses one that lacks a
  required attribute (`specversion` 1.0, `id`, `source`, `type`) with 400. It stamps the
  `knativearrivaltime` extension (RFC 3339, UTC) and answers 202.
- Each Trigger whose filter accepts the event gets it as an HTTP POST in binary mode through
  `deliver`, with `Prefer: reply`. A 2xx is success. A 2xx whose response is a CloudEvent (binary
  `ce-*` headers or a structured content type) is a reply and goes back in through ingress.
  Knative's dispatcher reads a reply from any 2xx; the data-plane spec says a 202 should not
  carry one, which the emulator does not police.
- 404, 408, 409, 429, 5xx and network errors are retried; other 4xx (and 1xx/3xx) go straight to
  the dead-letter sink. `retry` counts the retries after the first try.
- The wait before retry number n (n = 1 for the first retry) is `backoff_delay * 2**n` for
  exponential and `backoff_delay * n` for linear: Knative's docs give "backoffDelay *
  2^<numberOfRetries>" / "backoffDelay * <numberOfRetries>", and knative/eventing's
  retries_test expects PT0.5S exponential to wait 1 s, 2 s, 4 s for retries 1, 2, 3.
- A `Retry-After` answer (delta-seconds or HTTP-date) on a 429 or 503, the two statuses Knative
  reads it on, makes the wait the larger of it and the backoff, capped at
  `Delivery.retry_after_max` (Knative's `retryAfterMax`).
- An event that exhausts its retries, or fails for good, goes to the dead-letter sink with the
  extensions `knativeerrordest` (the subscriber), `knativeerrorcode` (the last status; 500 for
  a network error, as Knative reports it) and `knativeerrordata` (the last response body,
  base64, at most 1024 characters: Knative base64-encodes the body and cuts the encoding at
  1024, which equals encoding the first 768 bytes).
- Events with the same `partitionkey` extension reach a given Trigger strictly in order: the next
  waits until the previous one is done, retries included. Other keys, and events without a key,
  go in parallel on the worker pool. Backoff waits hold no worker: a timer thread puts retries
  back on the ready queue when they are due, so a slow retrying key never blocks other keys.

All waiting for time goes through the injected `Clock`, so tests with a fake clock run at once.
`Clock.now()` is seconds since the epoch (it also dates `knativearrivaltime`).
"""

from __future__ import annotations

import base64
import binascii
import copy
import heapq
import itertools
import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Protocol

from cloudevents.abstract import AnyCloudEvent
from cloudevents.conversion import to_binary

from shopfn import metrics
from shopfn.emulator import filters as trigger_filters

log = logging.getLogger(__name__)

REQUIRED_ATTRIBUTES = ("specversion", "id", "source", "type")
RETRYABLE_STATUSES = frozenset({404, 408, 409, 429})
RETRY_AFTER_STATUSES = frozenset({429, 503})
ERROR_DATA_MAX_LENGTH = 1024
ERROR_EXTENSIONS = ("knativeerrordest", "knativeerrorcode", "knativeerrordata")
STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"
BATCH_CONTENT_TYPE = "application/cloudevents-batch+json"
NETWORK_ERROR_CODE = 500
_ATTRIBUTE_NAME = re.compile(r"[a-z0-9]+")
_TIMER_TICK = 0.05  # longest single clock.sleep of the timer, so new work and stop() are seen
_DUE_EPSILON = 1e-6
_DEAD_LETTERS_KEPT = 1000


@dataclass(frozen=True)
class Delivery:
    """A Trigger's `spec.delivery`, durations in seconds (ISO-8601 lives in the manifests)."""

    retry: int = 3
    backoff_policy: Literal["exponential", "linear"] = "exponential"
    backoff_delay: float = 0.2
    retry_after_max: float = 60.0

    def __post_init__(self) -> None:
        if self.retry < 0 or self.backoff_delay < 0 or self.retry_after_max < 0:
            raise ValueError(f"delivery values must not be negative: {self}")
        if self.backoff_policy not in ("exponential", "linear"):
            raise ValueError(f"unknown backoff policy {self.backoff_policy!r}")

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before retry `retry_number` (1 for the first retry)."""
        if self.backoff_policy == "exponential":
            return float(self.backoff_delay * 2**retry_number)
        return float(self.backoff_delay * retry_number)


@dataclass(frozen=True)
class Trigger:
    """A subscription of one function to the broker's events."""

    name: str
    subscriber: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    filters: Sequence[Mapping[str, Any]] = ()
    delivery: Delivery = Delivery()

    def __post_init__(self) -> None:
        trigger_filters.validate_filters(self.filters)

    def accepts(self, attributes: Mapping[str, str]) -> bool:
        return trigger_filters.matches(attributes, attributes=self.attributes, filters=self.filters)


@dataclass(frozen=True)
class DeliveryResult:
    """What a subscriber answered: HTTP status, headers and body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


Deliver = Callable[[str, dict[str, str], bytes], DeliveryResult]
"""(subscriber, binary-mode headers, body) -> result; raises OSError on network errors."""


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Wall-clock time (seconds since the epoch) and real sleeping."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class InvalidEvent(ValueError):
    """A message that is not a valid CloudEvent 1.0: ingress answers 400 with this text."""


class BrokerUnavailable(RuntimeError):
    """The broker could not store an accepted event (its transport is down): ingress says 503."""


@dataclass(frozen=True)
class Event:
    """A CloudEvent as the broker carries it: string attributes (extensions included) + data."""

    attributes: Mapping[str, str]
    data: bytes = b""

    @property
    def id(self) -> str:
        return self.attributes["id"]

    @property
    def partitionkey(self) -> str | None:
        return self.attributes.get("partitionkey")

    def with_attributes(self, **changes: str) -> Event:
        return replace(self, attributes={**self.attributes, **changes})

    def without(self, names: Iterable[str]) -> Event:
        dropped = set(names)
        kept = {k: v for k, v in self.attributes.items() if k not in dropped}
        return replace(self, attributes=kept)

    def to_http(self) -> tuple[dict[str, str], bytes]:
        """HTTP binary mode: `ce-*` headers, `content-type` from `datacontenttype`."""
        headers = {
            f"ce-{name}": value
            for name, value in self.attributes.items()
            if name != "datacontenttype"
        }
        if "datacontenttype" in self.attributes:
            headers["content-type"] = self.attributes["datacontenttype"]
        return headers, self.data

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly view: the attributes plus `data` (text) or `data_base64`."""
        view: dict[str, Any] = dict(self.attributes)
        if self.data:
            try:
                view["data"] = self.data.decode()
            except UnicodeDecodeError:
                view["data_base64"] = base64.b64encode(self.data).decode()
        return view


def validate_attributes(attributes: Mapping[str, str]) -> None:
    """Raise InvalidEvent unless the attributes make a valid CloudEvent 1.0."""
    for name in REQUIRED_ATTRIBUTES:
        if not attributes.get(name):
            raise InvalidEvent(f"missing required CloudEvent attribute {name!r}")
    if attributes["specversion"] != "1.0":
        raise InvalidEvent(f"unsupported specversion {attributes['specversion']!r}")
    for name in attributes:
        if not _ATTRIBUTE_NAME.fullmatch(name):
            raise InvalidEvent(f"invalid attribute name {name!r} (lower-case a-z, 0-9 only)")
    if "time" in attributes:
        try:
            datetime.fromisoformat(attributes["time"])
        except ValueError:
            raise InvalidEvent(f"time is not RFC 3339: {attributes['time']!r}") from None


def parse_http(headers: Mapping[str, str], body: bytes) -> Event:
    """A CloudEvent from an HTTP message in binary or structured mode (validated)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    content_type = lowered.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == BATCH_CONTENT_TYPE:
        raise InvalidEvent("batched CloudEvents are not accepted")
    if media_type == STRUCTURED_CONTENT_TYPE:
        event = _parse_structured(body)
    else:
        attributes = {k[3:]: v for k, v in lowered.items() if k.startswith("ce-") and len(k) > 3}
        if content_type:
            attributes["datacontenttype"] = content_type
        event = Event(attributes, bytes(body))
    validate_attributes(event.attributes)
    return event


def is_cloudevent_response(headers: Mapping[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    media_type = lowered.get("content-type", "").split(";")[0].strip().lower()
    return "ce-specversion" in lowered or media_type == STRUCTURED_CONTENT_TYPE


def from_cloudevent(event: AnyCloudEvent) -> Event:
    """The broker's view of an SDK CloudEvent (validated); data is marshalled as binary mode."""
    headers, body = to_binary(event, _marshal_data)
    return parse_http(headers, body if isinstance(body, bytes) else str(body).encode())


def rfc3339(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat().replace("+00:00", "Z")


def error_data(body: bytes) -> str:
    """`knativeerrordata`: base64 of the response body, cut to 1024 characters."""
    return base64.b64encode(body[: ERROR_DATA_MAX_LENGTH // 4 * 3]).decode()


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


def _marshal_data(data: Any) -> bytes:
    if data is None:
        return b""
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    if isinstance(data, str):
        return data.encode()
    return json.dumps(data, separators=(",", ":")).encode()


def _parse_structured(body: bytes) -> Event:
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"structured CloudEvent is not JSON: {exc}") from None
    if not isinstance(envelope, dict):
        raise InvalidEvent("structured CloudEvent must be a JSON object")
    attributes = {
        name: _attribute_text(value)
        for name, value in envelope.items()
        if name not in ("data", "data_base64") and value is not None
    }
    if "data_base64" in envelope:
        try:
            data = base64.b64decode(envelope["data_base64"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise InvalidEvent("data_base64 is not valid base64") from None
    elif "data" in envelope:
        data = _structured_data(envelope["data"], attributes.get("datacontenttype", ""))
    else:
        data = b""
    return Event(attributes, data)


def _structured_data(value: Any, content_type: str) -> bytes:
    is_json = not content_type or "json" in content_type.split(";")[0]
    if isinstance(value, str) and not is_json:
        return value.encode()
    return json.dumps(value, separators=(",", ":")).encode()


def _attribute_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Settlement:
    """Calls `done` once every delivery spawned by one accepted event has finished."""

    def __init__(self, done: Callable[[], None] | None) -> None:
        self.remaining = 0
        self.done = done


@dataclass(eq=False)
class _DeadLetter:
    event: Event  # as sent to the sink, knativeerror* included
    trigger: Trigger
    view: dict[str, Any]  # what dead_letters() shows


@dataclass(eq=False)
class _Task:
    event: Event
    trigger: Trigger
    target: str
    row: dict[str, Any]  # the delivery row shown by recent_events()
    settlement: _Settlement
    lane: tuple[str, str] | None = None
    dead_letter: _DeadLetter | None = None  # set when this task carries a dead letter
    attempts: int = 0


class Broker:
    """In-memory broker: ingress, Trigger filters, retries, dead letters, replies, ordering."""

    def __init__(
        self,
        triggers: Sequence[Trigger],
        deliver: Deliver,
        *,
        dead_letter_sink: str | None = "ops-dead-letters",
        clock: Clock | None = None,
        workers: int = 4,
        recent: int = 200,
    ) -> None:
        if workers < 1:
            raise ValueError("a broker needs at least one worker")
        self._triggers: tuple[Trigger, ...] = tuple(triggers)
        self._deliver = deliver
        self._dead_letter_sink = dead_letter_sink
        self._clock: Clock = clock or SystemClock()
        self._worker_count = workers
        self._cv = threading.Condition()
        self._ready: deque[_Task] = deque()
        self._delayed: list[tuple[float, int, _Task]] = []
        self._sequence = itertools.count()
        self._lanes: dict[tuple[str, str], deque[_Task]] = {}
        self._outstanding = 0
        self._recent: deque[dict[str, Any]] = deque(maxlen=recent)
        self._dead_letters: deque[_DeadLetter] = deque(maxlen=_DEAD_LETTERS_KEPT)
        self._threads: list[threading.Thread] = []
        self._stopping = False

    # -- public API -------------------------------------------------------------------------

    def ingress(self, headers: Mapping[str, str], body: bytes) -> tuple[int, str]:
        """The broker's HTTP endpoint: (status, message) for a POSTed CloudEvent."""
        try:
            event = parse_http(headers, body)
        except InvalidEvent as exc:
            return 400, str(exc)
        try:
            self._ingest(event)
        except BrokerUnavailable as exc:
            return 503, str(exc)
        return 202, "accepted"

    def publish(self, event: AnyCloudEvent) -> None:
        """In-process producers; raises InvalidEvent like ingress would answer 400."""
        self._ingest(from_cloudevent(event))

    def start(self) -> None:
        with self._cv:
            if self._threads:
                return
            self._stopping = False
            self._threads = [
                threading.Thread(target=self._work, name=f"broker-worker-{i}", daemon=True)
                for i in range(self._worker_count)
            ]
            self._threads.append(
                threading.Thread(target=self._time_retries, name="broker-timer", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the threads once their current attempts end. Queued and delayed deliveries stay
        in memory (a later start() resumes them); only a new process loses them."""
        with self._cv:
            self._stopping = True
            self._cv.notify_all()
            threads, self._threads = self._threads, []
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("broker thread %s still delivering at stop", thread.name)

    def drain(self, timeout: float) -> bool:
        """Wait (real seconds) until nothing is queued, waiting for a retry, or in flight."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._outstanding or self._transport_backlog():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cv.wait(min(remaining, 0.05))
        return True

    def recent_events(self) -> list[dict[str, Any]]:
        """Newest first: id, type, source, subject, time, knativearrivaltime, deliveries."""
        with self._cv:
            return copy.deepcopy(list(reversed(self._recent)))

    def dead_letters(self) -> list[dict[str, Any]]:
        """Oldest first: the event as sent to the sink (knativeerror* included) and why."""
        with self._cv:
            return [copy.deepcopy(letter.view) for letter in self._dead_letters]

    def replay(self, event_id: str) -> bool:
        """Send dead-lettered events with this id again, to the Trigger that failed them."""
        with self._cv:
            letters = [d for d in self._dead_letters if d.event.id == event_id]
            for letter in letters:
                self._dead_letters.remove(letter)
            current = {t.name: t for t in self._triggers}
        for letter in letters:
            trigger = current.get(letter.trigger.name, letter.trigger)
            self._dispatch(letter.event.without(ERROR_EXTENSIONS), only=[trigger])
        return bool(letters)

    def set_triggers(self, triggers: Sequence[Trigger]) -> None:
        with self._cv:
            self._triggers = tuple(triggers)

    @property
    def triggers(self) -> tuple[Trigger, ...]:
        return self._triggers

    # -- accepting events ---------------------------------------------------------------------

    def _ingest(self, event: Event) -> None:
        self._accept(event.with_attributes(knativearrivaltime=rfc3339(self._clock.now())))

    def _accept(self, event: Event) -> None:
        """Store an ingested event; the Kafka bus overrides this to produce it instead."""
        self._dispatch(event)

    def _transport_backlog(self) -> int:
        """Events accepted but not yet handed to `_dispatch` (none in memory)."""
        return 0

    def _dispatch(
        self,
        event: Event,
        *,
        on_settled: Callable[[], None] | None = None,
        only: Sequence[Trigger] | None = None,
    ) -> None:
        """Fan an event out to the Triggers that accept it; `on_settled` runs when all are done."""
        settlement = _Settlement(on_settled)
        with self._cv:
            candidates = self._triggers if only is None else tuple(only)
            matching = [t for t in candidates if t.accepts(event.attributes)]
            record = self._record(event)
            for trigger in matching:
                row = {
                    "trigger": trigger.name,
                    "subscriber": trigger.subscriber,
                    "status": "pending",
                    "attempts": 0,
                    "code": None,
                }
                record["deliveries"].append(row)
                key = event.partitionkey
                lane = (trigger.name, key) if key is not None else None
                self._submit(_Task(event, trigger, trigger.subscriber, row, settlement, lane))
        if not matching and on_settled is not None:
            on_settled()

    def _record(self, event: Event) -> dict[str, Any]:
        attributes = event.attributes
        record: dict[str, Any] = {
            name: attributes.get(name)
            for name in (
                "id",
                "type",
                "source",
                "subject",
                "time",
                "knativearrivaltime",
                "traceparent",
            )
        }
        record["deliveries"] = []
        self._recent.append(record)
        return record

    # -- scheduling (callers hold self._cv) ----------------------------------------------------

    def _submit(self, task: _Task) -> None:
        task.settlement.remaining += 1
        self._outstanding += 1
        if task.lane is not None:
            if task.lane in self._lanes:
                self._lanes[task.lane].append(task)
                return
            self._lanes[task.lane] = deque()
        self._ready.append(task)
        self._cv.notify_all()

    def _retry_later(self, task: _Task, delay: float) -> None:
        due = self._clock.now() + delay
        heapq.heappush(self._delayed, (due, next(self._sequence), task))
        self._cv.notify_all()

    def _finish(self, task: _Task, status: str) -> Callable[[], None] | None:
        """Mark a task done, free its lane; returns the settlement callback if it is due."""
        task.row["status"] = status
        if task.lane is not None:
            waiting = self._lanes[task.lane]
            if waiting:
                self._ready.append(waiting.popleft())
            else:
                del self._lanes[task.lane]
        self._outstanding -= 1
        task.settlement.remaining -= 1
        self._cv.notify_all()
        return task.settlement.done if task.settlement.remaining == 0 else None

    # -- threads -------------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._cv:
                while not self._ready and not self._stopping:
                    self._cv.wait()
                if self._stopping:
                    return
                task = self._ready.popleft()
            try:
                self._attempt(task)
            except Exception:  # a bug here must not kill the worker and wedge the lane
                log.exception("broker: delivery of %s to %s crashed", task.event.id, task.target)
                self._settle(task, "failed")

    def _time_retries(self) -> None:
        while True:
            with self._cv:
                while not self._delayed and not self._stopping:
                    self._cv.wait()
                if self._stopping:
                    return
                due = self._delayed[0][0]
                remaining = due - self._clock.now()
                if remaining <= _DUE_EPSILON:
                    _, _, task = heapq.heappop(self._delayed)
                    self._ready.append(task)
                    self._cv.notify_all()
                    continue
            self._clock.sleep(min(remaining, _TIMER_TICK))

    # -- one delivery attempt -----------------------------------------------------------------

    def _attempt(self, task: _Task) -> None:
        headers, body = task.event.to_http()
        if task.dead_letter is None:
            headers["prefer"] = "reply"
        with self._cv:
            task.attempts += 1
            task.row["attempts"] = task.attempts
        code: int | None
        try:
            result = self._deliver(task.target, headers, body)
            code, answer, response_body = result.status, dict(result.headers), result.body
        except Exception as exc:  # network errors (OSError) and anything else are retried
            code, answer, response_body = None, {}, f"dispatch error: {exc}".encode()
        with self._cv:
            task.row["code"] = code
        event_type = task.event.attributes["type"]
        if code is not None and 200 <= code < 300:
            metrics.record_delivery(task.target, event_type, "delivered")
            if task.dead_letter is None and is_cloudevent_response(answer):
                self._reply(task, answer, response_body)
            self._settle(task, "delivered")
            return
        retryable = code is None or code >= 500 or code in RETRYABLE_STATUSES
        delivery = task.trigger.delivery
        if retryable and task.attempts <= delivery.retry:
            delay = delivery.backoff(task.attempts)
            if code in RETRY_AFTER_STATUSES:
                asked = retry_after_seconds(_header(answer, "retry-after"), self._clock.now())
                if asked is not None:
                    delay = max(delay, min(asked, delivery.retry_after_max))
            metrics.record_delivery(task.target, event_type, "retry")
            with self._cv:
                task.row["status"] = "retrying"
                self._retry_later(task, delay)
            return
        reason = _failure_reason(code, response_body, task.attempts, retryable)
        to_sink = task.dead_letter is None and self._dead_letter_sink is not None
        metrics.record_delivery(task.target, event_type, "dead-lettered" if to_sink else "failed")
        self._give_up(task, code, response_body, reason)

    def _reply(self, task: _Task, headers: Mapping[str, str], body: bytes) -> None:
        try:
            self._ingest(parse_http(headers, body))
        except InvalidEvent as exc:
            log.warning("broker: invalid reply from %s dropped: %s", task.target, exc)
        except BrokerUnavailable as exc:
            log.error("broker: reply from %s lost: %s", task.target, exc)

    def _give_up(self, task: _Task, code: int | None, body: bytes, reason: str) -> None:
        if task.dead_letter is not None:
            log.error("broker: dead-letter sink refused %s: %s", task.event.id, reason)
            with self._cv:
                task.dead_letter.view["sink_status"] = "failed"
            self._settle(task, "failed")
            return
        failed = task.event.with_attributes(
            knativeerrordest=task.target,
            knativeerrorcode=str(code if code is not None else NETWORK_ERROR_CODE),
            knativeerrordata=error_data(body),
        )
        sink = self._dead_letter_sink
        view = {
            "event": failed.to_dict(),
            "reason": reason,
            "trigger": task.trigger.name,
            "subscriber": task.target,
            "code": code,
            "attempts": task.attempts,
            "sink": sink,
            "sink_status": "pending" if sink else "none",
        }
        letter = _DeadLetter(failed, task.trigger, view)
        log.warning("broker: %s for %s -> dead letter (%s)", task.event.id, task.target, reason)
        with self._cv:
            self._dead_letters.append(letter)
            if sink is not None:
                row = {"trigger": task.trigger.name, "subscriber": sink, "status": "pending"}
                self._submit(
                    _Task(failed, task.trigger, sink, row, task.settlement, dead_letter=letter)
                )
        self._settle(task, "dead-lettered" if sink else "failed")

    def _settle(self, task: _Task, status: str) -> None:
        with self._cv:
            if task.dead_letter is not None and status == "delivered":
                task.dead_letter.view["sink_status"] = "delivered"
            done = self._finish(task, status)
        if done is not None:
            done()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _failure_reason(code: int | None, body: bytes, attempts: int, retryable: bool) -> str:
    what = f"HTTP {code}" if code is not None else body.decode(errors="replace")
    if retryable:
        return f"{what} after {attempts} attempt(s)"
    return f"{what} (not retryable)"
