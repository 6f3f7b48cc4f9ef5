"""The feedback promise: due 30 days (configurable) after the activity ends; overdue lists by owner."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.auth.models import Role
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.iap2.activities import load_activity
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityKind
from engage.iap2.services import overdue_promises, promise_status, publish_feedback
from engage.workshops.models import WorkshopStatus

ENDED = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def past_workshop(create_workshop, working_group):
    def make(group=None, **kw):
        return create_workshop(group or working_group, starts_at=ENDED - timedelta(hours=3), ends_at=ENDED, **kw)

    return make


def _ids(promises):
    return [p.activity.id for p in promises]


def test_a_consult_activity_is_overdue_only_after_the_due_date(db, lead, past_workshop, set_design):
    workshop = past_workshop()
    set_design(workshop, 2, actor=lead)
    assert overdue_promises(actor=lead, now=ENDED + timedelta(days=29)) == []
    overdue = overdue_promises(actor=lead, now=ENDED + timedelta(days=30, seconds=1))
    assert _ids(overdue) == [workshop.id]
    assert overdue[0].due_at == ENDED + timedelta(days=30)


def test_the_due_date_follows_the_setting(app, db, lead, past_workshop, set_design):
    set_design(past_workshop(), 2, actor=lead)
    app.config["ENGAGE_IAP2_FEEDBACK_DUE_DAYS"] = 7
    try:
        assert len(overdue_promises(actor=lead, now=ENDED + timedelta(days=8))) == 1
    finally:
        app.config["ENGAGE_IAP2_FEEDBACK_DUE_DAYS"] = 30


def test_a_published_note_keeps_the_promise(db, lead, past_workshop, set_design):
    workshop = past_workshop()
    design = set_design(workshop, 3, actor=lead)
    info = load_activity(ActivityKind.WORKSHOP, workshop.id)
    later = ENDED + timedelta(days=40)
    assert promise_status(design, info, later) == "overdue"
    note = publish_feedback(design, info, actor=lead, body="We heard **three** concerns <script>x</script>")
    db.session.commit()
    assert "<strong>three</strong>" in note.body_html and "<script>" not in note.body_html
    assert overdue_promises(actor=lead, now=later) == []
    assert promise_status(design, info, later) == "kept"


def test_inform_activities_owe_nothing_and_refuse_a_note(db, lead, past_workshop, set_design):
    workshop = past_workshop()
    design = set_design(workshop, 1, actor=lead)
    assert overdue_promises(actor=lead, now=ENDED + timedelta(days=90)) == []
    with pytest.raises(DomainError) as refused:
        publish_feedback(design, load_activity(ActivityKind.WORKSHOP, workshop.id), actor=lead, body="x")
    assert refused.value.code == "no_promise"


def test_a_declared_promise_is_owed_even_when_the_design_is_inform(db, lead, past_workshop, set_design):
    workshop = past_workshop()
    set_design(workshop, 1, actor=lead, declared=IAP2Level.CONSULT)
    assert _ids(overdue_promises(actor=lead, now=ENDED + timedelta(days=31))) == [workshop.id]


def test_cancelled_activities_owe_nothing(db, lead, past_workshop, set_design):
    workshop = past_workshop(status=WorkshopStatus.CANCELLED)
    set_design(workshop, 2, actor=lead)
    assert overdue_promises(actor=lead, now=ENDED + timedelta(days=31)) == []


def test_leads_see_their_groups_and_coordinators_see_all(
    db, lead, coordinator, working_group, create_working_group, create_user, past_workshop, set_design
):
    mine = past_workshop()
    other_group = create_working_group()
    theirs = past_workshop(other_group)
    set_design(mine, 2, actor=lead)
    set_design(theirs, 2, actor=coordinator)
    later = ENDED + timedelta(days=31)
    assert _ids(overdue_promises(actor=lead, now=later)) == [mine.id]
    assert sorted(_ids(overdue_promises(actor=coordinator, now=later))) == sorted([mine.id, theirs.id])
    other_lead = create_user(Role.LEAD, leads=other_group)
    assert _ids(overdue_promises(actor=other_lead, now=later)) == [theirs.id]


def test_participants_have_no_overdue_list(db, participant):
    with pytest.raises(PermissionDenied):
        overdue_promises(actor=participant)


def test_only_organisers_publish_and_a_note_needs_text(db, lead, participant, past_workshop, set_design):
    workshop = past_workshop()
    design = set_design(workshop, 2, actor=lead)
    info = load_activity(ActivityKind.WORKSHOP, workshop.id)
    with pytest.raises(PermissionDenied):
        publish_feedback(design, info, actor=participant, body="hello")
    with pytest.raises(ValidationError):
        publish_feedback(design, info, actor=lead, body="   ")
