"""The codebook: the 3 pillars, their working groups, themes and sub-topics of Table 1 of Beccia et al.,
Front. Med. 2025 (CC BY 4.0). Every Delphi item, priority, minutes link and roadmap action is coded to it.
The Chinese names are in chinese.py, by code."""

from engage.demo import chinese
from engage.extensions import db
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup

CODEBOOK = [
    (1, "Shaping sustainable healthcare",
     "Awareness and empowerment of patients and citizens, education and training of healthcare "
     "professionals, and healthcare sustainability.",
     [("Empowering responsible citizens", ["Health Literacy", "Research", "Public Trust", "ELSI"]),
      ("Promoting a trained and up-to-date healthcare workforce", ["Education and ethics", "Collaborations", "Policies"]),
      ("Fostering healthcare systems' sustainability", ["Resources", "ELSI", "Evaluation", "Networks"])]),
    (2, "Innovation and market",
     "Big Data and ICT solutions, and bringing innovation to market.",
     [("Bringing innovation to market", ["Cost-effectiveness", "Needs assessment", "Principles and guidelines",
                                         "Perspectives"]),
      ("Adopting Big Data and ICT solutions", ["Data exchange", "Privacy, security, and trust", "Standards"])]),
    (3, "Research and clinical studies in PM",
     "Translating basic to clinical research and beyond, and research funding.",
     [("Fostering research funding", ["Patient needs", "Value chain", "Synergies"]),
      ("Translating basic clinical research and beyond", ["Omics sciences", "Data and standards", "Collaborations"])]),
]  # fmt: skip


def seed_codebook() -> list[WorkingGroup]:
    groups = []
    for number, name, description, themes in CODEBOOK:
        name_zh, description_zh = chinese.PILLARS[number]
        pillar = Pillar(number=number, name=name, name_zh=name_zh)
        group = WorkingGroup(
            pillar=pillar,
            name=f"WG{number}: {name}",
            name_zh=chinese.WORKING_GROUP_NAME.format(number=number, name=name_zh),
            description=description,
            description_zh=description_zh,
        )
        for position, (theme_name, sub_topics) in enumerate(themes, start=1):
            code = f"{number}.{position}"
            theme = Theme(position=position, name=theme_name, name_zh=chinese.THEMES[code])
            letters = [chr(ord("a") + i) for i in range(len(sub_topics))]
            theme.sub_topics = [
                SubTopic(letter=letter, name=s, name_zh=chinese.SUB_TOPICS[f"{code}.{letter}"])
                for letter, s in zip(letters, sub_topics, strict=True)
            ]
            group.themes.append(theme)
        db.session.add(group)
        groups.append(group)
    db.session.flush()
    return groups


def sub_topic_ids(groups: list[WorkingGroup]) -> dict[str, int]:
    """Codebook code "pillar.theme.letter" (as in Table 1, e.g. "2.2.b") → sub-topic id."""
    return {
        f"{group.pillar.number}.{theme.position}.{sub_topic.letter}": sub_topic.id
        for group in groups
        for theme in group.themes
        for sub_topic in theme.sub_topics
    }
