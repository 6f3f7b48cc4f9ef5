from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import Role
from engage.errors import PermissionDenied, ValidationError
from engage.workshops.models import Workshop, WorkshopStatus
from engage.workshops.services import (
    cancel_workshop,
    codebook_query,
    create_workshop,
    update_workshop,
    workshops_query,
)


def _data(working_group_id, **overrides):
    data = {
        "working_group_id": working_group_id,
        "title": "Privacy, security and trust",
        "starts_at": datetime(2027, 3, 1, 10, 0),
        "ends_at": datetime(2027, 3, 1, 13, 0),
        "timezone": "Europe/Rome",
        "venue": "Rome",
        "capacity": 20,
    }
    data.update(overrides)
    return data


def _workshop_count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Workshop))


def test_naive_times_are_wall_clock_in_the_workshop_zone(db, lead, working_group):
    workshop = create_workshop(actor=lead, data=_data(working_group.id))
    db.session.commit()
    assert workshop.starts_at == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    assert workshop.ends_at == datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    assert workshop.timezone == "Europe/Rome"


def test_times_with_an_offset_are_taken_as_given(db, lead, working_group):
    start = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    workshop = create_workshop(
        actor=lead, data=_data(working_group.id, starts_at=start, ends_at=start + timedelta(hours=2))
    )
    assert workshop.starts_at == start


def test_naive_times_follow_summer_time(db, lead, working_group):
    workshop = create_workshop(
        actor=lead,
        data=_data(working_group.id, starts_at=datetime(2027, 7, 1, 10, 0), ends_at=datetime(2027, 7, 1, 12, 0)),
    )
    assert workshop.starts_at == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)


def test_create_records_the_given_time_and_agenda_in_order(db, lead, working_group):
    now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    workshop = create_workshop(
        actor=lead,
        data=_data(working_group.id, agenda_items=[{"title": "Welcome", "duration_minutes": 10}, {"title": "Wrap-up"}]),
        now=now,
    )
    db.session.commit()
    assert workshop.created_at == now
    assert [(i.position, i.title, i.duration_minutes) for i in workshop.agenda_items] == [
        (1, "Welcome", 10),
        (2, "Wrap-up", None),
    ]


def test_a_lead_cannot_create_for_another_working_group(db, lead, create_working_group):
    other = create_working_group()
    with pytest.raises(PermissionDenied):
        create_workshop(actor=lead, data=_data(other.id))
    assert _workshop_count(db) == 0


def test_a_participant_cannot_create_workshops(db, participant, working_group):
    with pytest.raises(PermissionDenied):
        create_workshop(actor=participant, data=_data(working_group.id))


def test_a_coordinator_can_create_for_any_working_group(db, coordinator, create_working_group):
    group = create_working_group()
    workshop = create_workshop(actor=coordinator, data=_data(group.id))
    assert workshop.working_group_id == group.id


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": datetime(2027, 3, 1, 9, 0)}, "ends_at"),
        ({"ends_at": datetime(2027, 3, 1, 10, 0)}, "ends_at"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10001}, "capacity"),
        ({"venue": "", "video_url": ""}, "venue"),
        ({"venue": "", "video_url": "ftp://example.org/room"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"video_url": "https://"}, "video_url"),
        ({"title": "   "}, "title"),
        ({"registration_closes_at": datetime(2027, 3, 1, 10, 30)}, "registration_closes_at"),
        (
            {"registration_opens_at": datetime(2027, 2, 1, 9, 0), "registration_closes_at": datetime(2027, 1, 1, 9, 0)},
            "registration_closes_at",
        ),
        ({"agenda_items": [{"title": f"Item {n}"} for n in range(51)]}, "agenda_items"),
        ({"agenda_items": [{"title": "  "}]}, "agenda_items"),
        ({"working_group_id": 987654}, "working_group_id"),
        (
            {
                "starts_at": datetime(9999, 12, 31, 22, 0),
                "ends_at": datetime(9999, 12, 31, 23, 0),
                "timezone": "America/New_York",
            },
            "starts_at",
        ),
        ({"starts_at": datetime(1, 1, 1, 0, 0), "timezone": "Asia/Tokyo"}, "starts_at"),
    ],
)
def test_invalid_workshop_is_refused_with_a_field_error_and_nothing_created(db, lead, working_group, overrides, field):
    with pytest.raises(ValidationError) as exc:
        create_workshop(actor=lead, data={**_data(working_group.id), **overrides})
    assert field in exc.value.errors
    assert exc.value.status == 422
    db.session.rollback()
    assert _workshop_count(db) == 0


