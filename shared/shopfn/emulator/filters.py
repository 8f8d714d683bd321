"""Trigger filters of Knative Eventing, evaluated on a CloudEvent's attributes.

Two forms, as in `eventing.knative.dev/v1` Triggers:

- `filter.attributes`: every listed attribute must equal the given value (case-sensitive).
  Extensions count as attributes. An empty value matches any value, but an extension named in
  the filter must still be present on the event; a core attribute the event leaves unset (for
  example `subject`) reads as the empty string, as Knative's attributes filter does.
- `filters` (the CloudEvents Subscriptions API dialects): a list of expressions that must all be
  true. Dialects: `exact`, `prefix`, `suffix` (a mapping attribute -> non-empty string; every
  entry must hold), `all` and `any` (a list of expressions; an empty list passes, as in Knative)
  and `not` (one expression). `cesql` is not supported by the emulator: a Trigger using it is
  refused when it is loaded, never silently ignored.

When a Trigger has a non-empty `filters`, its `filter.attributes` is not used (Knative's broker
filter gives `filters` priority). The event is a mapping of attribute name to string value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Attributes = Mapping[str, str]
Expression = Mapping[str, Any]

CORE_ATTRIBUTES = frozenset(
    {"specversion", "id", "source", "type", "subject", "time", "dataschema", "datacontenttype"}
)
_STRING_DIALECTS: dict[str, Callable[[str, str], bool]] = {
    "exact": lambda value, wanted: value == wanted,
    "prefix": str.startswith,
    "suffix": str.endswith,
}


class FilterError(ValueError):
    """A filter expression that Knative would reject (or that the emulator does not support)."""


def matches_attributes(filter_attributes: Mapping[str, str], event: Attributes) -> bool:
    """`filter.attributes`: exact match on every listed attribute; "" matches any value."""
    for name, wanted in filter_attributes.items():
        value = _attribute(event, name)
        if value is None or (wanted != "" and value != wanted):
            return False
    return True


def validate_filters(filters: Sequence[Expression]) -> None:
    """Raise FilterError when an expression is malformed or uses an unsupported dialect."""
    for expression in filters:
        _check(expression)


def matches_filters(filters: Sequence[Expression], event: Attributes) -> bool:
    """The `filters` list: true when every expression holds (an empty list passes)."""
    return all(_evaluate(expression, event) for expression in filters)


def matches(
    event: Attributes,
    *,
    attributes: Mapping[str, str],
    filters: Sequence[Expression],
) -> bool:
    """Whether a Trigger with this `filter.attributes` and `filters` accepts the event."""
    if filters:
        return matches_filters(filters, event)
    return matches_attributes(attributes, event)


def _attribute(event: Attributes, name: str) -> str | None:
    if name in event:
        return str(event[name])
    return "" if name in CORE_ATTRIBUTES else None


def _dialect(expression: Expression) -> tuple[str, Any]:
    if not isinstance(expression, Mapping) or len(expression) != 1:
        raise FilterError(f"a filter expression has exactly one dialect, got {expression!r}")
    ((dialect, argument),) = expression.items()
    return str(dialect), argument


def _check(expression: Expression) -> None:
    dialect, argument = _dialect(expression)
    if dialect in _STRING_DIALECTS:
        if not isinstance(argument, Mapping) or not argument:
            raise FilterError(f"{dialect}: expects a non-empty mapping of attribute to value")
        for name, value in argument.items():
            if not name or not isinstance(value, str) or not value:
                raise FilterError(f"{dialect}: attribute and value can't be empty ({name!r})")
    elif dialect in ("all", "any"):
        if not isinstance(argument, Sequence) or isinstance(argument, str):
            raise FilterError(f"{dialect}: expects a list of filter expressions")
        for inner in argument:
            _check(inner)
    elif dialect == "not":
        _check(argument)
    elif dialect == "cesql":
        raise FilterError("cesql filters are not supported by the emulator")
    else:
        raise FilterError(f"unknown filter dialect {dialect!r}")


def _evaluate(expression: Expression, event: Attributes) -> bool:
    dialect, argument = _dialect(expression)
    compare = _STRING_DIALECTS.get(dialect)
    if compare is not None:
        for name, wanted in argument.items():
            value = _attribute(event, name)
            if value is None or not compare(value, wanted):
                return False
        return True
    if dialect == "all":
        return all(_evaluate(inner, event) for inner in argument)
    if dialect == "any":
        return not argument or any(_evaluate(inner, event) for inner in argument)
    if dialect == "not":
        return not _evaluate(argument, event)
    raise FilterError(f"unsupported filter dialect {dialect!r}")
