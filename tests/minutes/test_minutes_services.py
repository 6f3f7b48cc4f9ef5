"""Minutes rules, tested on the services directly."""

import hashlib
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import Role, StakeholderCategory
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.minutes import services
from engage.minutes.models import MinutesEventKind, MinutesLink, MinutesStatus
from engage.timeutil import utcnow


@pytest.fixture
def draft(db, workshop, lead):
    minutes = services.start_minutes(workshop, actor=lead)
    db.session.commit()
    return minutes


def test_start_minutes_makes_one_section_per_agenda_item(draft):
    assert [s.title for s in draft.sections] == ["Welcome", "数据交换 Data exchange"]
    assert draft.status is MinutesStatus.DRAFT
    assert [e.kind for e in draft.events] == [MinutesEventKind.CREATED]


def test_only_the_lead_starts_minutes_and_only_once(db, workshop, participant, lead, create_user, draft):
    with pytest.raises(PermissionDenied):
        services.start_minutes(workshop, actor=participant)
    other_lead = create_user(Role.LEAD)
    with pytest.raises(PermissionDenied):
        services.start_minutes(workshop, actor=other_lead)
    with pytest.raises(DomainError) as exc:
        services.start_minutes(workshop, actor=lead)
    assert exc.value.code == "minutes_exist"


def test_references_become_links_to_the_priority_page_and_rows(document, db, draft, lead, make_priority):
    priority = make_priority()
    services.save_minutes(draft, actor=lead, data=document(p=priority.id))
    db.session.commit()
    section = draft.sections[1]
    assert f"/priorities/{priority.id}/trace" in section.discussion_html
    assert f">P-{priority.id}</a>" in section.discussion_html
    links = db.session.scalars(sa.select(MinutesLink).order_by(MinutesLink.id)).all()
    assert [(link.kind, link.priority_id) for link in links] == [("discussion", priority.id), ("decision", priority.id)]
    assert [link.minutes.workshop_id for link in services.links_to_priority(priority, lead)] == [draft.workshop_id] * 2


def test_an_unknown_reference_is_an_error_naming_the_field_and_nothing_changes(
    document, db, draft, lead, make_priority
):
    priority = make_priority()
    services.save_minutes(draft, actor=lead, data=document(p=priority.id))
    db.session.commit()
    revision = draft.revision
    with pytest.raises(ValidationError) as exc:
        services.save_minutes(
            draft,
            actor=lead,
            data=document(
                discussion="See [[P-999]] and [[Q-1]].",
                decision="Agreed [[P-998]]",
                action="Do [[P-{p}]]",
                p=priority.id,
            ),
        )
    db.session.rollback()
    errors = exc.value.errors
    assert "[[P-999]]" in " ".join(errors["sections.1.discussion"])
    assert "[[Q-1]]" in " ".join(errors["sections.1.discussion"])
    assert "[[P-998]]" in " ".join(errors["sections.1.decisions.0"])
    assert "sections.1.actions.0.description" not in errors
    db.session.refresh(draft)
    assert draft.revision == revision
    assert "[[P-999]]" not in draft.sections[1].discussion
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MinutesLink)) == 2


def test_action_items_keep_owner_due_date_and_status(document, db, draft, lead):
    data = document(discussion="Plain.", decision=None)
    data["sections"][1]["actions"].append({"description": "Report back", "status": "done"})
    services.save_minutes(draft, actor=lead, data=data)
    actions = draft.sections[1].actions
    assert [(a.owner, str(a.due_on), a.status.value) for a in actions] == [
        ("王丽", "2027-03-31", "open"),
        ("", "None", "done"),
    ]


def test_bad_action_fields_are_reported(document, db, draft, lead):
    data = document(discussion="x", decision=None)
    data["sections"][1]["actions"] = [{"description": "", "due_on": "31/03/2027", "status": ["open"]}]
    with pytest.raises(ValidationError) as exc:
        services.save_minutes(draft, actor=lead, data=data)
    assert set(exc.value.errors) == {
        "sections.1.actions.0.description",
        "sections.1.actions.0.due_on",
        "sections.1.actions.0.status",
    }


def test_a_stale_revision_is_refused(document, db, draft, lead):
    services.save_minutes(draft, actor=lead, data=document(discussion="First", decision=None, action=None))
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        services.save_minutes(draft, actor=lead, data={**document(decision=None, action=None), "revision": 1})
    assert exc.value.code == "stale_revision"


def test_a_delegated_note_taker_may_edit_but_not_approve(document, db, draft, lead, participant):
    with pytest.raises(PermissionDenied):
        services.save_minutes(draft, actor=participant, data=document(decision=None, action=None, discussion="x"))
    services.set_editors(draft, actor=lead, user_ids=[participant.id])
    services.save_minutes(draft, actor=participant, data=document(decision=None, action=None, discussion="Noted"))
    services.circulate(draft, actor=participant, deadline=utcnow() + timedelta(days=7))
    with pytest.raises(PermissionDenied):
        services.approve(draft, actor=participant)
    with pytest.raises(PermissionDenied):
        services.set_editors(draft, actor=participant, user_ids=[])
    assert [e.kind for e in draft.events][-2:] == [MinutesEventKind.EDITOR_ADDED, MinutesEventKind.CIRCULATED]


