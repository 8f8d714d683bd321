"""JSON encoding that knows the types stores hand back (datetimes, ObjectIds, decimals)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    # bson.ObjectId and anything else with a faithful text form
    return str(value)


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, separators=(",", ":"))


def to_plain(value: Any) -> Any:
    """`value` as plain JSON types (dicts, lists, strings, numbers)."""
    return json.loads(dumps(value))
