"""Minutes of the workshops that took place, through the minutes services on the demo's clock.

Round 1 (all working groups): written, circulated, commented, approved and published soon after the
workshop; once pillars I and II were finalised, corrected to link the priorities the discussion led to and
published again as version 2 (versions 1 stay readable). Round 2: pillar I's approved, awaiting publication;
pillar II's circulating for comment now, with comments; pillar III's still a draft.
"""

from datetime import timedelta

from engage.demo.delphi import TIMELINES
from engage.demo.roadmap import PROVISIONAL_TRACES, action_titles
from engage.demo.story import Story
from engage.minutes import services
from engage.minutes.models import Minutes
from engage.workshops.models import Theme

ROMAN = {1: "I", 2: "II", 3: "III"}
ROUND_1_DISCUSSIONS = {
    "1.1": "Participants agreed that health literacy, digital literacy included, is the precondition for engaging "
    "citizens and patients. Patient organisations from France and Guangdong described how predictive genetic "
    "tests are explained to families today and asked for research on what citizens actually need to know. Trust "
    "was tied to clear data governance, under the GDPR in the EU and the Personal Information Protection Law in "
    "China.",
    "1.2": "Healthcare professionals asked for training in genomics and data science across specialties, with "
    "ethics taught alongside. Exchanges between EU and Chinese hospitals were proposed to share what works; "
    "policymakers noted that professional literacy is entering national strategies in both regions.",
    "1.3": "The group discussed long-term investment in data storage, new payment models for reimbursement and the "
    "continuous assessment of technologies already in use. Evaluation should measure the outcomes that matter to "
    "patients, and ethical, legal and social implications and their costs belong in every policy decision.",
    "2.1": "Industry and payers discussed how to lower the costs of personalised diagnostics and the barriers to "
    "reimbursement while avoiding overuse and overdiagnosis. Participants asked for early and continuous dialogue "
    "among all stakeholders, shared principles between the EU and China, and a long-term view of the balance "
    "sheet.",
    "2.2": "Interoperability of data across borders was the common ground. Chinese participants explained the rules "
    "on human genetic resources, EU participants the European Health Data Space; a federated infrastructure that "
    "links cohorts without moving raw data was proposed to respect both. Data security and public involvement "
    "in decisions on data sharing were seen as conditions of trust.",
    "3.1": "Funders from both regions compared how they set priorities. Participants asked that funding follow "
    "patients' needs, that patients and caregivers have a voice at every stage of research, and that researcher "
    "mobility be funded; joint calls were discussed as a way to share the risk of larger projects.",
    "3.2": "Omics beyond genomics, standardised phenotyping and controlled-access models for data were discussed. "
    "The project's biobank pilot was presented as an example of collaboration, and participants asked for a "
    "dialogue with regulators on benefit–risk questions.",
}
PILLAR_III_ROUND_2 = {
    1: "Items without consensus in this theme included making funders' prioritisation of resources responsible, "
    "aligning funders on shared themes and a yearly joint EU–China call. The group advised saying what "
    "“responsibly” means (transparent, accountable criteria) and dropping the yearly call, which overlaps with "
    "aligning funders.",
    2: "The group proposed DPYD testing before fluoropyrimidine treatment as the use case the standards item "
    "should name, and discussed opening the partners' biobanks to each other's researchers under common rules, "
    "on which views still differ between the regions.",
}
COMMENTS = {
    # (pillar, round) → (email start, text)
    (1, 1): [("sophie", "Please record that patient organisations offered to co-design the research on education "
              "needs."),
             ("ana", "The decision on health literacy should name digital literacy, as agreed in the room.")],
    (2, 1): [("eva", "HTA bodies asked that any discussion of reimbursement include the evidence required; please "
              "add it to section 2.")],
    (3, 1): [("li.wei", "The biobank pilot was presented by both partners; please name the Beijing team too.")],
    (2, 2): [("chen.jie", "The action on federated infrastructures should name the two cohorts discussed (Jiangsu "
              "and Lombardy)."),
             ("liu.yang", "Payers asked for a reimbursement pilot before any scale-up; please add it to the "
              "decisions."),
             ("jan", "Could the action on data-protection frameworks mention the public consultation planned for "
              "the spring?")],
}  # fmt: skip


def _code(theme: Theme) -> str:
    return f"{theme.working_group.pillar.number}.{theme.position}"


def _codes(theme: Theme) -> list[str]:
    return [f"{_code(theme)}.{s.letter}" for s in theme.sub_topics]


def _refs(ids) -> str:
    return ", ".join(f"[[P-{i}]]" for i in ids)


