"""The time range a query covers: `from` and `to` in ISO 8601, the last 24 hours by default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from functions.analytics.buckets import RangeError, check_range
from shopfn.errors import ApiError

DEFAULT_SPAN = timedelta(hours=24)


class RangeQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: datetime | None = Field(default=None, alias="from")
    end: datetime | None = Field(default=None, alias="to")

    def bounds(self) -> tuple[datetime, datetime]:
        """[from, to) in UTC, `from` rounded down to its hour; 400 when it is not a range."""
        end = self.end or datetime.now(UTC)
        start = self.start or end - DEFAULT_SPAN
        # A bare timestamp without an offset is taken as UTC, as the buckets are.
        try:
            return check_range(start, end)
        except RangeError as error:
            raise ApiError(400, str(error), code="bad-range") from None
