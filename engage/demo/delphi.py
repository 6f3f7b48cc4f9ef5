"""The three Delphi surveys, run through the Delphi services on the demo's clock.

Pillars I and II ran both rounds and were finalised into priorities; pillar III's round 1 closed and its
round 2 is open now. Consensus, carried-forward items and priorities are what the services compute from the
ratings under the frozen rule; the demo only checks that they came out as planned (a guard against a plan
that the rule does not support, e.g. after a change of the threshold).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from engage.auth.models import RegionGroup, User
from engage.auth.models import StakeholderCategory as Cat
from engage.delphi import services
from engage.delphi.jobs import run_due_round_reminders
from engage.delphi.models import DelphiRound
from engage.delphi.services.snapshot import consensus_item_ids
from engage.demo import chinese, items_pillar1, items_pillar2, items_pillar3
from engage.demo.delphi_plan import PANELLIST, Item
from engage.demo.ratings import ratings_for
from engage.demo.story import Story, SurveyState
from engage.extensions import db

PLANS = {1: items_pillar1, 2: items_pillar2, 3: items_pillar3}
TITLES = {
    1: "Pillar I Delphi survey: shaping sustainable healthcare",
    2: "Pillar II Delphi survey: innovation and market",
    3: "Pillar III Delphi survey: research and clinical studies",
}
DESCRIPTION = (
    "Two rounds. Rate how relevant each proposed priority is for the EU–China roadmap, from 1 (not relevant) "
    "to 5 (extremely relevant), and say why if you wish. An item reaches consensus when at least 70 % of valid "
    "ratings are 4 or 5; the others come back in round 2 with the group's results."
)
# The reference paper's rule, set before round 1 and frozen when it opened.
PAPER_RULE = {"scale_min": 1, "scale_max": 5, "agreeing_values": [4, 5], "threshold_percent": 70, "rounds_planned": 2}
# Panel size per stakeholder category (named demo participants included): the groups under 5 are suppressed.
# Panel per stakeholder category: (from the EU, from China). Three large categories per survey with at least
# 5 from each side, the rest small (fewer than 5 in all, with at least 5 per side together), so the
# disclosure model can show both region groups and the large categories, and hides the small ones (n < 5).
PANELS = {
    1: {Cat.HEALTHCARE_PROFESSIONAL: (8, 7), Cat.ACADEMIA_RESEARCH: (8, 7), Cat.PATIENT_CITIZEN_ORGANISATION: (6, 5),
        Cat.POLICYMAKER: (2, 1), Cat.REGULATOR_HTA: (1, 1), Cat.INDUSTRY: (2, 2), Cat.PAYER: (1, 1),
        Cat.FUNDER: (1, 1), Cat.OTHER: (1, 1)},
    2: {Cat.INDUSTRY: (7, 6), Cat.ACADEMIA_RESEARCH: (7, 7), Cat.HEALTHCARE_PROFESSIONAL: (7, 6),
        Cat.POLICYMAKER: (2, 1), Cat.REGULATOR_HTA: (2, 1), Cat.PAYER: (1, 2), Cat.PATIENT_CITIZEN_ORGANISATION: (1, 1),
        Cat.FUNDER: (1, 1), Cat.OTHER: (1, 1)},
    3: {Cat.ACADEMIA_RESEARCH: (8, 7), Cat.HEALTHCARE_PROFESSIONAL: (7, 6), Cat.INDUSTRY: (7, 6),
        Cat.PATIENT_CITIZEN_ORGANISATION: (2, 2), Cat.POLICYMAKER: (2, 1), Cat.REGULATOR_HTA: (1, 1),
        Cat.PAYER: (1, 1), Cat.FUNDER: (2, 2), Cat.OTHER: (1, 0)},
}  # fmt: skip
NAMED_PANELLISTS = {
    1: ("giulia", "sophie", "ana", "wang.fang", "zhang.min", "li.wei"),
    2: ("jan", "eva", "chen.jie", "liu.yang", "lukas", "zhao.lei"),
    3: ("giulia", "lukas", "sophie", "ana", "jan", "eva", "li.wei", "zhang.min", "wang.fang", "chen.jie", "liu.yang",
        "zhao.lei"),
}  # fmt: skip
# Respondents leave only region × category cells larger than this, so every cell of 5 or more stays so (the
# small categories never lose anyone, so the groups the disclosure model shows in round 1 stay shown).
KEEP_AT_LEAST = 5


@dataclass(frozen=True)
class Timeline:
    created: int
    round_1: tuple[int, int]  # opens, closes (days from the run date)
    round_2_scheduled: int
    round_2: tuple[int, int]
    finalised: int | None = None


TIMELINES = {
    1: Timeline(-165, (-150, -129), -126, (-122, -101), -98),
    2: Timeline(-164, (-149, -128), -125, (-121, -100), -97),
    3: Timeline(-50, (-40, -19), -12, (-6, 8)),
}


def _plan(pillar: int) -> list[Item]:
    return PLANS[pillar].ITEMS + PLANS[pillar].ROUND_2_ITEMS


def create_survey(story: Story, pillar: int) -> SurveyState:
    """The lead creates the survey with the paper's rule, the round-1 items and the panel, and schedules round 1."""
    timeline, lead, clock = TIMELINES[pillar], story.lead(pillar), story.clock
    now = clock.at(timeline.created, 9)
    survey = services.create_survey(
        story.groups[pillar], actor=lead, data={"title": TITLES[pillar], "description": DESCRIPTION}, now=now
    )
    survey.title_zh, survey.description_zh = chinese.SURVEY_TITLES[pillar], chinese.SURVEY_DESCRIPTION
    services.update_rule(survey, actor=lead, data=PAPER_RULE, now=now)
    state = SurveyState(survey=survey, panel=_choose_panel(story, pillar))
    for entry in PLANS[pillar].ITEMS:
        data = {"text": entry.text, "origin": entry.origin, "sub_topic_ids": [story.codes[c] for c in entry.codes]}
        state.items[entry.key] = services.add_item(survey, actor=lead, data=data, now=now)
        state.items[entry.key].text_zh = chinese.ITEMS[entry.key]
    services.add_panellists(
        survey, actor=lead, user_ids=[u.id for u in state.panel], now=clock.at(timeline.created, 10)
    )
    opens, closes = timeline.round_1
    state.rounds.append(
        services.schedule_round(
            survey, actor=lead, opens_at=clock.at(opens, 8), closes_at=clock.at(closes, 22), now=clock.at(opens - 3, 9)
        )
    )
    _freeze_chinese(state.rounds[-1], pillar)
    story.surveys[pillar] = state
    return state