def test_fifty_agenda_items_are_allowed(db, lead, working_group):
    workshop = create_workshop(
        actor=lead, data=_data(working_group.id, agenda_items=[{"title": f"Item {n}"} for n in range(50)])
    )
    assert len(workshop.agenda_items) == 50


def test_video_link_alone_is_enough(db, lead, working_group):
    workshop = create_workshop(
        actor=lead, data=_data(working_group.id, venue="", video_url="https://meet.example.org/wg1")
    )
    assert workshop.video_url == "https://meet.example.org/wg1"


def test_reschedule_bumps_sequence(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    update_workshop(
        workshop,
        actor=lead,
        data={"starts_at": workshop.starts_at + timedelta(days=1), "ends_at": workshop.ends_at + timedelta(days=1)},
    )
    assert workshop.sequence == 1


@pytest.mark.parametrize(
    "change", [{"venue": "Beijing"}, {"video_url": "https://meet.example.org/x"}, {"timezone": "Asia/Shanghai"}]
)
def test_moving_the_place_or_zone_bumps_sequence(db, lead, working_group, create_workshop, change):
    workshop = create_workshop(working_group)
    update_workshop(workshop, actor=lead, data=change)
    assert workshop.sequence == 1


def test_title_only_edit_keeps_sequence(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    update_workshop(workshop, actor=lead, data={"title": "New title", "description": "More detail"})
    assert workshop.title == "New title"
    assert workshop.sequence == 0


def test_saving_the_same_times_keeps_sequence(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    update_workshop(workshop, actor=lead, data={"starts_at": workshop.starts_at, "ends_at": workshop.ends_at})
    assert workshop.sequence == 0


def test_update_replaces_the_agenda(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    update_workshop(workshop, actor=lead, data={"agenda_items": [{"title": "One"}, {"title": "Two"}]})
    update_workshop(workshop, actor=lead, data={"agenda_items": [{"title": "Only"}]})
    db.session.commit()
    db.session.expire_all()
    assert [i.title for i in db.session.get(Workshop, workshop.id).agenda_items] == ["Only"]


def test_invalid_update_changes_nothing(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group, title="Kept")
    with pytest.raises(ValidationError) as exc:
        update_workshop(workshop, actor=lead, data={"title": "Lost", "ends_at": workshop.starts_at})
    assert "ends_at" in exc.value.errors
    db.session.rollback()
    assert db.session.get(Workshop, workshop.id).title == "Kept"


def test_other_working_group_lead_cannot_edit(db, create_user, create_working_group, create_workshop):
    workshop = create_workshop()
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    with pytest.raises(PermissionDenied):
        update_workshop(workshop, actor=other_lead, data={"title": "Hijacked"})


def test_cancel_marks_cancelled_at_the_given_time_and_bumps_sequence(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    cancel_workshop(workshop, actor=lead, now=now)
    assert workshop.status is WorkshopStatus.CANCELLED
    assert workshop.cancelled_at == now
    assert workshop.sequence == 1


def test_cancelling_twice_changes_nothing_more(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    first = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    cancel_workshop(workshop, actor=lead, now=first)
    cancel_workshop(workshop, actor=lead, now=first + timedelta(hours=1))
    assert workshop.sequence == 1 and workshop.cancelled_at == first


def test_cancelled_workshop_cannot_be_edited(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    cancel_workshop(workshop, actor=lead)
    with pytest.raises(ValidationError) as exc:
        update_workshop(workshop, actor=lead, data={"title": "Back on"})
    assert exc.value.status == 409


def test_participant_cannot_cancel(db, participant, create_workshop):
    workshop = create_workshop()
    with pytest.raises(PermissionDenied):
        cancel_workshop(workshop, actor=participant)
    assert workshop.status is WorkshopStatus.SCHEDULED


def test_upcoming_leaves_out_workshops_that_have_ended(db, create_workshop):
    now = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    past = create_workshop(starts_at=now - timedelta(days=1))
    running = create_workshop(starts_at=now - timedelta(hours=1))
    future = create_workshop(starts_at=now + timedelta(days=1))
    ids = [w.id for w in db.session.scalars(workshops_query(upcoming_after=now))]
    assert ids == [running.id, future.id]
    assert past.id not in ids


def test_codebook_is_ordered_by_pillar_then_theme_then_letter(db, create_working_group):
    create_working_group(number=3)
    create_working_group(number=1)
    pillars = db.session.scalars(codebook_query()).all()
    assert [p.number for p in pillars] == [1, 3]
    assert [s.letter for s in pillars[0].working_group.themes[0].sub_topics] == ["a", "b"]