def test_lifecycle_versions_hashes_and_corrections(document, db, draft, lead, participant, attend, workshop):
    attend(workshop, participant)
    services.save_minutes(draft, actor=lead, data=document(discussion="Text one", decision=None, action=None))
    with pytest.raises(DomainError) as exc:
        services.approve(draft, actor=lead)
    assert exc.value.code == "wrong_status"
    now = utcnow()
    with pytest.raises(ValidationError):
        services.circulate(draft, actor=lead, deadline=now - timedelta(minutes=1), now=now)
    services.circulate(draft, actor=lead, deadline=now + timedelta(days=7), now=now)
    with pytest.raises(DomainError):
        services.save_minutes(draft, actor=lead, data=document(discussion="late edit", decision=None, action=None))
    services.add_comment(draft, actor=participant, body="Please add the EU view.", now=now)
    with pytest.raises(DomainError) as exc:
        services.add_comment(draft, actor=participant, body="Too late", now=now + timedelta(days=8))
    assert exc.value.code == "comments_closed"

    v1 = services.approve(draft, actor=lead, now=now + timedelta(days=8))
    assert v1.number == 1 and draft.status is MinutesStatus.APPROVED
    canonical = json.dumps(v1.content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert v1.content_hash == hashlib.sha256(canonical).hexdigest()
    services.publish(draft, actor=lead)
    assert draft.published_version_number == 1

    services.start_correction(draft, actor=lead)
    with pytest.raises(DomainError) as exc:
        services.approve(draft, actor=lead)
    assert exc.value.code == "unchanged"
    services.save_minutes(draft, actor=lead, data=document(discussion="Text two", decision=None, action=None))
    v2 = services.approve(draft, actor=lead, change_note="Typo")
    db.session.commit()
    assert v2.number == 2 and v2.content_hash != v1.content_hash
    assert v1.content["sections"][1]["discussion"] == "Text one"
    assert draft.published_version_number == 1 and draft.status is MinutesStatus.APPROVED
    kinds = [(e.kind.value, e.actor_id, e.version_number) for e in draft.events]
    assert {("approved", lead.id, 1), ("published", lead.id, 1), ("approved", lead.id, 2)} <= set(kinds)


def test_only_participants_comment(db, draft, lead, participant, create_user, attend, workshop):
    services.circulate(draft, actor=lead, deadline=utcnow() + timedelta(days=3))
    with pytest.raises(PermissionDenied):
        services.add_comment(draft, actor=participant, body="Not registered")
    attend(workshop, participant)
    with pytest.raises(ValidationError):
        services.add_comment(draft, actor=participant, body="   ")
    assert services.add_comment(draft, actor=participant, body="**Good**").body_html == "<p><strong>Good</strong></p>\n"


def test_attendees_named_only_with_consent(db, workshop, create_user, attend):
    named = create_user(display_name="王丽", consent_named=True, region="CN-BJ")
    unnamed = create_user(display_name="Hidden Person", region="DE", category=StakeholderCategory.PAYER)
    absent = create_user(display_name="Absent Person", consent_named=True)
    attend(workshop, named)
    attend(workshop, unnamed)
    from engage.participation.models import RegistrationStatus

    attend(workshop, absent, status=RegistrationStatus.CONFIRMED)
    summary = services.attendees(workshop)
    assert summary["total"] == 2
    assert [p["name"] for p in summary["named"]] == ["王丽"]
    assert "Hidden Person" not in json.dumps(summary, ensure_ascii=False)
    assert summary["by_category"] == {"academia_research": 1, "payer": 1}
    assert summary["by_region"] == {"China": 1, "EU": 1}


def test_codebook_sub_topic_references_link_like_priorities(db, draft, lead, working_group, document):
    code = f"{working_group.pillar.number}.1.b"
    data = document(discussion=f"On privacy [[C-{code}]], not [[C-9.9.z]].", decision=None, action=None)
    with pytest.raises(ValidationError) as exc:
        services.save_minutes(draft, actor=lead, data=data)
    assert "[[C-9.9.z]]" in " ".join(exc.value.errors["sections.1.discussion"])
    assert f"[[C-{code}]]" not in " ".join(exc.value.errors["sections.1.discussion"])
    services.save_minutes(
        draft, actor=lead, data=document(discussion=f"On privacy [[C-{code}]].", decision=None, action=None)
    )
    assert f"/roadmap#sub-topic-{code}" in draft.sections[1].discussion_html
    link = db.session.scalar(sa.select(MinutesLink))
    assert (link.sub_topic.name, link.priority_id) == ("Privacy", None)
    services.circulate(draft, actor=lead, deadline=utcnow() + timedelta(days=1))
    assert services.approve(draft, actor=lead).content["sub_topics"] == [
        {"code": code, "name": "Privacy", "name_zh": ""}
    ]


def test_minutes_of_a_workshop_that_has_not_started_are_neither_approved_nor_published(
    document, db, draft, lead, workshop
):
    services.save_minutes(draft, actor=lead, data=document(discussion="Text", decision=None, action=None))
    now = utcnow()
    services.circulate(draft, actor=lead, deadline=now + timedelta(days=1), now=now)
    with pytest.raises(DomainError) as exc:
        services.approve(draft, actor=lead, now=workshop.starts_at - timedelta(minutes=1))
    assert exc.value.code == "workshop_not_started"
    assert exc.value.message.startswith("Minutes are approved once the workshop has taken place.")
    assert draft.status is MinutesStatus.CIRCULATED and not draft.versions

    services.approve(draft, actor=lead, now=now)
    with pytest.raises(DomainError) as exc:
        services.publish(draft, actor=lead, now=workshop.starts_at - timedelta(minutes=1))
    assert exc.value.code == "workshop_not_started"
    assert draft.status is MinutesStatus.APPROVED and draft.published_version_number is None
