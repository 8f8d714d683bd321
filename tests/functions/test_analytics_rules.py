"""Analytics' pure rules: time buckets, ranges, what each event counts (no servers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from cassandra import Unavailable, WriteTimeout
from cassandra.cluster import NoHostAvailable

from functions.analytics.buckets import EARLIEST, days_in, effective_range, hour_of, hours_in
from functions.analytics.facts import cents, facts_of
from functions.analytics.ranges import RangeQuery
from functions.analytics.schema import TABLES, tables_ddl
from functions.analytics.store import surely_not_written

D = datetime(2026, 11, 23, tzinfo=UTC)


def test_hours_are_utc_buckets() -> None:
    plus3 = timezone(timedelta(hours=3))
    assert hour_of(datetime(2026, 11, 23, 2, 59, 59, tzinfo=plus3)) == datetime(
        2026, 11, 22, 23, tzinfo=UTC
    )
    assert hour_of(datetime(2026, 11, 23, 10, 0)) == D.replace(hour=10)  # naive = UTC


def test_a_range_touches_the_days_and_hours_it_crosses() -> None:
    start, end = D.replace(hour=22, minute=30), D + timedelta(days=1, hours=1)
    assert days_in(start, end) == [date(2026, 11, 23), date(2026, 11, 24)]
    assert hours_in(start, end) == [D.replace(hour=22), D.replace(hour=23), D + timedelta(days=1)]
    # `to` is exclusive: a range ending at midnight does not touch the next day.
    assert days_in(D, D + timedelta(days=1)) == [date(2026, 11, 23)]


def test_any_two_instants_make_a_range() -> None:
    assert effective_range(D.replace(minute=20), D.replace(hour=2)) == (D, D.replace(hour=2))
    # Reversed or empty: nothing is read, and the answer says so.
    assert effective_range(D.replace(hour=5), D) == (D, D)
    assert days_in(D, D) == [] and hours_in(D, D) == []
    # Too long: the last 31 days are kept.
    assert effective_range(D, D + timedelta(days=40)) == (D + timedelta(days=9), D + timedelta(40))
    assert effective_range(EARLIEST, EARLIEST + timedelta(hours=1))[0] == EARLIEST


@pytest.mark.parametrize("text", ["0.5", "1700000000", "2026-11-23", "yesterday"])
def test_a_range_bound_must_be_a_date_time(text: str) -> None:
    with pytest.raises(ValueError):
        RangeQuery.model_validate({"from": text})


def test_a_range_bound_may_carry_any_offset_or_none() -> None:
    bounds = {"from": "2026-11-23T12:30:00+02:00", "to": "2026-11-24t00:00"}
    query = RangeQuery.model_validate(bounds)
    assert query.bounds() == (D.replace(hour=10), D + timedelta(days=1))


def test_each_event_counts_for_its_type_and_sales_count_money_in_cents() -> None:
    confirmed = facts_of(
        "shop.order.confirmed.v1",
        {
            "items": [
                {"productId": "p1", "name": "Shoe", "quantity": 2, "unitPrice": 19.99},
                {"productId": "p2", "name": "Sock", "quantity": 1, "unitPrice": 0.1},
            ],
            "total": 40.08,
        },
        D.replace(hour=9, minute=41),
    )
    assert (confirmed.orders, confirmed.items, confirmed.revenue_cents) == (1, 3, 4008)
    assert [(p.product_id, p.quantity, p.revenue_cents) for p in confirmed.products] == [
        ("p1", 2, 3998),
        ("p2", 1, 10),
    ]
    assert confirmed.hour == D.replace(hour=9)
    refund = facts_of("shop.payment.refunded.v1", {"amount": 5.5}, D)
    assert (refund.refunds, refund.refund_cents, refund.is_sale) == (1, 550, True)
    other = facts_of("shop.product.created.v1", {}, D)
    assert (other.users, other.orders, other.is_sale, other.products) == (0, 0, False, ())
    assert facts_of("shop.user.registered.v1", {}, D).users == 1
    assert cents(0.29) == 29  # 0.29 * 100 is 28.999... in floating point


def test_only_proven_failures_release_a_claim() -> None:
    unavailable = Unavailable("no replicas", consistency=6, required_replicas=1, alive_replicas=0)
    assert surely_not_written(unavailable)
    assert surely_not_written(NoHostAvailable("down", {"127.0.0.1": ConnectionRefusedError()}))
    assert not surely_not_written(WriteTimeout("timed out", write_type=2))
    assert not surely_not_written(
        NoHostAvailable(
            "mixed", {"a": ConnectionRefusedError(), "b": WriteTimeout("t", write_type=2)}
        )
    )


def test_the_schema_creates_every_table_the_store_checks_for() -> None:
    created = [ddl.split(".", 1)[1].split(" ", 1)[0] for ddl in tables_ddl("ks")]
    assert tuple(created) == TABLES


def test_the_analytics_trigger_takes_every_shop_event_and_nothing_else() -> None:
    from shopfn import registry
    from shopfn.emulator.gateway import triggers_for

    spec = registry.get("analytics-record")
    [trigger] = triggers_for({spec.name: spec})
    assert trigger.filters == [{"prefix": {"type": "shop."}}]
    assert trigger.accepts({"type": "shop.order.confirmed.v1", "source": "/s", "id": "1"})
    assert trigger.accepts({"type": "shop.anything.new.v7", "source": "/s", "id": "2"})
    assert not trigger.accepts({"type": "dev.knative.sources.ping", "source": "/s", "id": "3"})
    assert not trigger.accepts({"type": "shopping.v1", "source": "/s", "id": "4"})
