"""IAP2: the workshops' design profiles, the feedback notes that keep the promises, one overdue, a briefing.

Workshops are designed as Involve (input sought, iterative). Pillar II's round-2 workshop was declared
Collaborate although its design supports Involve, so it is flagged. Pillar III's lead has not yet published
the note owed for round 1 (due 30 days after it): the one overdue promise.
"""

from datetime import datetime, time, timedelta

from engage.delphi import round_activity
from engage.demo.story import Story
from engage.iap2 import services as iap2
from engage.iap2.activities import load_activity
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityKind, BriefingChannel

INVOLVE = {"input_sought": True, "iterative_throughout": True, "shape_alternatives": False, "decision_delegated": False}
WORKSHOP_NOTES = {
    1: "**What we heard.** Participants asked for health literacy to come first, for healthcare professionals to be "
    "trained together across specialties, and for sustainability to be judged on patient outcomes, not costs "
    "alone.\n\n**What we did.** Every preliminary priority discussed went into the pillar I Delphi survey, three "
    "of them reworded as suggested; two topics raised in the room (genomic literacy, outcome-based evaluation) "
    "became new items.",
    2: "**What we heard.** Interoperability across borders and data security were the common ground; payers and "
    "industry differed on reimbursement, and Chinese participants stressed the new rules on human genetic "
    "resources.\n\n**What we did.** The pillar II Delphi survey asks about each point raised; federated data "
    "infrastructures, proposed in the room, became an item of its own.",
}
ROUND_NOTES = {
    (1, 1): "Round 1 reached consensus on 29 of 46 items. The 17 others come back in round 2 with the group's "
    "results and your rationales; two were merged and three reworded as several of you suggested.",
    (1, 2): "Round 2 reached consensus on 9 more items. Pillar I's 38 priorities are now on the priorities page and "
    "feed the draft roadmap.",
    (2, 1): "Round 1 reached consensus on 20 of 33 items; 12 come back in round 2 (two reworded, one dropped as "
    "outside the consortium's remit) with one item suggested by panellists.",
    (2, 2): "Round 2 reached consensus on 7 more items: pillar II has 27 priorities, now feeding the draft roadmap.",
    (3, 1): "Round 1 reached consensus on 16 of 28 items. Eleven come back in round 2 with the group's results and "
    "your rationales (two reworded after the round-2 workshop), one was dropped, and one suggested by patient "
    "organisations was added.",
}


def design_workshops(story: Story, round_number: int) -> None:
    for pillar in story.groups:
        workshop = story.workshops[(pillar, round_number)]
        declared = IAP2Level.COLLABORATE if (pillar, round_number) == (2, 2) else None
        iap2.save_design(
            load_activity(ActivityKind.WORKSHOP, workshop.id),
            actor=story.lead(pillar),
            data={**INVOLVE, "declared_level": declared},
            now=workshop.registration_opens_at,
        )


def publish_workshop_notes(story: Story) -> None:
    """The round-1 notes of pillars I and II; pillar III's is the one overdue promise."""
    for pillar, body in WORKSHOP_NOTES.items():
        workshop = story.workshops[(pillar, 1)]
        info = load_activity(ActivityKind.WORKSHOP, workshop.id)
        design = iap2.design_of(ActivityKind.WORKSHOP, workshop.id)
        iap2.publish_feedback(
            design, info, actor=story.lead(pillar), body=body, now=workshop.ends_at + timedelta(days=16)
        )


def publish_round_note(story: Story, pillar: int, number: int) -> None:
    state = story.surveys[pillar]
    round_ = state.rounds[number - 1]
    survey = state.survey
    info = round_activity(round_.id, survey.title, number, survey.working_group_id, round_.closes_at, survey.id)
    design = iap2.design_of(ActivityKind.DELPHI_ROUND, round_.id)
    iap2.publish_feedback(
        design,
        info,
        actor=story.lead(pillar),
        body=ROUND_NOTES[(pillar, number)],
        now=round_.closes_at + timedelta(days=4),
    )


def add_briefing(story: Story) -> None:
    """An Inform activity: the webinar presenting the priorities of pillars I and II."""
    iap2.create_briefing(
        actor=story.cast.coordinator,
        data={
            "working_group_id": story.groups[2].id,
            "title": "Webinar: the priorities agreed by the pillar I and II Delphi panels",
            "held_at": datetime.combine(story.clock.day(-90), time(11, 0)),  # wall-clock time in the zone
            "timezone": "Europe/Rome",
            "channel": BriefingChannel.WEBINAR,
        },
        now=story.clock.at(-95, 9),
    )
