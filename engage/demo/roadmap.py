"""The roadmap: the reference paper's 24 actions, one per sub-topic of Table 1, written from the Results section
of Beccia et al., Front. Med. 2025 (CC BY 4.0) in our own short wording, each traced to its priorities.

The paper merged its 65 priorities into these actions by the sub-topic each was coded to; so does the demo
for pillars I and II, whose surveys are finalised. Pillar III's survey is still in round 2, so it has no
priorities yet: its six actions are traced, provisionally and said so in their text, to the priorities of
pillars I and II they build on. The software's rule stays intact (an action's sources are priorities, and
priorities come only from a finalised survey); pillar III's own priorities join its actions once its
survey is finalised.
"""

from engage.demo import chinese
from engage.demo.story import Story
from engage.roadmap.services import create_action
from engage.text import render_markdown

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

# Pillar III's actions, until its survey is finalised: the pillar I and II priorities each builds on.
PROVISIONAL_TRACES = {
    "3.1.a": ("I-06", "I-08", "II-10"),
    "3.1.b": ("I-31", "I-33", "II-17"),
    "3.1.c": ("I-26", "I-44", "I-45"),
    "3.2.a": ("I-03", "II-31"),
    "3.2.b": ("II-21", "II-32", "II-33"),
    "3.2.c": ("I-44", "II-08", "II-23"),
}
PROVISIONAL_NOTE = (
    "\n\n_Provisional trace: the priorities of pillars I and II this action builds on. The priorities of the "
    "pillar III Delphi survey join it when that survey is finalised._"
)


def action_titles() -> dict[str, str]:
    """Codebook code → the action's title."""
    return {f"{p}.{t}.{letter}": title for p, t, letter, title, _description in REFERENCE_ACTIONS}


def sources(story: Story, code: str) -> list[int]:
    """The priority ids an action is traced to: those coded to its sub-topic, or pillar III's provisional ones."""
    if code in PROVISIONAL_TRACES:
        return story.priority_ids(PROVISIONAL_TRACES[code])
    return [p.id for p in story.priorities_coded(code)]


def create_actions(story: Story, *, day: int) -> None:
    """The coordinator drafts the roadmap from the priorities and the round-2 workshops' proposals."""
    for number, position, letter, title, description in REFERENCE_ACTIONS:
        code = f"{number}.{position}.{letter}"
        provisional = code in PROVISIONAL_TRACES
        text = description + (PROVISIONAL_NOTE if provisional else "")
        action = create_action(
            actor=story.cast.coordinator,
            data={"sub_topic_id": story.codes[code], "title": title, "description": text,
                  "priority_ids": sources(story, code)},
            now=story.clock.at(day, 14),
        )  # fmt: skip
        title_zh, description_zh = chinese.ACTIONS[code]
        action.title_zh = title_zh
        action.description_zh = description_zh + (chinese.PROVISIONAL_NOTE if provisional else "")
        action.description_html_zh = render_markdown(action.description_zh)  # as the service renders the English
        story.actions[code] = action
