"""The nine workshops (3 rounds × 3 working groups), their registrations, attendance and comments.

Round 1 took place about six months ago, round 2 a fortnight ago, round 3 is open for registration; pillar
III's round-3 roundtable has six seats, is full and keeps a waiting list. Everything goes through the
workshop and registration services at the time it happens, so the waiting list, the promotion of the first
person waiting and the notifications are the real ones.
"""

from datetime import timedelta

from engage.auth.models import User
from engage.demo import chinese
from engage.demo.story import Story
from engage.notifications.jobs import run_due_reminders
from engage.participation import services as participation
from engage.participation.models import Registration
from engage.workshops.services import create_workshop

# Pillar I's workshop of each round, days from the run date; pillars II and III follow two and four days later.
ROUND_DAYS = {1: -175, 2: -17, 3: 14}
# Round: zone, local start (hour, minute), venue. EU rounds in the Rome morning and Chinese ones in the Beijing
# afternoon, so both sides can join.
HOSTS = {
    1: ("Europe/Rome", (10, 0), "Università Cattolica del Sacro Cuore, Largo Francesco Vito 1, Rome"),
    2: ("Asia/Shanghai", (16, 0), "Tsinghua Changgung Hospital, Beijing"),
    3: ("Europe/Rome", (9, 30), ""),
}
ROUNDTABLE = (3, 3)  # pillar III's round-3 expert roundtable: six seats, in person
DESCRIPTIONS = {
    1: "Discussion of the preliminary priorities from the literature mapping, gaps in the evidence, and topics left "
    "out of the mapping. The outcome feeds the working group's Delphi survey.",
    2: "The Delphi results so far, and from the agreed priorities to the roadmap actions of each sub-topic.",
    3: "The draft roadmap actions of the working group, and how their uptake will be monitored.",
}
DESCRIPTION_OVERRIDES = {
    (3, 2): "Round 1 of the pillar III Delphi survey: its results, and how to word the items carried into round 2.",
    ROUNDTABLE: "A small expert roundtable on the draft actions of pillar III and the indicators that will show "
    "their uptake (DPYD testing as the worked example). Six seats; join the waiting list if it is full.",
}
AGENDA_ENDS = {
    1: ("Welcome and aims of round 1", "Next steps towards the Delphi survey"),
    2: ("Welcome and the Delphi results so far", "Next steps"),
    3: ("Welcome", "Monitoring and indicators"),
}
AGENDA_THEME = {1: "Discussion: {theme}", 2: "From priorities to actions: {theme}", 3: "Draft roadmap actions: {theme}"}
# The named participants at each working group's workshops (email starts); experts fill the other seats.
REGULARS = {
    1: ("giulia", "sophie", "ana", "zhang.min", "wang.fang"),
    2: ("jan", "eva", "chen.jie", "liu.yang", "zhao.lei"),
    3: ("lukas", "li.wei"),
}
EXPERT_SEATS = {1: 18, 2: 16, 3: 10}


def workshop_day(story: Story, pillar: int, round_number: int) -> int:
    return story.clock.weekday_offset(ROUND_DAYS[round_number] + 2 * (pillar - 1))


def create_round(story: Story, round_number: int, *, created: int) -> None:
    """Each lead creates their group's workshop of the round."""
    clock = story.clock
    zone, (hour, minute), venue = HOSTS[round_number]
    for pillar, group in story.groups.items():
        day = workshop_day(story, pillar, round_number)
        starts = clock.at(day, hour, minute, zone)
        first, last = AGENDA_ENDS[round_number]
        agenda = [{"title": first, "duration_minutes": 15}]
        agenda += [
            {
                "title": AGENDA_THEME[round_number].format(theme=theme.name),
                "description": ", ".join(s.name for s in theme.sub_topics),
                "duration_minutes": 40,
            }
            for theme in group.themes
        ]
        agenda.append({"title": last, "duration_minutes": 20})
        small = (pillar, round_number) == ROUNDTABLE
        data = {
            "working_group_id": group.id,
            "title": f"{group.name} — {'expert roundtable' if small else 'workshop'}, round {round_number}",
            "description": DESCRIPTION_OVERRIDES.get((pillar, round_number), DESCRIPTIONS[round_number]),
            "round": round_number,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "timezone": zone,
            "venue": "Steinbeis Europa Zentrum, Stuttgart" if small else venue,
            "video_url": "" if small else f"https://meet.engage.example/wg{pillar}-r{round_number}",
            "capacity": 6 if small else 30,
            "registration_opens_at": clock.at(created + 1, 8),
            "registration_closes_at": starts - timedelta(days=1),
            "agenda_items": agenda,
        }
        workshop = create_workshop(actor=story.lead(pillar), data=data, now=clock.at(created, 9))
        _add_chinese(workshop, group, pillar, round_number, small)
        story.workshops[(pillar, round_number)] = workshop


