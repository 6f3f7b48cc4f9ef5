"""The demo's clock: every moment is a day relative to the run date, so the same date gives the same data.

Past moments fall on earlier days and future ones on later days, never on the run date itself: whatever
the hour the seed runs, what is open, closed, past or upcoming is the same.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class DemoClock:
    today: date

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, offset: int, hour: int = 9, minute: int = 0, zone: str = "UTC") -> datetime:
        """`offset` days from the run date at a wall-clock time in `zone`, as an aware UTC datetime."""
        local = datetime.combine(self.day(offset), time(hour, minute), ZoneInfo(zone))
        return local.astimezone(UTC)

    def weekday_offset(self, offset: int) -> int:
        """The offset moved forward to the next Monday–Friday, so meetings fall on working days."""
        while self.day(offset).weekday() >= 5:
            offset += 1
        return offset
