"""The .ics download of one workshop: RFC 5545 output that two independent parsers read alike."""

import re
from datetime import UTC, datetime, timedelta

import ics
import pytest
from icalendar import Calendar

from engage.workshops.services import cancel_workshop, update_workshop

# 08:00 UTC on a summer day is 10:00 in Rome (CEST, +02:00) and 16:00 in Shanghai (CST, +08:00).
SUMMER_START = datetime(2027, 7, 1, 8, 0, tzinfo=UTC)
# 09:00 UTC on a winter day is 10:00 in Rome (CET, +01:00).
WINTER_START = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


def download(client, workshop) -> bytes:
    response = client.get(f"/workshops/{workshop.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response.data


def only_event(body: bytes):
    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def second_parser_event(body: bytes) -> ics.Event:
    events = list(ics.Calendar(body.decode("utf-8")).events)
    assert len(events) == 1
    return events[0]


def vtimezone_offset(body: bytes, zone: str, wall_clock: datetime) -> timedelta:
    """The UTC offset the calendar's own VTIMEZONE gives a wall-clock time (not the system's zone data)."""
    timezones = {str(tz["TZID"]): tz for tz in Calendar.from_ical(body).walk("VTIMEZONE")}
    assert set(timezones) == {zone}
    return wall_clock.replace(tzinfo=timezones[zone].to_tz(lookup_tzid=False)).utcoffset()


def sequence_of(body: bytes) -> int:
    return int(only_event(body)["SEQUENCE"])


def test_workshop_ics_is_a_calendar_both_parsers_read(client, create_workshop):
    workshop = create_workshop(title="Data exchange", starts_at=SUMMER_START, ends_at=SUMMER_START + timedelta(hours=3))
    body = download(client, workshop)

    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    event = only_event(body)
    assert str(event["SUMMARY"]) == "Data exchange"

    other = second_parser_event(body)
    assert other.name == "Data exchange"
    assert other.uid == str(event["UID"])
    assert other.begin.datetime.astimezone(UTC) == SUMMER_START
    assert other.end.datetime.astimezone(UTC) == SUMMER_START + timedelta(hours=3)


def test_unknown_workshop_ics_is_404(client, db):
    assert client.get("/workshops/999999.ics").status_code == 404


@pytest.mark.parametrize(
    ("zone", "starts_at", "wall_clock", "utc_offset"),
    [
        ("Europe/Rome", SUMMER_START, "20270701T100000", timedelta(hours=2)),
        ("Europe/Rome", WINTER_START, "20270115T100000", timedelta(hours=1)),
        ("Asia/Shanghai", SUMMER_START, "20270701T160000", timedelta(hours=8)),
    ],
)
def test_dtstart_is_wall_clock_in_the_workshop_zone_and_the_stored_instant(
    client, db, create_workshop, zone, starts_at, wall_clock, utc_offset
):
    workshop = create_workshop(timezone=zone, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    db.session.expire_all()
    stored_start = workshop.starts_at
    assert stored_start == starts_at
    body = download(client, workshop)

    # Raw line: a local time with TZID, not a floating time and not UTC.
    assert f"DTSTART;TZID={zone}:{wall_clock}\r\n".encode() in body
    event = only_event(body)
    assert event["DTSTART"].params["TZID"] == zone
    start = event.decoded("DTSTART")
    assert start.utcoffset() == utc_offset
    assert start.astimezone(UTC) == stored_start
    assert event.decoded("DTEND").astimezone(UTC) == stored_start + timedelta(hours=2)

    # The calendar carries a VTIMEZONE for the TZID, and it gives the same offset on that date.
    assert vtimezone_offset(body, zone, start.replace(tzinfo=None)) == utc_offset

    assert second_parser_event(body).begin.datetime.astimezone(UTC) == stored_start


def test_vtimezone_rules_cover_a_workshop_after_2038(client, create_workshop):
    starts_at = datetime(2040, 7, 2, 8, 0, tzinfo=UTC)  # 10:00 CEST in Rome
    body = download(client, create_workshop(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)))
    assert b"DTSTART;TZID=Europe/Rome:20400702T100000\r\n" in body
    assert vtimezone_offset(body, "Europe/Rome", datetime(2040, 7, 2, 10, 0)) == timedelta(hours=2)


def test_dtstamp_is_in_utc(client, create_workshop):
    body = download(client, create_workshop())
    assert re.search(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", body)
    assert only_event(body).decoded("DTSTAMP").utcoffset() == timedelta(0)


def test_event_has_a_display_reminder_before_the_start(client, create_workshop):
    body = download(client, create_workshop())
    alarms = only_event(body).walk("VALARM")
    assert len(alarms) == 1
    alarm = alarms[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"])  # RFC 5545 requires a DESCRIPTION on a DISPLAY alarm
    trigger = alarm.decoded("TRIGGER")
    assert isinstance(trigger, timedelta) and trigger < timedelta(0)

    other_alarms = list(second_parser_event(body).alarms)
    assert len(other_alarms) == 1 and other_alarms[0].trigger < timedelta(0)


def test_uid_is_stable_across_downloads_and_reschedule_and_unique_per_workshop(
    client, db, create_workshop, working_group, lead
):
    workshop = create_workshop(working_group=working_group, starts_at=SUMMER_START)
    other = create_workshop(working_group=working_group, starts_at=SUMMER_START)
    first_uid = str(only_event(download(client, workshop))["UID"])
    assert str(only_event(download(client, workshop))["UID"]) == first_uid
    assert str(only_event(download(client, other))["UID"]) != first_uid

    update_workshop(
        workshop,
        actor=lead,
        data={
            "starts_at": SUMMER_START + timedelta(days=1),
            "ends_at": SUMMER_START + timedelta(days=1, hours=3),
        },
    )
    db.session.commit()
    assert str(only_event(download(client, workshop))["UID"]) == first_uid


def test_sequence_starts_at_zero_and_rises_on_reschedule_only(client, db, create_workshop, working_group, lead):
    workshop = create_workshop(
        working_group=working_group, starts_at=SUMMER_START, ends_at=SUMMER_START + timedelta(hours=3)
    )
    assert sequence_of(download(client, workshop)) == 0

    update_workshop(workshop, actor=lead, data={"title": "A better title"})
    db.session.commit()
    body = download(client, workshop)
    assert str(only_event(body)["SUMMARY"]) == "A better title"
    assert sequence_of(body) == 0

    moved = SUMMER_START + timedelta(hours=2)
    update_workshop(workshop, actor=lead, data={"starts_at": moved, "ends_at": moved + timedelta(hours=3)})
    db.session.commit()
    body = download(client, workshop)
    assert sequence_of(body) == 1
    assert only_event(body).decoded("DTSTART").astimezone(UTC) == moved
    assert b"DTSTART;TZID=Europe/Rome:20270701T120000\r\n" in body


def test_cancelled_workshop_is_status_cancelled_with_higher_sequence(client, db, create_workshop, working_group, lead):
    workshop = create_workshop(working_group=working_group)
    before = only_event(download(client, workshop))
    assert str(before["STATUS"]) == "CONFIRMED"

    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    body = download(client, workshop)
    after = only_event(body)
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["UID"]) == str(before["UID"])
    assert second_parser_event(body).status == "CANCELLED"


def test_lines_end_in_crlf_and_fold_at_75_octets(client, create_workshop):
    title = "Workshop on cross-border data exchange and privacy, " * 3
    description = "研讨会讨论数据交换与隐私保护。" * 12 + "Ça va — déjà vu. " * 10
    workshop = create_workshop(title=title.strip(), description=description)
    body = download(client, workshop)

    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    lines = body[:-2].split(b"\r\n")
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a multi-octet character
    assert any(line.startswith(b" ") for line in lines), "long content lines must be folded"
    unfolded = body.replace(b"\r\n ", b"")
    assert any(line.startswith(b"SUMMARY:") and len(line) > 75 for line in unfolded.split(b"\r\n"))

    event = only_event(body)
    assert str(event["SUMMARY"]) == title.strip()
    assert str(event["DESCRIPTION"]).startswith(description)
    other = second_parser_event(body)
    assert other.name == title.strip()
    assert other.description.startswith(description)


def test_commas_semicolons_and_newlines_are_escaped_and_round_trip(client, create_workshop):
    title = "Health, care; and data\\sharing"
    description = "First line, with a comma;\nsecond line; with a semicolon\n\nthird, after a blank line"
    venue = "Palazzo X, Via Roma 1; Floor 2"
    workshop = create_workshop(title=title, description=description, venue=venue)
    body = download(client, workshop)

    unfolded = body.replace(b"\r\n ", b"").decode("utf-8")
    assert "SUMMARY:Health\\, care\\; and data\\\\sharing\r\n" in unfolded
    assert (
        "DESCRIPTION:First line\\, with a comma\\;\\nsecond line\\; with a semicolon"
        "\\n\\nthird\\, after a blank line\r\n"
    ) in unfolded
    assert "LOCATION:Palazzo X\\, Via Roma 1\\; Floor 2\r\n" in unfolded

    event = only_event(body)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == description
    assert str(event["LOCATION"]) == venue
    other = second_parser_event(body)
    assert other.name == title
    assert other.description == description
    assert other.location == venue
