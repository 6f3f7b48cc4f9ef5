"""The demo consortium: the IC2PerMed EU–China personalised-medicine roadmap project.

Pillars, working groups, themes and sub-topics are Table 1 of Beccia et al., Front. Med. 2025
(CC BY 4.0); workshops follow its method (3 rounds × 3 working groups). People are fictional.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from engage.auth.models import ConsentPurpose, Role, StakeholderCategory, User
from engage.auth.services import create_user, record_consent
from engage.extensions import db
from engage.indicators.demo import seed_demo_indicators
from engage.roadmap.demo import seed_roadmap_actions
from engage.workshops.models import AgendaItem, Pillar, SubTopic, Theme, WorkingGroup, Workshop

DEMO_PASSWORD = "engage-demo-2026"

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

COORDINATOR = (
    "coordinator@engage.example",
    "Elena Ricci",
    "IT",
    "Europe/Rome",
    StakeholderCategory.ACADEMIA_RESEARCH,
    "Università Cattolica del Sacro Cuore",
)
LEADS = [  # one per pillar
    (
        "lead.pillar1@engage.example",
        "Chiara Conti",
        "IT",
        "Europe/Rome",
        StakeholderCategory.ACADEMIA_RESEARCH,
        "Fondazione Policlinico Gemelli",
    ),
    (
        "lead.pillar2@engage.example",
        "Huang Mei",
        "CN-BJ",
        "Asia/Shanghai",
        StakeholderCategory.INDUSTRY,
        "Jingyi Alliance Clinical Application",
    ),
    (
        "lead.pillar3@engage.example",
        "Thomas Weber",
        "DE",
        "Europe/Berlin",
        StakeholderCategory.FUNDER,
        "Steinbeis Europa Zentrum",
    ),
]
PARTICIPANTS = [
    ("giulia.romano@engage.example", "Giulia Romano", "IT", "Europe/Rome", StakeholderCategory.HEALTHCARE_PROFESSIONAL, "Ospedale San Raffaele"),
    ("lukas.becker@engage.example", "Lukas Becker", "DE", "Europe/Berlin", StakeholderCategory.ACADEMIA_RESEARCH, "Charité Berlin"),
    ("sophie.martin@engage.example", "Sophie Martin", "FR", "Europe/Paris", StakeholderCategory.PATIENT_CITIZEN_ORGANISATION, "Alliance Maladies Rares"),
    ("ana.silva@engage.example", "Ana Silva", "PT", "Europe/Lisbon", StakeholderCategory.POLICYMAKER, "Ministério da Saúde"),
    ("jan.devries@engage.example", "Jan de Vries", "NL", "Europe/Amsterdam", StakeholderCategory.INDUSTRY, "Genomics BV"),
    ("eva.huber@engage.example", "Eva Huber", "AT", "Europe/Vienna", StakeholderCategory.REGULATOR_HTA, "Austrian HTA Institute"),
    ("li.wei@engage.example", "Li Wei", "CN-BJ", "Asia/Shanghai", StakeholderCategory.ACADEMIA_RESEARCH, "Peking University"),
    ("zhang.min@engage.example", "Zhang Min", "CN-SH", "Asia/Shanghai", StakeholderCategory.HEALTHCARE_PROFESSIONAL, "Ruijin Hospital"),
    ("wang.fang@engage.example", "Wang Fang", "CN-GD", "Asia/Shanghai", StakeholderCategory.PATIENT_CITIZEN_ORGANISATION, "Guangdong Patients' Association"),
    ("chen.jie@engage.example", "Chen Jie", "CN-ZJ", "Asia/Shanghai", StakeholderCategory.INDUSTRY, "Hangzhou Biotech"),
    ("liu.yang@engage.example", "Liu Yang", "CN-SC", "Asia/Shanghai", StakeholderCategory.PAYER, "Sichuan Healthcare Security Administration"),
    ("zhao.lei@engage.example", "Zhao Lei", "CN-BJ", "Asia/Shanghai", StakeholderCategory.FUNDER, "National Natural Science Foundation"),
]  # fmt: skip

# Round r of pillar p: host city and local start time; EU rounds in the morning in Rome, Chinese
# rounds in the afternoon in Beijing, so both sides can join the video link.
_HOSTS = {
    1: ("Europe/Rome", time(10, 0), "Università Cattolica del Sacro Cuore, Largo Francesco Vito 1, Rome"),
    2: ("Asia/Shanghai", time(16, 0), "Tsinghua Changgung Hospital, Beijing"),
    3: ("Europe/Rome", time(9, 30), "Online"),
}


def _account(email, name, region, zone, category, organisation, role):
    user = create_user(
        email=email,
        password=DEMO_PASSWORD,
        display_name=name,
        role=role,
        region=region,
        timezone=zone,
        category=category,
        organisation=organisation,
    )
    record_consent(user, ConsentPurpose.PARTICIPATION)
    record_consent(user, ConsentPurpose.NAMED_IN_MINUTES)
    return user


def seed_codebook() -> list[WorkingGroup]:
    groups = []
    for number, name, description, themes in CODEBOOK:
        pillar = Pillar(number=number, name=name)
        group = WorkingGroup(pillar=pillar, name=f"WG{number}: {name}", description=description)
        for position, (theme_name, sub_topics) in enumerate(themes, start=1):
            theme = Theme(position=position, name=theme_name)
            theme.sub_topics = [SubTopic(letter=chr(ord("a") + i), name=s) for i, s in enumerate(sub_topics)]
            group.themes.append(theme)
        db.session.add(group)
        groups.append(group)
    db.session.flush()
    return groups


def _workshops(group: WorkingGroup, today: datetime) -> list[Workshop]:
    workshops = []
    for round_number in (1, 2, 3):
        zone, start_time, venue = _HOSTS[round_number]
        day = today.date() + timedelta(weeks=3 + 8 * (round_number - 1), days=2 * group.pillar.number)
        starts = datetime.combine(day, start_time, ZoneInfo(zone))
        agenda = [AgendaItem(position=1, title=f"Welcome and aims of round {round_number}", duration_minutes=15)]
        for theme in group.themes:
            agenda.append(
                AgendaItem(
                    position=len(agenda) + 1,
                    title=f"Discussion: {theme.name}",
                    description=", ".join(s.name for s in theme.sub_topics),
                    duration_minutes=40,
                )
            )
        agenda.append(
            AgendaItem(position=len(agenda) + 1, title="Next steps towards the Delphi survey", duration_minutes=20)
        )
        workshops.append(Workshop(
            working_group=group, round=round_number,
            title=f"{group.name} — workshop round {round_number}",
            description=("Discussion of the preliminary priorities from the literature mapping, gaps in the "
                         "evidence, and topics left out of the mapping."),
            starts_at=starts, ends_at=starts + timedelta(hours=3), timezone=zone,
            venue=venue, video_url=f"https://meet.engage.example/wg{group.pillar.number}-r{round_number}",
            capacity=6 if (group.pillar.number, round_number) == (3, 1) else 30,
            registration_opens_at=today, registration_closes_at=starts - timedelta(days=1),
            agenda_items=agenda,
        ))  # fmt: skip
    return workshops


def seed_demo(now: datetime) -> bool:
    """Create the demo consortium. Returns False when the database already has it."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Pillar)):
        return False
    groups = seed_codebook()
    _account(*COORDINATOR, Role.COORDINATOR)
    for group, lead in zip(groups, LEADS, strict=True):
        lead_user = _account(*lead, Role.LEAD)
        lead_user.led_working_groups.append(group)
    for participant in PARTICIPANTS:
        _account(*participant, Role.PARTICIPANT)
    for group in groups:
        db.session.add_all(_workshops(group, now))
    db.session.flush()
    seed_roadmap_actions()
    seed_demo_indicators()
    return True


def demo_accounts() -> list[tuple[str, str, str]]:
    rows = [("coordinator", COORDINATOR[0], COORDINATOR[1])]
    rows += [(f"lead, pillar {i}", lead[0], lead[1]) for i, lead in enumerate(LEADS, start=1)]
    rows += [("participant", p[0], p[1]) for p in PARTICIPANTS]
    return rows


def existing_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))
