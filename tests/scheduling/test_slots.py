"""The slot finder's pure core, on the European DST change dates (Shanghai has none)."""

from datetime import UTC, date, datetime, time, timedelta

from engage.scheduling.slots import Person, WorkingHours, day_range, local_times, rank_slots

ROME = Person(1, "Chiara", "Europe/Rome")
SHANGHAI = Person(2, "Huang", "Asia/Shanghai")
HOUR = timedelta(hours=1)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def _local(person, start):
    return next(lt for lt in local_times([person], start, start + HOUR))


def test_rome_is_utc_plus_one_before_and_plus_two_after_the_march_change():
    friday, monday = utc(2027, 3, 26, 7), utc(2027, 3, 29, 7)
    assert _local(ROME, friday).starts_at.isoformat() == "2027-03-26T08:00:00+01:00"
    assert not _local(ROME, friday).is_within_hours
    assert _local(ROME, monday).starts_at.isoformat() == "2027-03-29T09:00:00+02:00"
    assert _local(ROME, monday).is_within_hours
    for moment in (friday, monday):
        assert _local(SHANGHAI, moment).starts_at.time() == time(15, 0)
        assert _local(SHANGHAI, moment).starts_at.utcoffset() == timedelta(hours=8)


def test_rome_goes_back_to_utc_plus_one_after_the_october_change():
    friday, monday = utc(2027, 10, 29, 7), utc(2027, 11, 1, 7)
    assert _local(ROME, friday).starts_at.isoformat() == "2027-10-29T09:00:00+02:00"
    assert _local(ROME, friday).is_within_hours
    assert _local(ROME, monday).starts_at.isoformat() == "2027-11-01T08:00:00+01:00"
    assert not _local(ROME, monday).is_within_hours
    assert _local(SHANGHAI, monday).starts_at.isoformat() == "2027-11-01T15:00:00+08:00"


def test_a_one_hour_slot_across_the_march_change_spans_two_wall_clock_hours_in_rome():
    start = utc(2027, 3, 28, 0, 30)  # 01:30 CET; at 02:00 clocks jump to 03:00 CEST
    rome = _local(ROME, start)
    assert rome.starts_at.isoformat() == "2027-03-28T01:30:00+01:00"
    assert rome.ends_at.isoformat() == "2027-03-28T03:30:00+02:00"
    # Python subtracts same-zone times by wall clock (2 h); the real duration is one hour.
    assert rome.ends_at.astimezone(UTC) - rome.starts_at.astimezone(UTC) == HOUR
    shanghai = _local(SHANGHAI, start)
    assert (shanghai.starts_at.isoformat(), shanghai.ends_at.isoformat()) == (
        "2027-03-28T08:30:00+08:00",
        "2027-03-28T09:30:00+08:00",
    )


def test_a_one_hour_slot_across_the_october_change_shows_the_same_wall_clock_in_rome():
    start = utc(2027, 10, 31, 0, 30)  # 02:30 CEST; at 03:00 clocks go back to 02:00 CET
    rome = _local(ROME, start)
    assert rome.starts_at.isoformat() == "2027-10-31T02:30:00+02:00"
    assert rome.ends_at.isoformat() == "2027-10-31T02:30:00+01:00"


def test_the_shared_window_widens_after_the_march_change():
    start, end = day_range(date(2027, 3, 26), date(2027, 3, 29), "UTC")
    slots = rank_slots([ROME, SHANGHAI], start, end, HOUR, limit=100)
    both = [s.starts_at for s in slots if s.available == 2]
    friday = [utc(2027, 3, 26, 8), utc(2027, 3, 26, 8, 30), utc(2027, 3, 26, 9)]
    monday = [utc(2027, 3, 29, 7) + timedelta(minutes=30 * i) for i in range(5)]
    assert both == friday + monday
    assert slots[0].starts_at == utc(2027, 3, 26, 8)
    assert all(s.starts_at.weekday() < 5 for s in slots)  # nobody works the weekend
    assert [s.available for s in slots] == sorted((s.available for s in slots), reverse=True)


def test_the_shared_window_narrows_after_the_october_change():
    start, end = day_range(date(2027, 10, 29), date(2027, 11, 1), "UTC")
    both = [s.starts_at for s in rank_slots([ROME, SHANGHAI], start, end, HOUR, limit=100) if s.available == 2]
    assert both == [utc(2027, 10, 29, 7) + timedelta(minutes=30 * i) for i in range(5)] + [
        utc(2027, 11, 1, 8),
        utc(2027, 11, 1, 8, 30),
        utc(2027, 11, 1, 9),
    ]


def test_ties_go_to_the_earliest_and_every_slot_shows_every_person():
    start, end = day_range(date(2027, 3, 29), date(2027, 3, 29), "Europe/Rome")
    slots = rank_slots([ROME, ROME, SHANGHAI], start, end, 2 * HOUR, limit=3)
    assert [s.available for s in slots] == [3, 3, 3]
    assert slots[0].starts_at == utc(2027, 3, 29, 7)
    assert slots == sorted(slots, key=lambda s: s.starts_at)
    assert [lt.person.zone for lt in slots[0].local_times] == ["Europe/Rome", "Europe/Rome", "Asia/Shanghai"]
    assert slots[0].total == 3


def test_working_hours_bounds_are_inclusive_of_nine_and_eighteen():
    hours = WorkingHours()
    monday = datetime(2027, 3, 29, 9, 0)
    assert hours.contains(monday, monday + HOUR)
    assert hours.contains(monday.replace(hour=17), monday.replace(hour=18))
    assert not hours.contains(monday.replace(hour=17, minute=30), monday.replace(hour=18, minute=30))
    assert not hours.contains(monday.replace(hour=8, minute=30), monday.replace(hour=9, minute=30))
    saturday = datetime(2027, 3, 27, 10)
    assert not hours.contains(saturday, saturday + HOUR)


def test_day_range_reads_dates_in_the_given_zone():
    start, end = day_range(date(2027, 3, 28), date(2027, 3, 28), "Europe/Rome")
    assert (start, end) == (utc(2027, 3, 27, 23), utc(2027, 3, 28, 22))  # a 23-hour day


def test_nobody_in_working_hours_gives_no_slots():
    start, end = day_range(date(2027, 3, 27), date(2027, 3, 28), "UTC")  # a weekend
    assert rank_slots([ROME, SHANGHAI], start, end, HOUR) == []
