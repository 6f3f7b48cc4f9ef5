"""The people of the demo: named accounts to sign in with, and a pool of fictional experts.

The named accounts (coordinator, one lead per pillar, twelve participants) share DEMO_PASSWORD. The experts
fill the Delphi panels and the workshops as the reference project's ~47 experts did (EU and China, every
stakeholder category); they cannot sign in. All people are fictional; organisations are real names of the
kind of body each expert works for.
"""

import random
import unicodedata
from dataclasses import dataclass, field

from engage.auth.models import ConsentPurpose, Role, StakeholderCategory, User
from engage.auth.regions import RegionGroup, region_group
from engage.auth.services import hash_password, record_consent, validate_profile
from engage.demo.clock import DemoClock
from engage.errors import ValidationError
from engage.extensions import db

DEMO_PASSWORD = "engage-demo-2026"
# Not an argon2 hash: verification fails for every password, so the experts cannot sign in.
NO_SIGN_IN = "!demo-expert-no-sign-in"

Cat = StakeholderCategory

COORDINATOR = (
    "coordinator@engage.example",
    "Elena Ricci",
    "IT",
    "Europe/Rome",
    Cat.ACADEMIA_RESEARCH,
    "Università Cattolica del Sacro Cuore",
)
LEADS = {  # pillar number → lead
    1: (
        "lead.pillar1@engage.example",
        "Chiara Conti",
        "IT",
        "Europe/Rome",
        Cat.ACADEMIA_RESEARCH,
        "Fondazione Policlinico Gemelli",
    ),
    2: (
        "lead.pillar2@engage.example",
        "Huang Mei",
        "CN-BJ",
        "Asia/Shanghai",
        Cat.INDUSTRY,
        "Jingyi Alliance Clinical Application",
    ),
    3: ("lead.pillar3@engage.example", "Thomas Weber", "DE", "Europe/Berlin", Cat.FUNDER, "Steinbeis Europa Zentrum"),
}
PARTICIPANTS = [
    ("giulia.romano@engage.example", "Giulia Romano", "IT", "Europe/Rome", Cat.HEALTHCARE_PROFESSIONAL, "Ospedale San Raffaele"),
    ("lukas.becker@engage.example", "Lukas Becker", "DE", "Europe/Berlin", Cat.ACADEMIA_RESEARCH, "Charité Berlin"),
    ("sophie.martin@engage.example", "Sophie Martin", "FR", "Europe/Paris", Cat.PATIENT_CITIZEN_ORGANISATION, "Alliance Maladies Rares"),
    ("ana.silva@engage.example", "Ana Silva", "PT", "Europe/Lisbon", Cat.POLICYMAKER, "Ministério da Saúde"),
    ("jan.devries@engage.example", "Jan de Vries", "NL", "Europe/Amsterdam", Cat.INDUSTRY, "Genomics BV"),
    ("eva.huber@engage.example", "Eva Huber", "AT", "Europe/Vienna", Cat.REGULATOR_HTA, "Austrian HTA Institute"),
    ("li.wei@engage.example", "Li Wei", "CN-BJ", "Asia/Shanghai", Cat.ACADEMIA_RESEARCH, "Peking University"),
    ("zhang.min@engage.example", "Zhang Min", "CN-SH", "Asia/Shanghai", Cat.HEALTHCARE_PROFESSIONAL, "Ruijin Hospital"),
    ("wang.fang@engage.example", "Wang Fang", "CN-GD", "Asia/Shanghai", Cat.PATIENT_CITIZEN_ORGANISATION, "Guangdong Patients' Association"),
    ("chen.jie@engage.example", "Chen Jie", "CN-ZJ", "Asia/Shanghai", Cat.INDUSTRY, "Hangzhou Biotech"),
    ("liu.yang@engage.example", "Liu Yang", "CN-SC", "Asia/Shanghai", Cat.PAYER, "Sichuan Healthcare Security Administration"),
    ("zhao.lei@engage.example", "Zhao Lei", "CN-BJ", "Asia/Shanghai", Cat.FUNDER, "National Natural Science Foundation"),
]  # fmt: skip

