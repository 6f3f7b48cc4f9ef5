"""Two consultations: the draft priorities of pillars I and II (closed, with its published response and the
rewordings it led to), and the draft roadmap chapter (open now, with comments). Everyone in the consortium
is invited; the opening notices and reminders are the scheduler's own job, run at their moments."""

from datetime import datetime, time, timedelta

from engage.consultations import services
from engage.consultations.jobs import run_due_consultation_notices
from engage.consultations.models import Audience, Consultation, ReferenceKind
from engage.demo import chinese
from engage.demo.story import Story
from engage.priorities.services import edit_priority
from engage.text import render_markdown

ZONE = "Europe/Rome"
PRIORITIES_BODY = """The Delphi panels of pillars I and II have agreed on 65 priorities after two rounds each (relevance
rated 1–5; consensus when at least 70 % rate 4 or 5). Before they feed the roadmap, tell us:

1. Is any priority worded so that it could be misread in the EU or in China?
2. Is anything important missing that the panels could not rate?

The priorities, with their Delphi statistics, are linked below."""
PRIORITIES_COMMENTS = [
    ("wang.fang", "The priority on consent procedures reads as if consent were only a research matter; patients meet "
     "it first in the clinic."),
    ("expert", "“Payment models for public reimbursement” may be read in China as covering only the national "
     "insurance; private insurers should be named too."),
    ("expert", "Please keep the wording on data security global, as the panel agreed: it matters most outside "
     "high-income settings."),
    ("expert", "Nothing on primary care in pillar I; we hope pillar III covers it."),
    ("expert", "The priority on federated infrastructures is the most concrete of all; it deserves to lead the "
     "pillar II chapter."),
    ("expert", "Good work. The interdependence of diagnostics and therapeutics could be made more explicit."),
]  # fmt: skip
PRIORITY_EDITS = [
    # (item key, new text, reason)
    ("I-13", "Develop comprehensive consent procedures, in care and in research, where personalised medicine needs "
     "them.", "Consultation on the draft priorities: patients meet consent in the clinic first."),
    ("I-34", "Identify new payment models for the public and private reimbursement of personalised medicine.",
     "Consultation on the draft priorities: the wording now covers private insurers too."),
]  # fmt: skip
PRIORITIES_RESPONSE = """**What we heard.** Six comments: two on wording that could be misread (consent, reimbursement),
two on emphasis (data security, federated infrastructures), one on a gap (primary care) and one on the link
between diagnostics and therapeutics.

**What we did.** We reworded two priorities, each change recorded with its reason: consent procedures now
cover care as well as research, and payment models cover public and private reimbursement. Primary care was
passed to the pillar III survey, which now asks about implementation research in primary care. The other
points are taken into the draft roadmap chapter, which will be consulted on in turn."""
ROADMAP_BODY = """This is the draft roadmap chapter: the 24 actions of Table 1, one per sub-topic, each traced to the
priorities it was built from.

Pillars I and II are traced to their finalised Delphi priorities. Pillar III's survey is still in round 2,
so its six actions are traced for now to the pillar I and II priorities they build on; its own priorities
will be added when the survey is finalised.

Comment on any action: is it clear, is it doable in both regions, and who should own it?"""
ROADMAP_COMMENTS = [
    ("jan", "Action 2.2.a should say who hosts the federated infrastructure; industry partners will ask first."),
    ("expert", "The DPYD-testing indicator is a good example; could each pillar name one indicator like it?"),
    ("expert", "Action 3.1.c: researcher mobility between the EU and China needs visa support, not only funding."),
    ("expert", "Please keep the provisional note on pillar III visible in the published version too."),
]  # fmt: skip


def _wall_clock(story: Story, day: int, hour: int) -> datetime:
    return datetime.combine(story.clock.day(day), time(hour, 0))


def _add_chinese(consultation: Consultation) -> None:
    """The consultation's Chinese title and document, rendered by the Markdown sanitiser the service uses."""
    consultation.title_zh, consultation.body_zh = chinese.CONSULTATIONS[consultation.title]
    consultation.body_html_zh = render_markdown(consultation.body_zh)


def _comment(story: Story, consultation: Consultation, comments, days: list[int]) -> None:
    experts = iter(story.rng.sample(story.cast.experts, len(comments)))
    for (person, text), day in zip(comments, days, strict=True):
        author = next(experts) if person == "expert" else story.cast.participant(person)
        services.add_comment(consultation, actor=author, body=text, now=story.clock.at(day, 10 + len(text) % 7))


def consult_on_priorities(story: Story, *, opens: int, closes: int) -> Consultation:
    coordinator = story.cast.coordinator
    consultation = services.create_consultation(
        actor=coordinator,
        data={
            "title": "Draft priorities of pillars I and II",
            "body": PRIORITIES_BODY,
            "timezone": ZONE,
            "opens_at": _wall_clock(story, opens, 10),
            "closes_at": _wall_clock(story, closes, 18),
            "audience": Audience.EVERYONE,
            "references": [
                {"kind": ReferenceKind.PRIORITY_LIST, "pillar_id": story.groups[1].pillar_id},
                {"kind": ReferenceKind.PRIORITY_LIST, "pillar_id": story.groups[2].pillar_id},
            ],
        },
        now=story.clock.at(opens - 2, 9),
    )
    _add_chinese(consultation)
    run_due_consultation_notices(consultation.opens_at + timedelta(minutes=5))
    _comment(
        story, consultation, PRIORITIES_COMMENTS, [opens + 1, opens + 2, opens + 4, opens + 6, opens + 8, opens + 9]
    )
    return consultation


def respond_on_priorities(story: Story, consultation: Consultation, *, day: int) -> None:
    """The leads reword what the consultation showed could be misread; the coordinator publishes the response."""
    for key, text, reason in PRIORITY_EDITS:
        priority = story.priorities[key]
        pillar = 1 if key.startswith("I-") else 2
        edit_priority(priority, actor=story.lead(pillar), text=text, reason=reason, now=story.clock.at(day - 1, 11))
        priority.text_zh = chinese.PRIORITY_EDITS[key]
    services.publish_response(
        consultation, actor=story.cast.coordinator, body=PRIORITIES_RESPONSE, now=story.clock.at(day, 10)
    )


def consult_on_roadmap(story: Story, *, opens: int, closes: int) -> Consultation:
    consultation = services.create_consultation(
        actor=story.cast.coordinator,
        data={
            "title": "Draft roadmap chapter: the 24 actions",
            "body": ROADMAP_BODY,
            "timezone": ZONE,
            "opens_at": _wall_clock(story, opens, 9),
            "closes_at": _wall_clock(story, closes, 18),
            "audience": Audience.EVERYONE,
            "references": [{"kind": ReferenceKind.ROADMAP}],
        },
        now=story.clock.at(opens - 1, 15),
    )
    _add_chinese(consultation)
    run_due_consultation_notices(consultation.opens_at + timedelta(minutes=5))
    _comment(story, consultation, ROADMAP_COMMENTS, [opens + 1, opens + 2, opens + 3, opens + 5])
    return consultation
