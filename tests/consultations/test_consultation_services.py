from datetime import datetime, timedelta

import pytest

from engage.consultations import services
from engage.consultations.models import Audience, ConsultationState
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.iap2.involvement import facts_subquery
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityKind
from engage.iap2.services import design_of, overdue_promises
from engage.timeutil import utcnow


def test_times_are_wall_clock_in_the_named_zone_and_stored_utc(create_consultation):
    consultation = create_consultation(timezone="Asia/Shanghai", opens_in=timedelta(days=1))
    assert consultation.timezone == "Asia/Shanghai"
    c = create_consultation(
        timezone="Asia/Shanghai", opens_at=datetime(2030, 3, 1, 9, 0), closes_at=datetime(2030, 3, 8, 18, 0)
    )
    assert c.opens_at.isoformat() == "2030-03-01T01:00:00+00:00"
    assert c.closes_at.isoformat() == "2030-03-08T10:00:00+00:00"


def test_state_follows_the_clock(create_consultation):
    c = create_consultation(opens_in=timedelta(hours=1), closes_in=timedelta(hours=2))
    assert c.state(c.opens_at - timedelta(seconds=1)) is ConsultationState.SCHEDULED
    assert c.state(c.opens_at) is ConsultationState.OPEN
    assert c.state(c.closes_at) is ConsultationState.CLOSED


def test_a_new_consultation_is_a_consult_activity(create_consultation):
    c = create_consultation()
    design = design_of(ActivityKind.CONSULTATION, c.id)
    assert design.derived_level is IAP2Level.CONSULT and design.owes_feedback


def test_close_before_open_unknown_zone_and_empty_list_are_refused(create_consultation, participant):
    with pytest.raises(ValidationError) as exc:
        create_consultation(opens_in=timedelta(days=2), closes_in=timedelta(days=1))
    assert "closes_at" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        create_consultation(timezone="Mars/Olympus")
    assert "timezone" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        create_consultation(audience=Audience.LISTED, user_ids=[])
    assert "user_ids" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        create_consultation(audience=Audience.LISTED, user_ids=[participant.id, 999999])
    assert "999999" in exc.value.errors["user_ids"][0]


def test_a_lead_cannot_open_one_for_another_group(create_consultation, create_working_group):
    other = create_working_group()
    with pytest.raises(PermissionDenied):
        create_consultation(working_group_id=other.id)


def test_audience_of_a_working_group_is_its_people(create_consultation, member, participant, lead):
    c = create_consultation()
    assert services.is_in_audience(member, c) and services.is_in_audience(lead, c)
    assert not services.is_in_audience(participant, c)


def test_listed_audience_is_exactly_the_list(create_consultation, member, participant):
    c = create_consultation(audience=Audience.LISTED, user_ids=[participant.id])
    assert services.is_in_audience(participant, c)
    assert not services.is_in_audience(member, c)


def test_comments_only_while_open(db, create_consultation, member):
    c = create_consultation(opens_in=timedelta(hours=1), closes_in=timedelta(hours=2))
    with pytest.raises(DomainError) as exc:
        services.add_comment(c, actor=member, body="Too early")
    assert exc.value.status == 409
    comment = services.add_comment(c, actor=member, body="Good <script>x</script>", now=c.opens_at)
    assert "<script>" not in comment.body_html
    with pytest.raises(DomainError) as exc:
        services.add_comment(c, actor=member, body="Too late", now=c.closes_at)
    assert exc.value.status == 409 and exc.value.code == "consultation_closed"


def test_comment_length_limit_is_the_workshop_one(app, create_consultation, member):
    c = create_consultation()
    with pytest.raises(ValidationError):
        services.add_comment(c, actor=member, body="x" * (app.config["ENGAGE_COMMENT_MAX_LENGTH"] + 1))


def test_only_the_author_edits_within_the_window(app, create_consultation, member, lead):
    c = create_consultation()
    comment = services.add_comment(c, actor=member, body="First")
    with pytest.raises(PermissionDenied):
        services.edit_comment(comment, actor=lead, body="Changed")
    services.edit_comment(comment, actor=member, body="Second")
    assert comment.body == "Second"
    late = comment.created_at + timedelta(minutes=app.config["ENGAGE_COMMENT_EDIT_WINDOW_MINUTES"] + 1)
    with pytest.raises(DomainError):
        services.delete_comment(comment, actor=member, now=late)


def test_commenting_is_a_participation_fact(db, create_consultation, member):
    c = create_consultation()
    services.add_comment(c, actor=member, body="Here")
    facts = db.session.execute(db.select(facts_subquery())).all()
    assert (member.id, "CONSULTATION", c.id) in [tuple(f) for f in facts]


def test_response_only_after_close_and_keeps_the_promise(db, create_consultation, lead, coordinator):
    c = create_consultation()
    with pytest.raises(DomainError) as exc:
        services.publish_response(c, actor=lead, body="We heard you")
    assert exc.value.code == "consultation_not_closed"
    later = c.closes_at + timedelta(days=40)
    assert [p.activity.id for p in overdue_promises(actor=coordinator, now=later)] == [c.id]
    note = services.publish_response(c, actor=lead, body="We heard *you*", now=c.closes_at + timedelta(days=1))
    assert "<em>you</em>" in note.body_html
    assert overdue_promises(actor=coordinator, now=later) == []


def test_changes_only_before_opening(db, create_consultation, lead):
    c = create_consultation(opens_in=timedelta(days=1), closes_in=timedelta(days=3))
    services.update_consultation(c, actor=lead, data={"title": "New title"})
    assert c.title == "New title"
    with pytest.raises(DomainError):
        services.update_consultation(c, actor=lead, data={"title": "Again"}, now=c.opens_at)


def test_participant_lists_only_their_consultations(db, create_consultation, member, participant, coordinator):
    mine = create_consultation()
    create_consultation(audience=Audience.LISTED, user_ids=[participant.id])
    assert [c.id for c in db.session.scalars(services.visible_query(member))] == [mine.id]
    assert len(db.session.scalars(services.visible_query(coordinator)).all()) == 2


def test_created_at_is_now(create_consultation):
    assert abs(create_consultation().created_at - utcnow()) < timedelta(minutes=1)


def test_a_coordinator_consults_everyone_without_a_group(db, create_consultation, coordinator, participant, lead):
    c = create_consultation(actor=coordinator, working_group_id=None, audience=Audience.EVERYONE)
    assert services.is_in_audience(participant, c)
    assert services.can_manage(coordinator, c) and not services.can_manage(lead, c)
    with pytest.raises(ValidationError):
        create_consultation(actor=lead, working_group_id=None, audience=Audience.EVERYONE)