# Experts per stakeholder category: how many from the EU and from China.
EXPERT_COUNTS = {
    Cat.HEALTHCARE_PROFESSIONAL: (9, 8), Cat.ACADEMIA_RESEARCH: (9, 9), Cat.PATIENT_CITIZEN_ORGANISATION: (6, 4),
    Cat.POLICYMAKER: (5, 4), Cat.REGULATOR_HTA: (5, 3), Cat.INDUSTRY: (6, 6), Cat.PAYER: (3, 3),
    Cat.FUNDER: (4, 4), Cat.OTHER: (2, 1),
}  # fmt: skip

# Where experts of each category work: (region, organisation).
EU_ORGANISATIONS = {
    Cat.HEALTHCARE_PROFESSIONAL: [("IT", "Ospedale Niguarda, Milan"), ("DE", "Universitätsklinikum Heidelberg"),
                                  ("FR", "Institut Gustave Roussy"), ("ES", "Hospital Clínic de Barcelona"),
                                  ("NL", "Erasmus MC"), ("SE", "Karolinska University Hospital"),
                                  ("PL", "Medical University of Warsaw"), ("IE", "St James's Hospital, Dublin")],
    Cat.ACADEMIA_RESEARCH: [("IT", "Università di Bologna"), ("DE", "Helmholtz Munich"), ("FR", "Inserm"),
                            ("NL", "Leiden University Medical Center"), ("ES", "Instituto de Salud Carlos III"),
                            ("BE", "VIB, Ghent"), ("FI", "Institute for Molecular Medicine Finland"),
                            ("DK", "University of Copenhagen")],
    Cat.PATIENT_CITIZEN_ORGANISATION: [("FR", "France Assos Santé"), ("IT", "Cittadinanzattiva"),
                                       ("DE", "Deutsche Krebshilfe"), ("BE", "European Patients' Forum"),
                                       ("ES", "Plataforma de Organizaciones de Pacientes"), ("IE", "IPPOSI")],
    Cat.POLICYMAKER: [("IT", "Ministero della Salute"), ("DE", "Bundesministerium für Gesundheit"),
                      ("ES", "Ministerio de Sanidad"), ("NL", "Ministerie van VWS"), ("GR", "Ministry of Health, Athens")],
    Cat.REGULATOR_HTA: [("IT", "AIFA"), ("DE", "IQWiG"), ("FR", "Haute Autorité de Santé"), ("BE", "KCE"),
                        ("NL", "Zorginstituut Nederland")],
    Cat.INDUSTRY: [("DE", "Bayer AG"), ("FR", "Sanofi"), ("NL", "Philips Healthcare"), ("IT", "Menarini"),
                   ("DK", "Novo Nordisk"), ("BE", "UCB")],
    Cat.PAYER: [("DE", "AOK-Bundesverband"), ("NL", "Zilveren Kruis"), ("FR", "Assurance Maladie")],
    Cat.FUNDER: [("DE", "Deutsche Forschungsgemeinschaft"), ("NL", "ZonMw"), ("IT", "Fondazione Telethon"),
                 ("SE", "Vinnova")],
    Cat.OTHER: [("AT", "BBMRI-ERIC"), ("IT", "Science journalist")],
}  # fmt: skip
CHINA_ORGANISATIONS = {
    Cat.HEALTHCARE_PROFESSIONAL: [("CN-BJ", "Peking Union Medical College Hospital"), ("CN-SH", "Zhongshan Hospital"),
                                  ("CN-GD", "Sun Yat-sen University Cancer Center"), ("CN-SC", "West China Hospital"),
                                  ("CN-HB", "Tongji Hospital, Wuhan"), ("CN-ZJ", "First Affiliated Hospital, Zhejiang University")],
    Cat.ACADEMIA_RESEARCH: [("CN-BJ", "Chinese Academy of Medical Sciences"), ("CN-SH", "Fudan University"),
                            ("CN-JS", "Nanjing Medical University"), ("CN-GD", "Southern Medical University"),
                            ("CN-BJ", "Tsinghua University"), ("CN-SD", "Shandong University")],
    Cat.PATIENT_CITIZEN_ORGANISATION: [("CN-BJ", "China Anti-Cancer Association, patient branch"),
                                       ("CN-SH", "Shanghai Rare Disease Alliance"), ("CN-ZJ", "Zhejiang Patients' Voice")],
    Cat.POLICYMAKER: [("CN-BJ", "National Health Commission"), ("CN-GD", "Guangdong Health Commission"),
                      ("CN-SH", "Shanghai Municipal Health Commission")],
    Cat.REGULATOR_HTA: [("CN-BJ", "National Medical Products Administration"),
                        ("CN-BJ", "China National Health Development Research Center")],
    Cat.INDUSTRY: [("CN-GD", "BGI Genomics, Shenzhen"), ("CN-SH", "Shanghai Biotech Park"), ("CN-JS", "Jiangsu Hengrui"),
                   ("CN-ZJ", "Hangzhou Diagnostics"), ("CN-BJ", "Beijing Genomics Solutions")],
    Cat.PAYER: [("CN-BJ", "National Healthcare Security Administration"), ("CN-SH", "Shanghai Medical Insurance Bureau"),
                ("CN-GD", "Ping An Health Insurance")],
    Cat.FUNDER: [("CN-BJ", "Ministry of Science and Technology"), ("CN-SH", "Shanghai Science and Technology Commission"),
                 ("CN-BJ", "Beijing Municipal Science and Technology Commission")],
    Cat.OTHER: [("CN-BJ", "Health policy consultant")],
}  # fmt: skip
ZONES = {"IT": "Europe/Rome", "DE": "Europe/Berlin", "FR": "Europe/Paris", "ES": "Europe/Madrid", "NL": "Europe/Amsterdam",
         "SE": "Europe/Stockholm", "PL": "Europe/Warsaw", "IE": "Europe/Dublin", "BE": "Europe/Brussels",
         "FI": "Europe/Helsinki", "DK": "Europe/Copenhagen", "GR": "Europe/Athens", "AT": "Europe/Vienna"}  # fmt: skip
