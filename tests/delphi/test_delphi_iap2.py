"""A Delphi round is an IAP2 activity; submitting it (not being on the panel) is taking part."""

from datetime import timedelta

from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityKind
from engage.iap2.reports import involvement_profile
from engage.iap2.services import design_of, overdue_promises


def test_a_scheduled_round_gets_an_involve_design_its_lead_can_refine(
    client, db, create_survey, create_panel, open_round, lead, auth_headers
):
    survey = create_survey()
    create_panel(survey, 1)
    round_ = open_round(survey)
    design = design_of(ActivityKind.DELPHI_ROUND, round_.id)
    assert design.derived_level is IAP2Level.INVOLVE
    page = client.get(f"/api/v1/iap2/activities/delphi_round/{round_.id}/design", headers=auth_headers(lead))
    assert page.status_code == 200 and page.get_json()["derived_level"] == "involve"


def test_submitting_a_round_counts_as_taking_part_and_a_draft_does_not(
    db, create_survey, create_panel, open_round, rate
):
    survey = create_survey(texts=("A",))
    submitted, drafted = create_panel(survey, 2)
    round_ = open_round(survey)
    rate(round_, submitted, 4)
    rate(round_, drafted, 4, submit=False)
    assert involvement_profile(submitted.id).get(IAP2Level.INVOLVE) == 1
    assert not any(involvement_profile(drafted.id).values())


def test_a_closed_round_owes_its_panel_feedback(db, create_survey, create_panel, open_round, lead):
    survey = create_survey()
    create_panel(survey, 1)
    round_ = open_round(survey)
    promises = overdue_promises(actor=lead, now=round_.closes_at + timedelta(days=31))
    assert [(p.activity.kind, p.activity.id) for p in promises] == [(ActivityKind.DELPHI_ROUND, round_.id)]
