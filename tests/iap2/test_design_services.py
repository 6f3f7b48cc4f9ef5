"""Design profiles: derived level, declared-above-derived flag, organisers only."""

import pytest

from engage.auth.models import Role
from engage.errors import PermissionDenied
from engage.iap2.activities import load_activity
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityKind
from engage.iap2.services import design_of, flag_text, save_design
from tests.iap2.conftest import answers


def test_saving_a_design_derives_the_level_and_copies_the_working_group(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    design = save_design(load_activity(ActivityKind.WORKSHOP, workshop.id), actor=lead, data=answers(3))
    db.session.commit()
    assert design.derived_level is IAP2Level.INVOLVE
    assert design.working_group_id == working_group.id
    assert not design.is_declared_above_derived and flag_text(design) is None


def test_declared_level_above_the_design_is_flagged(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    design = save_design(
        load_activity(ActivityKind.WORKSHOP, workshop.id), actor=lead, data=answers(2, declared=IAP2Level.COLLABORATE)
    )
    assert design.is_declared_above_derived
    assert flag_text(design) == "declared Collaborate, design supports Consult"
    assert design.promised_level is IAP2Level.COLLABORATE


@pytest.mark.parametrize("declared", [IAP2Level.INFORM, IAP2Level.CONSULT, None])
def test_declared_level_at_or_below_the_design_is_not_flagged(db, lead, working_group, create_workshop, declared):
    workshop = create_workshop(working_group)
    design = save_design(load_activity(ActivityKind.WORKSHOP, workshop.id), actor=lead, data=answers(2, declared))
    assert not design.is_declared_above_derived
    assert design.promised_level is IAP2Level.CONSULT


def test_saving_again_updates_the_one_profile(db, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    info = load_activity(ActivityKind.WORKSHOP, workshop.id)
    first = save_design(info, actor=lead, data=answers(5))
    db.session.commit()
    second = save_design(info, actor=lead, data=answers(1))
    db.session.commit()
    assert first.id == second.id
    assert design_of(ActivityKind.WORKSHOP, workshop.id).derived_level is IAP2Level.INFORM


def test_a_participant_cannot_set_a_design(db, participant, create_workshop):
    info = load_activity(ActivityKind.WORKSHOP, create_workshop().id)
    with pytest.raises(PermissionDenied):
        save_design(info, actor=participant, data=answers(2))


def test_the_lead_of_another_group_cannot_set_a_design(db, create_user, create_working_group, create_workshop):
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    info = load_activity(ActivityKind.WORKSHOP, create_workshop(create_working_group()).id)
    with pytest.raises(PermissionDenied):
        save_design(info, actor=other_lead, data=answers(2))


def test_a_coordinator_can_set_any_design(db, coordinator, create_workshop):
    info = load_activity(ActivityKind.WORKSHOP, create_workshop().id)
    assert save_design(info, actor=coordinator, data=answers(4)).derived_level is IAP2Level.COLLABORATE


def test_activities_of_kinds_nobody_registered_are_unknown(db):
    assert load_activity(ActivityKind.DELPHI_ROUND, 1) is None
    assert load_activity(ActivityKind.WORKSHOP, 999) is None


def test_a_profile_created_meanwhile_by_another_request_is_updated_not_duplicated(
    db, monkeypatch, lead, working_group, create_workshop
):
    from engage.iap2 import services

    workshop = create_workshop(working_group)
    info = load_activity(ActivityKind.WORKSHOP, workshop.id)
    first = save_design(info, actor=lead, data=answers(2))
    db.session.commit()
    first_id = first.id
    real_design_of, calls = services.design_of, []

    def stale_then_real(kind, activity_id):
        calls.append(kind)
        # The first look happens "before the other request committed": it sees no profile.
        return None if len(calls) == 1 else real_design_of(kind, activity_id)

    monkeypatch.setattr(services, "design_of", stale_then_real)
    second = save_design(info, actor=lead, data=answers(5))
    db.session.commit()
    assert len(calls) == 2
    assert second.id == first_id and second.derived_level is IAP2Level.EMPOWER