def chinese_wordings(pillar: int) -> dict[str, str]:
    """Every English wording of the pillar's items (as first written, and as reworded for round 2) → its Chinese."""
    wordings = {entry.text: chinese.ITEMS[entry.key] for entry in _plan(pillar)}
    wordings |= {entry.reword: chinese.REWORDINGS[entry.key] for entry in _plan(pillar) if entry.reword}
    return wordings


def _freeze_chinese(round_: DelphiRound, pillar: int) -> None:
    """The round's frozen Chinese wording of each item: the Chinese of the English wording it asks, before it opens."""
    wordings = chinese_wordings(pillar)
    for round_item in round_.round_items:
        round_item.text_zh = wordings[round_item.text]
    db.session.flush()


def _choose_panel(story: Story, pillar: int) -> list[User]:
    named = [story.cast.participant(start) for start in NAMED_PANELLISTS[pillar]]
    panel = list(named)
    for category, sizes in PANELS[pillar].items():
        for group, size in zip((RegionGroup.EU, RegionGroup.CHINA), sizes, strict=True):
            wanted = size - sum(1 for u in named if u.category is category and u.region_group is group)
            candidates = [u for u in story.cast.experts if u.category is category and u.region_group is group]
            panel += story.rng.sample(candidates, wanted)
    return sorted(panel, key=lambda u: u.email)


def _respondents(story: Story, state: SurveyState, number: int) -> list[User]:
    """Round 1: all but a few of the panel; round 2: round 1's respondents less some attrition, plus one returner.

    Only experts of large region × category cells drop out, so no group shown in round 1 falls under 5.
    """
    if number == 1:
        pool, share = state.panel, 0.08
    else:
        pool, share = state.respondents[1], 0.1
    counts = Counter((u.category, u.region_group) for u in pool)
    named = set(story.cast.participants)
    leaving: set[User] = set()
    for _ in range(round(len(pool) * share)):
        spare = [
            u
            for u in pool
            if u not in named and u not in leaving and counts[(u.category, u.region_group)] > KEEP_AT_LEAST
        ]
        if not spare:
            break
        person = story.rng.choice(spare)
        leaving.add(person)
        counts[(person.category, person.region_group)] -= 1
    chosen = [u for u in pool if u not in leaving]
    if number == 2:
        missed = [u for u in state.panel if u not in state.respondents[1]]
        chosen += missed[:1]
    return sorted(chosen, key=lambda u: u.email)


def answer_round(story: Story, pillar: int, number: int, *, submitted_share: float = 1.0) -> DelphiRound:
    """Panellists answer over the round's window; non-submitters are reminded 3 days before it closes (the real
    job, at that moment); the lead closes a round whose window has passed. With `submitted_share` < 1 (the open
    round) only that share has submitted so far."""
    state, clock = story.surveys[pillar], story.clock
    round_ = state.rounds[number - 1]
    everyone = _respondents(story, state, number)
    if submitted_share < 1:
        named = set(story.cast.participants)
        experts = [u for u in everyone if u not in named]
        everyone = sorted(story.rng.sample(experts, round(len(experts) * submitted_share)), key=lambda u: u.email)
    state.respondents[number] = everyone
    last_day = min(round_.closes_at, clock.at(-1, 18)) - timedelta(hours=4)
    span = (last_day - round_.opens_at).total_seconds()
    times = {u.id: round_.opens_at + timedelta(seconds=story.rng.uniform(3600, span)) for u in everyone}
    reminder_at = round_.closes_at - timedelta(days=3) + timedelta(minutes=5)
    ratings = _round_ratings(state, round_, everyone, number)
    reminded = False
    for user in sorted(everyone, key=lambda u: (times[u.id], u.email)):
        if not reminded and times[user.id] > reminder_at:
            run_due_round_reminders(reminder_at)
            reminded = True
        services.save_response(round_, actor=user, ratings=ratings[user.id], submit=True, now=times[user.id])
    if round_.closes_at < clock.at(0, 0):
        if not reminded:
            run_due_round_reminders(reminder_at)
        services.close_round(round_, actor=story.lead(pillar), now=round_.closes_at - timedelta(hours=2))
    return round_


