from datetime import timedelta

import pytest

from engage.errors import DomainError, NotFound
from engage.participation.models import RegistrationStatus
from engage.participation.services import cancel_registration, register, waitlist_positions
from engage.timeutil import utcnow


def test_registration_is_confirmed_while_seats_remain(db, create_workshop, create_user):
    workshop = create_workshop(capacity=2)
    first = register(workshop, actor=create_user())
    db.session.commit()
    assert first.status is RegistrationStatus.CONFIRMED
    assert workshop.confirmed_count == 1
    assert workshop.seats_left == 1


def test_registration_when_full_goes_to_waitlist_with_position(db, create_workshop, create_user):
    workshop = create_workshop(capacity=1)
    register(workshop, actor=create_user())
    second = register(workshop, actor=create_user())
    third = register(workshop, actor=create_user())
    db.session.commit()
    assert second.status is RegistrationStatus.WAITLISTED
    assert waitlist_positions(workshop.id) == {second.id: 1, third.id: 2}
    assert workshop.confirmed_count == 1


def test_cancellation_promotes_first_waitlisted(db, create_workshop, create_user):
    workshop = create_workshop(capacity=1)
    holder = create_user()
    seat = register(workshop, actor=holder)
    waiting = [register(workshop, actor=create_user()) for _ in range(2)]
    db.session.commit()
    promoted = cancel_registration(seat, actor=holder)
    db.session.commit()
    assert [r.id for r in promoted] == [waiting[0].id]
    assert waiting[0].status is RegistrationStatus.CONFIRMED and waiting[0].promoted_at is not None
    assert waiting[1].status is RegistrationStatus.WAITLISTED
    assert waitlist_positions(workshop.id) == {waiting[1].id: 1}
    assert workshop.confirmed_count == 1


def test_leaving_the_waitlist_promotes_nobody_and_renumbers(db, create_workshop, create_user):
    workshop = create_workshop(capacity=1)
    register(workshop, actor=create_user())
    leaver = create_user()
    first_waiting = register(workshop, actor=leaver)
    second_waiting = register(workshop, actor=create_user())
    db.session.commit()
    assert cancel_registration(first_waiting, actor=leaver) == []
    db.session.commit()
    assert workshop.confirmed_count == 1
    assert waitlist_positions(workshop.id) == {second_waiting.id: 1}


def test_person_is_registered_at_most_once(db, create_workshop, create_user):
    workshop = create_workshop()
    person = create_user()
    register(workshop, actor=person)
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        register(workshop, actor=person)
    assert exc.value.code == "already_registered"
    db.session.rollback()
    assert workshop.confirmed_count == 1


def test_reregistering_after_cancelling_reuses_the_row_and_queues_again(db, create_workshop, create_user):
    workshop = create_workshop(capacity=1)
    person, other = create_user(), create_user()
    mine = register(workshop, actor=person)
    db.session.commit()
    cancel_registration(mine, actor=person)
    theirs = register(workshop, actor=other)
    again = register(workshop, actor=person)
    db.session.commit()
    assert again.id == mine.id
    assert theirs.status is RegistrationStatus.CONFIRMED
    assert again.status is RegistrationStatus.WAITLISTED


def test_cancelled_workshop_refuses_registration(db, create_workshop, create_user, lead, working_group):
    from engage.workshops.services import cancel_workshop

    workshop = create_workshop(working_group)
    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        register(workshop, actor=create_user())
    assert exc.value.code == "workshop_cancelled"
    assert "cancelled" in exc.value.message


def test_closed_registration_is_refused(db, create_workshop, create_user):
    now = utcnow()
    workshop = create_workshop(registration_closes_at=now - timedelta(hours=1))
    with pytest.raises(DomainError) as exc:
        register(workshop, actor=create_user(), now=now)
    assert exc.value.code == "registration_closed"


def test_not_yet_open_registration_is_refused(db, create_workshop, create_user):
    now = utcnow()
    workshop = create_workshop(registration_opens_at=now + timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        register(workshop, actor=create_user(), now=now)
    assert exc.value.code == "registration_not_open"


def test_registration_after_start_is_refused(db, create_workshop, create_user):
    workshop = create_workshop(starts_at=utcnow() - timedelta(hours=1))
    with pytest.raises(DomainError):
        register(workshop, actor=create_user())


def test_someone_else_cannot_cancel_my_registration(db, create_workshop, create_user):
    workshop = create_workshop()
    mine = register(workshop, actor=create_user())
    db.session.commit()
    with pytest.raises(NotFound):
        cancel_registration(mine, actor=create_user())


def test_lead_can_cancel_a_registration_of_their_workshop(db, create_workshop, create_user, lead, working_group):
    workshop = create_workshop(working_group, capacity=1)
    seat = register(workshop, actor=create_user())
    waiting = register(workshop, actor=create_user())
    db.session.commit()
    cancel_registration(seat, actor=lead)
    db.session.commit()
    assert waiting.status is RegistrationStatus.CONFIRMED


def test_raising_capacity_promotes_from_waitlist(db, create_workshop, create_user, lead, working_group):
    from engage.workshops.services import update_workshop

    workshop = create_workshop(working_group, capacity=1)
    register(workshop, actor=create_user())
    waiting = [register(workshop, actor=create_user()) for _ in range(3)]
    db.session.commit()
    update_workshop(workshop, actor=lead, data={"capacity": 3})
    db.session.commit()
    assert [r.status for r in waiting] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert workshop.confirmed_count == 3


def test_capacity_cannot_drop_below_confirmed(db, create_workshop, create_user, lead, working_group):
    from engage.errors import ValidationError
    from engage.workshops.services import update_workshop

    workshop = create_workshop(working_group, capacity=3)
    for _ in range(2):
        register(workshop, actor=create_user())
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        update_workshop(workshop, actor=lead, data={"capacity": 1})
    assert "capacity" in exc.value.errors