def _add_chinese(workshop, group, pillar: int, round_number: int, small: bool) -> None:
    """The Chinese wording of the workshop and its agenda, item by item as the English was built."""
    kind = chinese.WORKSHOP_KINDS["expert roundtable" if small else "workshop"]
    workshop.title_zh = chinese.WORKSHOP_TITLE.format(group=group.name_zh, kind=kind, round=round_number)
    workshop.description_zh = chinese.WORKSHOP_DESCRIPTION_OVERRIDES.get(
        (pillar, round_number), chinese.WORKSHOP_DESCRIPTIONS[round_number]
    )
    first, last = chinese.AGENDA_ENDS[round_number]
    wording = [(first, "")]
    wording += [
        (
            chinese.AGENDA_THEME[round_number].format(theme=theme.name_zh),
            chinese.LIST_SEPARATOR.join(s.name_zh for s in theme.sub_topics),
        )
        for theme in group.themes
    ]
    wording.append((last, ""))
    for agenda_item, (title_zh, description_zh) in zip(workshop.agenda_items, wording, strict=True):
        agenda_item.title_zh, agenda_item.description_zh = title_zh, description_zh


def _attendees_to_be(story: Story, pillar: int) -> list[User]:
    regulars = [story.cast.participant(start) for start in REGULARS[pillar]]
    return regulars + story.rng.sample(story.cast.experts, EXPERT_SEATS[pillar])


def register_for_past_round(story: Story, round_number: int) -> None:
    """People register over the weeks before; one expert cancels; a reminder goes out the day before (the real
    job, at that moment); every named participant and most experts attend."""
    for pillar in story.groups:
        workshop = story.workshops[(pillar, round_number)]
        people = _attendees_to_be(story, pillar)
        registrations = _register(story, workshop, people)
        regulars = len(REGULARS[pillar])
        cancelling = registrations[regulars]
        participation.cancel_registration(
            cancelling, actor=cancelling.user, now=cancelling.queued_at + timedelta(days=2)
        )
        run_due_reminders(workshop.starts_at - timedelta(days=1) + timedelta(minutes=5))
        for position, registration in enumerate(registrations):
            if registration is cancelling:
                continue
            if position < regulars or story.rng.random() > 0.12:
                participation.mark_attended(
                    registration, actor=story.lead(pillar), now=workshop.starts_at + timedelta(minutes=20)
                )


def _register(story: Story, workshop, people: list[User], *, latest=None) -> list[Registration]:
    """Registrations in the order people come, spread over the registration window."""
    opens = workshop.registration_opens_at
    closes = min(latest or workshop.registration_closes_at, workshop.registration_closes_at)
    span = (closes - opens).total_seconds()
    times = sorted(opens + timedelta(seconds=story.rng.uniform(600, span - 3600)) for _ in people)
    return [participation.register(workshop, actor=person, now=at) for person, at in zip(people, times, strict=True)]


def register_for_round_3(story: Story) -> None:
    """Round 3 is open: people have registered; the roundtable filled up, one person cancelled (the first waiting
    took the seat) and three are waiting, a named participant first."""
    clock, cast = story.clock, story.cast
    latest = clock.at(-1, 12)
    for pillar in (1, 2):
        workshop = story.workshops[(pillar, 3)]
        people = [cast.participant(s) for s in REGULARS[pillar]] + story.rng.sample(cast.experts, 9)
        _register(story, workshop, people, latest=latest)
    roundtable = story.workshops[ROUNDTABLE]
    seated = [cast.participant("li.wei"), cast.participant("lukas"), *story.rng.sample(cast.experts, 4)]
    first_waiting, second_waiting = story.rng.sample([e for e in cast.experts if e not in seated], 2)
    queue = [*seated, first_waiting, cast.participant("sophie"), second_waiting, cast.participant("zhao.lei")]
    registrations = _register(story, roundtable, queue, latest=clock.at(-3, 12))
    leaving = registrations[3]
    participation.cancel_registration(leaving, actor=leaving.user, now=clock.at(-2, 15))


COMMENTS = {
    # round → (pillar, email start, days after the workshop's start (round 1) or from the run date (round 3), text)
    1: [
        (1, "giulia", 1, "Thank you for making room for the patients' view. Could the slides on health literacy be "
         "shared? Our ward teams would use them."),
        (2, "chen.jie", -2, "Will the session on data exchange cover the new cross-border rules for human genetic "
         "resources? Industry partners in Hangzhou are asking."),
    ],
    3: [
        (1, "zhang.min", -6, "Could the round-3 discussion include how the actions will be funded in each region?"),
        (2, "jan", -4, "Will the session be recorded for colleagues who cannot join at 09:30 Rome time?"),
        (3, "li.wei", -2, "Could we look at the DPYD-testing use case at the roundtable? Several Beijing hospitals "
         "are piloting it."),
    ],
}  # fmt: skip


def add_comments(story: Story, round_number: int) -> None:
    for pillar, person, days, text in COMMENTS[round_number]:
        workshop = story.workshops[(pillar, round_number)]
        if round_number == 1:
            at = workshop.starts_at + timedelta(days=days, hours=2)
        else:
            at = story.clock.at(days, 11)
        participation.add_comment(workshop, actor=story.cast.participant(person), body=text, now=at)