def _section(workshop, position: int, discussion: str, decisions=(), actions=()) -> dict:
    item = workshop.agenda_items[position]
    return {
        "title": item.title,
        "agenda_item_id": item.id,
        "discussion": discussion,
        "decisions": [{"text": text} for text in decisions],
        "actions": [{"description": d, "owner": o, "due_on": due.isoformat(), "status": s} for d, o, due, s in actions],
    }


def _round_1_document(story: Story, pillar: int, *, linked: bool) -> dict:
    group, workshop, lead = story.groups[pillar], story.workshops[(pillar, 1)], story.lead(pillar)
    survey_opens = story.clock.day(TIMELINES[pillar].round_1[0])
    sections = [
        _section(
            workshop,
            0,
            f"{lead.display_name} opened the workshop and recalled the method of the IC2PerMed roadmap: the "
            "literature mapping, three rounds of workshops per working group and one Delphi survey per pillar. "
            "Participants joined in Rome and online from China.",
        )
    ]
    for position, theme in enumerate(group.themes, start=1):
        codes = _codes(theme)
        discussion = ROUND_1_DISCUSSIONS[_code(theme)] + "\n\nCodebook: " + ", ".join(f"[[C-{c}]]" for c in codes)
        if linked:
            discussion += "\n\n" + _priorities_discussed(story, pillar, codes)
        names = ", ".join(s.name.lower() for s in theme.sub_topics)
        sections.append(
            _section(
                workshop,
                position,
                discussion,
                [f"Take the preliminary priorities on {names} into the pillar {ROMAN[pillar]} Delphi survey, "
                 "worded as discussed."],
                [(f"Draft the Delphi items on {theme.name.lower()} from the discussion", lead.display_name,
                  workshop.starts_at.date() + timedelta(days=21), "done")],
            )
        )  # fmt: skip
    sections.append(
        _section(
            workshop,
            len(group.themes) + 1,
            f"The pillar {ROMAN[pillar]} Delphi survey opens on {survey_opens:%d %B %Y}. Panellists rate each item "
            "from 1 (not relevant) to 5 (extremely relevant); an item reaches consensus when at least 70 % of valid "
            "ratings are 4 or 5, over two rounds.",
            ["Use the consensus rule of the reference method, fixed before round 1 opens."],
            [("Invite the Delphi panel: EU and China, every stakeholder category", story.cast.coordinator.display_name,
              survey_opens - timedelta(days=7), "done")],
        )
    )  # fmt: skip
    return {"sections": sections}


def _priorities_discussed(story: Story, pillar: int, codes: list[str]) -> str:
    if pillar in (1, 2):
        ids = sorted({p.id for code in codes for p in story.priorities_coded(code)})
        return (
            f"_Added after the Delphi survey:_ the panel agreed on these priorities from this discussion: {_refs(ids)}."
        )
    ids = sorted({i for code in codes for i in story.priority_ids(PROVISIONAL_TRACES[code])})
    return (
        "_Added after the pillar I and II surveys:_ the priorities of pillars I and II this discussion builds on, "
        f"until pillar III's own: {_refs(ids)}."
    )


def write_round_1(story: Story) -> None:
    """Written, circulated, commented, approved as version 1 and published within three weeks of the workshop."""
    for pillar in story.groups:
        workshop, lead = story.workshops[(pillar, 1)], story.lead(pillar)
        ends = workshop.ends_at
        minutes = services.start_minutes(workshop, actor=lead, now=ends + timedelta(hours=20))
        if pillar == 1:  # a delegated note-taker
            services.set_editors(minutes, actor=lead, user_ids=[story.cast.participant("giulia").id], now=ends)
        services.save_minutes(
            minutes, actor=lead, data=_round_1_document(story, pillar, linked=False), now=ends + timedelta(days=2)
        )
        services.circulate(minutes, actor=lead, deadline=ends + timedelta(days=13), now=ends + timedelta(days=3))
        _comment(story, minutes, pillar, 1, first_day=4)
        services.approve(
            minutes, actor=lead, change_note="As circulated, with the comments taken in.", now=ends + timedelta(days=14)
        )
        services.publish(minutes, actor=lead, now=ends + timedelta(days=15))
        story.minutes[(pillar, 1)] = minutes  # fmt: skip


def link_round_1_priorities(story: Story, *, day: int) -> None:
    """Version 2 of each round-1 minutes links the priorities the discussion led to."""
    clock = story.clock
    notes = {
        1: "Linked the priorities the Delphi panel agreed on to the discussion they came from.",
        2: "Linked the priorities the Delphi panel agreed on to the discussion they came from.",
        3: "Linked the priorities of pillars I and II this discussion builds on.",
    }
    for pillar, note in notes.items():
        minutes, lead = story.minutes[(pillar, 1)], story.lead(pillar)
        services.start_correction(minutes, actor=lead, now=clock.at(day, 9))
        document = _round_1_document(story, pillar, linked=True)
        services.save_minutes(minutes, actor=lead, data=document, now=clock.at(day, 10))
        services.approve(minutes, actor=lead, change_note=note, now=clock.at(day, 11))
        services.publish(minutes, actor=lead, now=clock.at(day, 12))