EU_NAMES = {
    "IT": (["Marco", "Francesca", "Luca", "Sara", "Davide", "Martina"], ["Rossi", "Bianchi", "Greco", "Gallo", "Fontana"]),
    "DE": (["Anna", "Felix", "Katrin", "Jonas", "Miriam"], ["Müller", "Schmidt", "Fischer", "Hoffmann", "Schäfer"]),
    "FR": (["Camille", "Julien", "Claire", "Nicolas", "Élise"], ["Dubois", "Laurent", "Moreau", "Lefèvre", "Girard"]),
    "ES": (["Lucía", "Javier", "Carmen", "Pablo"], ["García", "Fernández", "López", "Navarro"]),
    "NL": (["Sanne", "Daan", "Lotte", "Bram"], ["Jansen", "de Jong", "Bakker", "Visser"]),
    "SE": (["Emma", "Erik", "Ingrid"], ["Andersson", "Lindberg", "Nyström"]),
    "PL": (["Agnieszka", "Piotr", "Magda"], ["Nowak", "Kowalski", "Wiśniewska"]),
    "IE": (["Aoife", "Ciarán", "Niamh"], ["Murphy", "O'Brien", "Byrne"]),
    "BE": (["Louise", "Thomas", "Lien"], ["Peeters", "Janssens", "Maes"]),
    "FI": (["Aino", "Mikko"], ["Virtanen", "Korhonen"]),
    "DK": (["Freja", "Mads"], ["Nielsen", "Jensen"]),
    "GR": (["Eleni", "Nikos"], ["Papadopoulou", "Georgiou"]),
    "AT": (["Katharina", "Florian"], ["Gruber", "Bauer"]),
}  # fmt: skip
CHINESE_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
                    "Hu", "Guo", "He", "Lin", "Gao", "Luo"]  # fmt: skip
CHINESE_GIVEN_NAMES = ["Jun", "Hui", "Ying", "Fang", "Qiang", "Na", "Tao", "Xin", "Yan", "Ping", "Hao", "Jing", "Bo",
                       "Lan", "Wen", "Yu", "Chao", "Rui", "Xiaoling", "Jianguo", "Meiling", "Zhiwei"]  # fmt: skip


