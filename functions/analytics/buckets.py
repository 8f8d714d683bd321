"""Time buckets: every fact is counted in its UTC hour, and hours are partitioned by UTC day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

HOUR = timedelta(hours=1)
MAX_RANGE = timedelta(days=31)


class RangeError(ValueError):
    """A time range that is empty, reversed or longer than the store will scan."""


def utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one (as cassandra-driver returns them) is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def hour_of(moment: datetime) -> datetime:
    return utc(moment).replace(minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> date:
    return utc(moment).date()


def check_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC, start rounded down to its hour; refused when empty or too long."""
    start, end = hour_of(start), utc(end)
    if end <= start:
        raise RangeError("`to` must be after `from`")
    if end - start > MAX_RANGE:
        raise RangeError(f"a range may span at most {MAX_RANGE.days} days")
    return start, end


def days_in(start: datetime, end: datetime) -> list[date]:
    """The UTC days that [start, end) touches, oldest first."""
    first, last = day_of(start), day_of(utc(end) - timedelta(microseconds=1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def hours_in(start: datetime, end: datetime) -> list[datetime]:
    """The hour buckets that [start, end) touches, oldest first."""
    hours, hour = [], hour_of(start)
    while hour < utc(end):
        hours.append(hour)
        hour += HOUR
    return hours