def _round_ratings(state: SurveyState, round_: DelphiRound, people: list[User], number: int) -> dict[int, list]:
    """Panellist id → the ratings they submit for every item of the round."""
    by_item = {item.id: key for key, item in state.items.items()}
    plans = {entry.key: entry for entry in _plan(state.survey.working_group.pillar.number)}
    per_person: dict[int, list] = {u.id: [] for u in people}
    for round_item in round_.round_items:
        entry = plans[by_item[round_item.item_id]]
        target = entry.r1 if number == 1 else entry.r2
        for user_id, rating in ratings_for(entry, target, people, with_rationales=number == 1).items():
            per_person[user_id].append({"item_id": round_item.item_id, **rating})
    return per_person


def prepare_round_2(story: Story, pillar: int) -> DelphiRound:
    """Schedule round 2 (the service carries forward what did not reach consensus), then reword, merge, drop and
    add items as planned, each with its reason, before the round opens."""
    state, timeline, lead, clock = story.surveys[pillar], TIMELINES[pillar], story.lead(pillar), story.clock
    first = state.rounds[0]
    planned = {entry.key for entry in PLANS[pillar].ITEMS if entry.settled_in_round_1}
    settled = consensus_item_ids(first)
    computed = {key for key, item in state.items.items() if item.id in settled}
    if planned != computed:
        raise RuntimeError(f"Pillar {pillar} round 1: planned and computed consensus differ: {planned ^ computed}")
    opens, closes = timeline.round_2
    round_ = services.schedule_round(
        state.survey,
        actor=lead,
        opens_at=clock.at(opens, 8),
        closes_at=clock.at(closes, 22),
        now=clock.at(timeline.round_2_scheduled, 9),
    )
    state.rounds.append(round_)
    now = clock.at(timeline.round_2_scheduled + 1, 10)
    for entry in PLANS[pillar].ITEMS:
        item_id = state.items[entry.key].id
        if entry.reword:
            services.reword_item(round_, item_id, actor=lead, text=entry.reword, reason=entry.reason, now=now)
        elif entry.drop:
            services.drop_item(round_, item_id, actor=lead, reason=entry.reason, now=now)
    for entry in PLANS[pillar].ROUND_2_ITEMS:
        sub_topic_ids = [story.codes[c] for c in entry.codes]
        if entry.sources:
            sources = [state.items[key].id for key in entry.sources]
            item = services.merge_items(round_, sources, actor=lead, text=entry.text, reason=entry.reason, now=now)
            services.edit_item(item, actor=lead, data={"sub_topic_ids": sub_topic_ids}, now=now)
        else:
            data = {"text": entry.text, "origin": PANELLIST, "sub_topic_ids": sub_topic_ids}
            item = services.add_item(state.survey, actor=lead, data=data, reason=entry.reason, now=now)
        item.text_zh = chinese.ITEMS[entry.key]
        state.items[entry.key] = item
    db.session.refresh(round_)
    _freeze_chinese(round_, pillar)
    return round_


def leave_drafts(story: Story, pillar: int) -> None:
    """In the open round, a named participant and two experts have saved part of their answers as a draft."""
    state = story.surveys[pillar]
    round_ = state.rounds[-1]
    submitted = set(state.respondents[2])
    experts = [u for u in state.respondents[1] if u not in submitted and u not in story.cast.participants]
    people = [story.cast.participant("giulia"), *experts[:2]]
    ratings = _round_ratings(state, round_, people, 2)
    for offset, user in enumerate(people):
        services.save_response(
            round_, actor=user, ratings=ratings[user.id][:4], submit=False, now=story.clock.at(-3 + offset, 19)
        )


def finalise(story: Story, pillar: int) -> None:
    """Every item that reached consensus becomes a priority, coded like the item."""
    state = story.surveys[pillar]
    priorities = services.finalise_survey(
        state.survey, actor=story.lead(pillar), now=story.clock.at(TIMELINES[pillar].finalised, 10)
    )
    keys = {item.id: key for key, item in state.items.items()}
    wordings = chinese_wordings(pillar)
    for priority in priorities:
        priority.text_zh = wordings[priority.text]  # worded as last asked, like the English
        story.priorities[keys[priority.source_delphi_item_id]] = priority
    planned = {entry.key for entry in _plan(pillar) if entry.becomes_priority}
    computed = {keys[p.source_delphi_item_id] for p in priorities}
    if planned != computed:
        raise RuntimeError(f"Pillar {pillar}: planned and computed priorities differ: {planned ^ computed}")
