"""The time range a query covers: `from` and `to` in ISO 8601, the last 24 hours by default."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from functions.analytics.buckets import before, effective_range

DEFAULT_SPAN = timedelta(hours=24)
# RFC 3339 date-time (offset optional: a bare one is taken as UTC, as the buckets are). Without
# this pydantic would also read numbers ("0.5") as Unix times.
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?"
)


def _date_time_text(value: Any) -> Any:
    if isinstance(value, str) and not _DATE_TIME.fullmatch(value):
        raise ValueError("expected an ISO 8601 date-time such as 2026-11-23T10:00:00Z")
    return value


DateTime = Annotated[datetime, BeforeValidator(_date_time_text)]


class RangeQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: DateTime | None = Field(default=None, alias="from")
    end: DateTime | None = Field(default=None, alias="to")

    def bounds(self) -> tuple[datetime, datetime]:
        """The [from, to) read, in UTC (see `effective_range`); answers report it back."""
        end = self.end or datetime.now(UTC)
        return effective_range(self.start or before(end, DEFAULT_SPAN), end)
