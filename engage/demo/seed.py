"""The demo told in the order it happened: each step at its own time on the demo's clock, through the services.

The scheduled jobs (reminders, consultation notices) run at the moments they would have run, so the
notifications in people's lists are the real ones; each job commits, as it does in the scheduler.
"""

import random
from datetime import UTC, datetime

import sqlalchemy as sa

from engage.auth.models import User
from engage.auth.services import set_consortium_name
from engage.demo import consultations, delphi, iap2, indicators, minutes, roadmap, workshops
from engage.demo.accounts import create_cast
from engage.demo.clock import DemoClock
from engage.demo.codebook import seed_codebook, sub_topic_ids
from engage.demo.story import Story
from engage.extensions import db
from engage.workshops.models import Pillar

CONSORTIUM_NAME = "IC2PerMed"
SEED = "IC2PerMed demo"  # the same data on every run of the same date


class DemoRefused(Exception):
    """The database is not empty: the demo is never mixed into a consortium's data."""


def refuse_unless_empty() -> None:
    pillars = db.session.scalar(sa.select(sa.func.count()).select_from(Pillar))
    accounts = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    if pillars or accounts:
        raise DemoRefused(
            f"This database already holds a consortium ({pillars} pillars, {accounts} accounts); the demo is only "
            "loaded into an empty database. Point ENGAGE_DATABASE_URL at a new database, or delete "
            "instance/engage.sqlite3 to start again."
        )


def seed_demo(now: datetime) -> Story:
    """Load the IC2PerMed consortium as it stands a few months into its roadmap work, dated from `now`'s day."""
    refuse_unless_empty()
    clock = DemoClock(now.astimezone(UTC).date())
    rng = random.Random(SEED)
    cast = create_cast(clock, rng)
    groups = seed_codebook()
    # The codebook and the leads' groups are written as rows: Engage has no service for them (leads are
    # otherwise made by invitation).
    for group in groups:
        cast.leads[group.pillar.number].led_working_groups.append(group)
    set_consortium_name(CONSORTIUM_NAME, actor=cast.coordinator, now=clock.at(-200))
    story = Story(clock, rng, cast, {g.pillar.number: g for g in groups}, sub_topic_ids(groups))

    # Round 1 of the workshops, six months ago, and its minutes.
    workshops.create_round(story, 1, created=-190)
    iap2.design_workshops(story, 1)
    workshops.register_for_past_round(story, 1)
    workshops.add_comments(story, 1)
    minutes.write_round_1(story)
    iap2.publish_workshop_notes(story)

    # The Delphi surveys of pillars I and II: two rounds each, finalised into priorities.
    for pillar in (1, 2):
        delphi.create_survey(story, pillar)
    for pillar in (1, 2):
        delphi.answer_round(story, pillar, 1)
        iap2.publish_round_note(story, pillar, 1)
        delphi.prepare_round_2(story, pillar)
    for pillar in (1, 2):
        delphi.answer_round(story, pillar, 2)
        delphi.finalise(story, pillar)
        iap2.publish_round_note(story, pillar, 2)
    minutes.link_round_1_priorities(story, day=-94)
    iap2.add_briefing(story)
    consultation = consultations.consult_on_priorities(story, opens=-95, closes=-81)
    consultations.respond_on_priorities(story, consultation, day=-77)

    # Pillar III's survey, round 1; the round-2 workshops; round 2 of pillar III, open now.
    delphi.create_survey(story, 3)
    delphi.answer_round(story, 3, 1)
    workshops.create_round(story, 2, created=-45)
    iap2.design_workshops(story, 2)
    workshops.register_for_past_round(story, 2)
    iap2.publish_round_note(story, 3, 1)
    minutes.write_round_2(story)
    delphi.prepare_round_2(story, 3)
    delphi.answer_round(story, 3, 2, submitted_share=0.55)
    delphi.leave_drafts(story, 3)

    # The draft roadmap and its indicators; round 3 open for registration; the roadmap consultation, open now.
    roadmap.create_actions(story, day=-10)
    indicators.create_indicators(story, day=-8)
    workshops.create_round(story, 3, created=-12)
    iap2.design_workshops(story, 3)
    workshops.register_for_round_3(story)
    workshops.add_comments(story, 3)
    consultations.consult_on_roadmap(story, opens=-6, closes=15)
    db.session.flush()
    return story
