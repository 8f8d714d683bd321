"""The tracing API callers rely on (current, current_trace_id, enter, leave, parse, child_of)."""

from __future__ import annotations

from opentelemetry.trace import SpanKind

from shopfn import tracing

VALID = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_parse_accepts_only_valid_traceparents() -> None:
    assert tracing.parse(VALID) == ("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "01")
    assert tracing.parse(VALID.upper()) is not None
    for bad in ("", "garbage", "00-" + "0" * 32 + "-b7ad6b7169203331-01", VALID[:-1]):
        assert tracing.parse(bad) is None


def test_child_of_keeps_the_trace_and_makes_a_new_span() -> None:
    child = tracing.parse(tracing.child_of(VALID))
    assert child is not None and child[0] == VALID.split("-")[1]
    assert child[1] != VALID.split("-")[2]
    fresh = tracing.parse(tracing.child_of("nonsense"))
    assert fresh is not None and fresh[0] != VALID.split("-")[1]


def test_enter_and_leave_nest_and_restore() -> None:
    assert tracing.current() == "" and tracing.current_trace_id() == ""
    outer = tracing.enter(VALID, "outer")
    outer_tp = tracing.current()
    assert tracing.current_trace_id() == VALID.split("-")[1]
    inner = tracing.enter(outer_tp, "inner", kind=SpanKind.CONSUMER)
    inner_tp = tracing.parse(tracing.current())
    assert inner_tp is not None and inner_tp[0] == VALID.split("-")[1]
    tracing.leave(inner, error="it failed")
    assert tracing.current() == outer_tp
    tracing.leave(outer)
    assert tracing.current() == ""
    trace = tracing.find_trace(VALID.split("-")[1])
    assert trace is not None
    by_name = {s["name"]: s for s in trace["spans"]}
    assert by_name["inner"]["parent_id"] == by_name["outer"]["span_id"]
    assert by_name["outer"]["parent_id"] == VALID.split("-")[2]
    assert by_name["inner"]["error"] and not by_name["outer"]["error"]
    assert trace["root"] == "outer"


def test_without_an_incoming_trace_a_new_one_starts() -> None:
    scope = tracing.enter("", "root")
    first = tracing.current_trace_id()
    tracing.leave(scope)
    scope = tracing.enter("not-a-traceparent", "root")
    second = tracing.current_trace_id()
    with tracing.span("child", step="x"):
        assert tracing.current_trace_id() == second
    tracing.leave(scope)
    assert first and second and first != second
    trace = tracing.find_trace(second)
    assert trace is not None and {s["name"] for s in trace["spans"]} == {"root", "child"}
