"""Trigger filters: `filter.attributes` and the `filters` dialects, as Knative evaluates them."""

from __future__ import annotations

from typing import Any

import pytest

from shopfn.emulator.broker import Delivery, Trigger
from shopfn.emulator.filters import (
    FilterError,
    matches,
    matches_attributes,
    matches_filters,
    validate_filters,
)

EVENT = {
    "specversion": "1.0",
    "id": "e-1",
    "source": "/shopfn/orders",
    "type": "shop.order.created.v1",
    "partitionkey": "order-1",
    "region": "eu",
}


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"type": "shop.order.created.v1"}, True),
        ({"type": "shop.order.created.v1", "source": "/shopfn/orders"}, True),
        ({"type": "shop.order.created.v1", "source": "/shopfn/users"}, False),
        ({"type": "shop.order.created"}, False),  # exact, not prefix
        ({"type": "SHOP.ORDER.CREATED.V1"}, False),  # case-sensitive
        ({"region": "eu"}, True),  # extensions are attributes too
        ({"region": "us"}, False),
        ({"tenant": "t-1"}, False),  # an extension the event lacks
        ({}, True),
    ],
)
def test_attributes_filter_is_an_exact_match_on_every_listed_attribute(
    attributes: dict[str, str], expected: bool
) -> None:
    assert matches_attributes(attributes, EVENT) is expected


def test_attributes_filter_empty_value_matches_any_value_of_a_present_attribute() -> None:
    assert matches_attributes({"region": ""}, EVENT)
    assert not matches_attributes({"tenant": ""}, EVENT)  # the extension must exist
    assert matches_attributes({"subject": ""}, EVENT)  # unset core attribute reads as ""
    assert not matches_attributes({"subject": "order-1"}, EVENT)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"exact": {"type": "shop.order.created.v1"}}, True),
        ({"exact": {"type": "shop.order.created"}}, False),
        ({"exact": {"region": "eu"}}, True),
        ({"exact": {"tenant": "t"}}, False),
        ({"prefix": {"type": "shop.order."}}, True),
        ({"prefix": {"type": "shop.user."}}, False),
        ({"prefix": {"region": "e"}}, True),
        ({"suffix": {"type": ".v1"}}, True),
        ({"suffix": {"type": ".v2"}}, False),
        ({"suffix": {"source": "/orders"}}, True),
        ({"all": [{"prefix": {"type": "shop."}}, {"suffix": {"type": ".v1"}}]}, True),
        ({"all": [{"prefix": {"type": "shop."}}, {"suffix": {"type": ".v2"}}]}, False),
        ({"all": []}, True),
        ({"any": [{"exact": {"type": "x"}}, {"exact": {"region": "eu"}}]}, True),
        ({"any": [{"exact": {"type": "x"}}, {"exact": {"region": "us"}}]}, False),
        ({"any": []}, True),
        ({"not": {"exact": {"region": "us"}}}, True),
        ({"not": {"prefix": {"type": "shop.order."}}}, False),
        ({"not": {"any": [{"exact": {"type": "a"}}, {"suffix": {"type": ".v1"}}]}}, False),
    ],
)
def test_filters_dialects(expression: dict[str, Any], expected: bool) -> None:
    validate_filters([expression])
    assert matches_filters([expression], EVENT) is expected


def test_filters_list_needs_every_expression_true() -> None:
    both = [{"prefix": {"type": "shop.order."}}, {"exact": {"region": "eu"}}]
    assert matches_filters(both, EVENT)
    assert not matches_filters([*both, {"exact": {"region": "us"}}], EVENT)


def test_filters_take_priority_over_attributes() -> None:
    attributes = {"type": "something.else"}
    assert matches(EVENT, attributes=attributes, filters=[{"prefix": {"type": "shop."}}])
    assert not matches(EVENT, attributes=attributes, filters=[])


@pytest.mark.parametrize(
    "expression",
    [
        {"cesql": "type = 'shop.order.created.v1'"},  # not supported by the emulator
        {"exact": {"type": ""}},
        {"prefix": {}},
        {"suffix": {"": "x"}},
        {"exact": {"type": "a"}, "prefix": {"type": "b"}},  # two dialects in one expression
        {"regex": {"type": ".*"}},
        {"all": {"exact": {"type": "a"}}},  # all needs a list
        {"not": {"cesql": "true"}},
    ],
)
def test_invalid_or_unsupported_filters_are_refused(expression: dict[str, Any]) -> None:
    with pytest.raises(FilterError):
        validate_filters([expression])


def test_trigger_with_an_unsupported_filter_is_refused_when_loaded() -> None:
    with pytest.raises(FilterError, match="cesql"):
        Trigger("t", "s", filters=[{"cesql": "type = 'x'"}])


@pytest.mark.parametrize(
    "options",
    [{"retry": -1}, {"backoff_delay": -0.1}, {"backoff_policy": "random"}],
)
def test_invalid_delivery_settings_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Delivery(**options)
