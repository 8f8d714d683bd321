"""Time buckets: every fact is counted in its UTC hour, and hours are partitioned by UTC day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

HOUR = timedelta(hours=1)
MAX_RANGE = timedelta(days=31)
EARLIEST = datetime.min.replace(tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one (as cassandra-driver returns them) is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def hour_of(moment: datetime) -> datetime:
    return utc(moment).replace(minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> date:
    return utc(moment).date()


def before(moment: datetime, span: timedelta) -> datetime:
    """`moment - span`, stopping at the earliest datetime instead of overflowing."""
    moment = utc(moment)
    return moment - span if moment - EARLIEST > span else EARLIEST


def effective_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The [start, end) a query reads, in UTC, `start` rounded down to its hour.

    Any two instants are accepted and the answer says which range it covers: a reversed range
    reads nothing ([end, end)), a range longer than MAX_RANGE keeps its last MAX_RANGE.
    """
    start, end = hour_of(start), utc(end)
    if end <= start:
        return end, end
    return max(start, hour_of(before(end, MAX_RANGE))), end


def days_in(start: datetime, end: datetime) -> list[date]:
    """The UTC days that [start, end) touches, oldest first (none for an empty range)."""
    if utc(end) <= utc(start):
        return []
    first, last = day_of(start), day_of(utc(end) - timedelta(microseconds=1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def hours_in(start: datetime, end: datetime) -> list[datetime]:
    """The hour buckets that [start, end) touches, oldest first."""
    hours, hour = [], hour_of(start)
    while hour < utc(end):
        hours.append(hour)
        hour += HOUR
    return hours
