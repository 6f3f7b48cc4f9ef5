"""The reference roadmap's actions, one per sub-topic of Table 1, written from the Results section of
Beccia et al., Front. Med. 2025 (CC BY 4.0), in our own short wording."""

import sqlalchemy as sa

from engage.extensions import db
from engage.roadmap.models import RoadmapAction
from engage.text import render_markdown
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup

REFERENCE_ACTIONS = [
    (1, 1, "a", "Promote health and digital literacy",
     "Make health literacy, including digital literacy, a prerequisite for engaging and empowering citizens and "
     "patients; inform them about genomics and predictive testing, and count on healthcare professionals' literacy "
     "as a proxy for public engagement."),
    (1, 1, "b", "Research citizens' and patients' education needs",
     "Foster needs-assessment research and communication activities on citizens' and patients' education in "
     "personalised medicine."),
    (1, 1, "c", "Sustain public trust through clear data governance",
     "Sustain trust and collaboration between research, public and private actors; protect patients' rights with "
     "data governance in line with the Helsinki Declaration and the GDPR, cyber security and comprehensive consent."),
    (1, 1, "d", "Agree values and ethical principles",
     "Base personalised medicine on a valid set of values and ethical principles that address economic challenges "
     "and the burden of inequality."),
    (1, 2, "a", "Train professionals in personalised medicine and ethics",
     "Improve healthcare professionals' literacy and expertise, valuing integrity and ethics, and promote research "
     "on effective training methods."),
    (1, 2, "b", "Build multidisciplinary training collaborations",
     "Foster collaborations between specialties and with stakeholders, and partnerships between countries to share "
     "best practice in training."),
    (1, 2, "c", "Put professional literacy on policy agendas",
     "Make personalised-medicine literacy of healthcare professionals a focal point of national strategies, "
     "policies and agendas."),
    (1, 3, "a", "Allocate resources for sustainable personalised medicine",
     "Allocate resources better, secure investment for long-term data storage, define investment priorities for "
     "innovation and identify new payment models for public reimbursement."),
    (1, 3, "b", "Factor ELSI and costs into policy and governance",
     "Consistently include ethical, legal and social implications and their costs in policy making, assessment and "
     "governance of new technologies."),
    (1, 3, "c", "Assess technologies continuously, with end users",
     "Set up continuous assessment of technologies and processes in use and integrate end-user perceptions into "
     "Health Technology Assessment."),
    (1, 3, "d", "Value networks and public-private partnerships",
     "Promote multidisciplinary, cross-sectoral and international networks and public-private partnerships to share, "
     "promote and evaluate best practice."),
    (2, 1, "a", "Lower costs and barriers to market uptake",
     "Aim personalised diagnostics and therapeutics at lower costs, appropriate use of diagnostics, insurance "
     "coverage and reimbursement of high-value solutions, with cost-effectiveness analyses covering social and "
     "health budgets."),
    (2, 1, "b", "Assess needs with early, continuous stakeholder dialogue",
     "Focus new solutions on health outcomes for patients given the epidemiological scenario, with early, intensive "
     "and continuous dialogue among all stakeholders."),
    (2, 1, "c", "Follow shared principles and reward therapeutic value",
     "Follow shared principles and universal data-sharing guidelines, reward innovation of higher therapeutic value "
     "and apply social value assessment systematically."),
    (2, 1, "d", "Take a holistic, long-term perspective on innovation",
     "Consider the long-term balance sheet and the interdependence of diagnostic and therapeutic innovations, "
     "including the risk of inappropriate use."),
    (2, 2, "a", "Make big data comparable and interoperable across borders",
     "Make data analysable, comparable and interoperable across borders, keep data of proven clinical value and "
     "foster cooperation between academia, health systems and industry."),
    (2, 2, "b", "Secure data and build trust in data sharing",
     "Prioritise data security globally, consider EU–China differences in public trust, and involve the public on "
     "the benefits and risks of data sharing."),
    (2, 2, "c", "Adopt standards for combining and sharing data",
     "Study how to combine genetic and clinical data from different regions, and adopt standards and common "
     "policies for cross-border data sharing."),
    (3, 1, "a", "Fund research around patients' needs",
     "Tailor funding to patients' needs, give patients and caregivers a voice at every stage of research and "
     "define unmet needs as the ground for new collaborations."),
    (3, 1, "b", "Invest responsibly along the value chain",
     "Invest from basic science to implementation, with public and private funders prioritising resources "
     "responsibly, including the research translation system."),
    (3, 1, "c", "Create synergies between funders and researchers",
     "Align funders with the research community, fund researcher mobility, and join funders to back larger, "
     "cutting-edge projects with shared risk."),
    (3, 2, "a", "Advance omics sciences and innovative models",
     "Promote omics beyond genomics to find biomarkers, phenotype patients to standards, and evaluate models such as "
     "induced pluripotent stem cells and organs-on-chips with international partners."),
    (3, 2, "b", "Standardise data access and patient stratification",
     "Standardise controlled-access models for data and trials, fund machine-learning research for stratification, "
     "and promote dialogue between regulatory agencies."),
    (3, 2, "c", "Support international research collaborations",
     "Support foundations and funders in international collaboration, especially in oncology and rare diseases, with "
     "public-private frameworks for access to samples and data and dialogue with regulators and HTA agencies."),
]  # fmt: skip


def seed_roadmap_actions() -> int:
    """Add the reference actions to the codebook's sub-topics. Returns how many were added."""
    sub_topics = {
        (number, position, letter): sub_topic_id
        for number, position, letter, sub_topic_id in db.session.execute(
            sa.select(Pillar.number, Theme.position, SubTopic.letter, SubTopic.id)
            .join(Theme, SubTopic.theme_id == Theme.id)
            .join(WorkingGroup, Theme.working_group_id == WorkingGroup.id)
            .join(Pillar, WorkingGroup.pillar_id == Pillar.id)
        )
    }
    added = 0
    for number, position, letter, title, description in REFERENCE_ACTIONS:
        sub_topic_id = sub_topics.get((number, position, letter))
        if sub_topic_id is None:
            continue
        db.session.add(
            RoadmapAction(
                sub_topic_id=sub_topic_id,
                title=title,
                description=description,
                description_html=render_markdown(description),
            )
        )
        added += 1
    db.session.flush()
    return added
