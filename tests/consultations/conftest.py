from datetime import timedelta

import pytest

from engage.consultations import services
from engage.consultations.models import Audience
from engage.participation.models import Registration, RegistrationStatus
from engage.timeutil import utcnow


@pytest.fixture
def member(db, create_user, create_workshop, working_group):
    """A participant of the working group (holds a seat at one of its workshops)."""
    user = create_user(display_name="Mia Member")
    workshop = create_workshop(working_group)
    db.session.add(Registration(workshop=workshop, user=user, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    return user


@pytest.fixture
def create_consultation(db, lead, working_group):
    """A consultation of the lead's working group, open now unless times are given (wall-clock UTC)."""

    def make(*, actor=None, opens_in=timedelta(hours=-1), closes_in=timedelta(days=7), **kw):
        now = utcnow().replace(microsecond=0, tzinfo=None)
        data = {
            "working_group_id": working_group.id,
            "title": "Draft roadmap for pillar I",
            "body": "Please comment on **the draft**.",
            "timezone": "UTC",
            "opens_at": now + opens_in,
            "closes_at": now + closes_in,
            "audience": Audience.WORKING_GROUP,
        }
        data.update(kw)
        consultation = services.create_consultation(actor=actor or lead, data=data)
        db.session.commit()
        return consultation

    return make
