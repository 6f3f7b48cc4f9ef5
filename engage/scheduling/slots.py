"""Rank meeting slots by how many people are inside their working hours. Pure: no database.

Every candidate is an interval in UTC; each person's local start and end are computed separately
with their zone's rules for that instant, so a slot that spans a daylight-saving change shows the
real wall-clock times on either side (a 1-hour slot in Rome on the last Sunday of March runs
01:30–03:30 local). A slot counts for a person only if it starts and ends on the same local day,
on one of their working days, within their working hours.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_STEP = timedelta(minutes=30)
MAX_RANGE_DAYS = 31
MAX_DURATION = timedelta(hours=8)


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9, 0)
    end: time = time(18, 0)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))  # Monday = 0

    def contains(self, local_start: datetime, local_end: datetime) -> bool:
        return (
            local_start.date() == local_end.date()
            and local_start.weekday() in self.weekdays
            and self.start <= local_start.time()
            and local_end.time() <= self.end
        )


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    zone: str
    hours: WorkingHours = field(default_factory=WorkingHours)


@dataclass(frozen=True)
class LocalTime:
    person: Person
    starts_at: datetime
    ends_at: datetime
    is_within_hours: bool


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    available: int
    total: int
    local_times: list[LocalTime]


def day_range(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last` (inclusive), as read in `zone`, in UTC-aware times."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_times(people: list[Person], starts_at: datetime, ends_at: datetime) -> list[LocalTime]:
    result = []
    for person in people:
        tz = ZoneInfo(person.zone)
        local_start, local_end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        result.append(LocalTime(person, local_start, local_end, person.hours.contains(local_start, local_end)))
    return result


def rank_slots(
    people: list[Person],
    range_start: datetime,
    range_end: datetime,
    duration: timedelta,
    *,
    step: timedelta = DEFAULT_STEP,
    limit: int = 20,
) -> list[Slot]:
    """The best `limit` slots: most people inside working hours first, then the earliest.

    Slots nobody can attend in working hours are left out. People sharing a zone and working hours
    are counted together, so the cost grows with the number of zones, not of people.
    """
    groups: dict[tuple[str, WorkingHours], int] = defaultdict(int)
    for person in people:
        groups[(person.zone, person.hours)] += 1
    zones = [(ZoneInfo(zone), hours, n) for (zone, hours), n in groups.items()]
    scored = []
    start = range_start
    while start + duration <= range_end:
        end = start + duration
        available = sum(n for tz, hours, n in zones if hours.contains(start.astimezone(tz), end.astimezone(tz)))
        if available:
            scored.append((-available, start))
        start += step
    best = heapq.nsmallest(limit, scored)
    return [
        Slot(start, start + duration, -negative, len(people), local_times(people, start, start + duration))
        for negative, start in best
    ]