@dataclass
class Cast:
    coordinator: User
    leads: dict[int, User]
    participants: list[User]
    experts: list[User] = field(default_factory=list)

    def participant(self, email_start: str) -> User:
        return next(p for p in self.participants if p.email.startswith(email_start))

    @property
    def panel_eligible(self) -> list[User]:
        return self.participants + self.experts


def create_cast(clock: DemoClock, rng: random.Random) -> Cast:
    """Every account, created half a year before the run date with its consents."""
    created = clock.at(-200, 9)
    # One argon2 hash for all named accounts: each costs ~0.1 s to compute, and they share the password anyway.
    password_hash = hash_password(DEMO_PASSWORD)
    cast = Cast(
        coordinator=_person(*COORDINATOR, Role.COORDINATOR, password_hash, created),
        leads={number: _person(*lead, Role.LEAD, password_hash, created) for number, lead in LEADS.items()},
        participants=[_person(*p, Role.PARTICIPANT, password_hash, created) for p in PARTICIPANTS],
    )
    taken = {u.display_name for u in [cast.coordinator, *cast.leads.values(), *cast.participants]}
    for category, (eu, china) in EXPERT_COUNTS.items():
        for group, count in ((RegionGroup.EU, eu), (RegionGroup.CHINA, china)):
            for _ in range(count):
                cast.experts.append(_expert(category, group, rng, taken, clock.at(rng.randint(-199, -160), 10)))
    db.session.flush()
    return cast


def _person(email, name, region, zone, category, organisation, role, password_hash, created, *, named=True) -> User:
    """An account as sign-up makes it: profile checked by the same rules, consent recorded with its text version.

    Written as a row rather than through create_user only to share one password hash (see create_cast).
    """
    profile = {"region": region, "timezone": zone, "category": category, "display_name": name}
    errors = validate_profile(profile)
    if errors:
        raise ValidationError("Demo account not valid", errors=errors)
    # People in China read Engage in Chinese (their e-mails too); everyone else in English.
    locale = "zh" if region.startswith("CN-") else "en"
    user = User(
        email=email, password_hash=password_hash, display_name=name, role=role, region=region, timezone=zone,
        category=category, organisation=organisation, created_at=created, locale=locale,
    )  # fmt: skip
    db.session.add(user)
    record_consent(user, ConsentPurpose.PARTICIPATION, now=created)
    if named:
        record_consent(user, ConsentPurpose.NAMED_IN_MINUTES, now=created)
    return user


def _expert(category: StakeholderCategory, group: RegionGroup, rng: random.Random, taken: set, created) -> User:
    organisations = EU_ORGANISATIONS if group is RegionGroup.EU else CHINA_ORGANISATIONS
    region, organisation = rng.choice(organisations[category])
    while True:
        if group is RegionGroup.EU:
            firsts, lasts = EU_NAMES[region]
            name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        else:
            name = f"{rng.choice(CHINESE_SURNAMES)} {rng.choice(CHINESE_GIVEN_NAMES)}"
        local = "".join(c for c in _ascii(name).lower().replace(" ", ".") if c.isalnum() or c == ".")
        if name not in taken and local not in taken:
            break
    taken.update((name, local))
    email = f"{local}@experts.engage.example"
    zone = ZONES.get(region, "Asia/Shanghai") if region_group(region) is RegionGroup.EU else "Asia/Shanghai"
    # About a quarter do not wish to be named in minutes: they are counted by category and region only.
    return _person(email, name, region, zone, category, organisation, Role.PARTICIPANT, NO_SIGN_IN, created,
                   named=rng.random() > 0.25)  # fmt: skip


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def demo_accounts() -> list[tuple[str, str, str]]:
    rows = [("coordinator", COORDINATOR[0], COORDINATOR[1])]
    rows += [(f"lead, pillar {number}", lead[0], lead[1]) for number, lead in LEADS.items()]
    rows += [("participant", p[0], p[1]) for p in PARTICIPANTS]
    return rows