def _round_2_document(story: Story, pillar: int) -> dict:
    group, workshop, lead = story.groups[pillar], story.workshops[(pillar, 2)], story.lead(pillar)
    titles = action_titles()
    due = story.clock.day(-10)
    if pillar == 3:
        opening = (
            f"{lead.display_name} presented round 1 of the pillar III Delphi survey: 16 of 28 items reached "
            "consensus; the 12 others come back in round 2 unless reworded, merged or dropped."
        )
    else:
        count = sum(1 for p in story.priorities.values() if p.pillar_id == group.pillar_id)
        opening = (
            f"{lead.display_name} presented the results of the pillar {ROMAN[pillar]} Delphi survey: {count} "
            "priorities after two rounds, with their agreement overall and per region. The group then worked theme "
            "by theme from the priorities to one draft roadmap action per sub-topic."
        )
    sections = [_section(workshop, 0, opening)]
    for position, theme in enumerate(group.themes, start=1):
        codes = _codes(theme)
        if pillar == 3:
            ids = sorted({i for code in codes for i in story.priority_ids(PROVISIONAL_TRACES[code])})
            discussion = PILLAR_III_ROUND_2[theme.position] + f" Related priorities of pillars I and II: {_refs(ids)}."
            decisions = [f"Propose “{titles[c]}” as the draft action for [[C-{c}]]." for c in codes]
            actions = [("Reword and drop the round-2 items as advised, before round 2 opens", lead.display_name,
                        story.clock.day(-7), "done")]  # fmt: skip
        else:
            ids = sorted({p.id for code in codes for p in story.priorities_coded(code)})
            discussion = (
                f"From the {len(ids)} priorities of this theme ({_refs(ids)}) the group drafted one action per "
                "sub-topic."
            )
            decisions = [
                f"Propose “{titles[c]}” as the action for [[C-{c}]], from "
                f"{_refs(p.id for p in story.priorities_coded(c))}."
                for c in codes
            ]
            actions = [(f"Write the descriptions of the {theme.name.lower()} actions for the draft roadmap chapter",
                        lead.display_name, due, "done")]  # fmt: skip
        sections.append(_section(workshop, position, discussion, decisions, actions))
    sections.append(
        _section(
            workshop,
            len(group.themes) + 1,
            "The draft roadmap chapter goes to consultation with everyone in the consortium; round 3 will discuss "
            "the actions and the indicators that will show their uptake.",
            ["Open the consultation on the draft roadmap chapter before round 3."],
            [("Open the consultation on the draft roadmap chapter", story.cast.coordinator.display_name,
              story.clock.day(-6), "done")],
        )
    )  # fmt: skip
    return {"sections": sections}


def write_round_2(story: Story) -> None:
    """Pillar I's approved (to publish), pillar II's circulating with comments, pillar III's a draft."""
    clock = story.clock
    for pillar in story.groups:
        workshop, lead = story.workshops[(pillar, 2)], story.lead(pillar)
        ends = workshop.ends_at
        minutes = services.start_minutes(workshop, actor=lead, now=ends + timedelta(hours=18))
        services.save_minutes(minutes, actor=lead, data=_round_2_document(story, pillar), now=ends + timedelta(days=1))
        if pillar == 1:
            services.circulate(minutes, actor=lead, deadline=clock.at(-9, 18), now=ends + timedelta(days=2))
            services.approve(minutes, actor=lead, change_note="No comments received.", now=clock.at(-8, 10))
        elif pillar == 2:
            services.circulate(minutes, actor=lead, deadline=clock.at(5, 18, 0, "Asia/Shanghai"), now=clock.at(-9, 9))
            _comment(story, minutes, pillar, 2, first_day=-8)
        story.minutes[(pillar, 2)] = minutes


def _comment(story: Story, minutes: Minutes, pillar: int, round_number: int, *, first_day: int) -> None:
    """Participants who held a seat comment on the circulated draft, a day or two apart."""
    for n, (person, text) in enumerate(COMMENTS.get((pillar, round_number), [])):
        if round_number == 1:
            at = minutes.workshop.ends_at + timedelta(days=first_day + 2 * n, hours=3)
        else:
            at = story.clock.at(first_day + 2 * n, 15)
        section = minutes.sections[min(n + 1, len(minutes.sections) - 1)]
        services.add_comment(minutes, actor=story.cast.participant(person), body=text, section_id=section.id, now=at)
