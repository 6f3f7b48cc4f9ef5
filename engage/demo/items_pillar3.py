"""Pillar III, Research and clinical studies in PM: round 1 closed, round 2 open now.

The items carried into round 2 come with what panellists wrote in round 1, which round 2 shows them.
"""

from engage.demo.delphi_plan import WORKSHOP, added, item

ITEMS = [
    # 3.1.a Patient needs
    item("III-01", "3.1.a", "Tailor research funding to the needs of patients.", 84),
    item("III-02", "3.1.a", "Give patients and caregivers a voice at every stage of research, from co-designing "
         "projects to advisory roles.", 80),
    item("III-03", "3.1.a", "Improve the scientific literacy of patients and researchers through educational "
         "initiatives.", 66, 74, rationales=(
             "Patients on our advisory board asked for exactly this before they could co-design anything.",
             "Researchers need it as much as patients; the item should say so more clearly.",
             "Useful, but patient organisations already run such courses; fund them rather than start new ones.",
         )),
    item("III-04", "3.1.a", "Define unmet needs and potential incremental innovation as the basis for new "
         "international collaborations.", 72),
    # 3.1.b Value chain
    item("III-05", "3.1.b", "Invest along the entire value chain, from basic science to implementing personalised "
         "medicine in healthcare.", 86),
    item("III-06", "3.1.b", "Prioritise resource allocation responsibly, as public and private funders are the first "
         "filter.", 68, 75,
         reword="Make funders' prioritisation of resources transparent and accountable, as public and private "
         "funders are the first filter.",
         reason="Rationales asked what “responsibly” means in practice; reworded after the round-2 workshop.",
         rationales=(
             "“Responsibly” means nothing unless the criteria are published.",
             "Private funders will not accept being told how to prioritise.",
             "Agree; the first filter decides what reaches patients ten years later.",
         )),
    item("III-07", "3.1.b", "Invest adequately in the research translation system.", 78),
    item("III-08", "3.1.b", "Fund implementation research on personalised medicine in primary care.", 54, 59,
         origin=WORKSHOP, rationales=(
             "Primary care is where most patients would first meet personalised medicine.",
             "Too early: most tests are not yet used reliably in specialist care.",
             "Relevant in the EU; in China primary care has other urgent needs first.",
         )),
    # 3.1.c Synergies
    item("III-09", "3.1.c", "Establish synergies between funders and the research community.", 77),
    item("III-10", "3.1.c", "Fund mobility programmes for the exchange of researchers between countries.", 81),
    item("III-11", "3.1.c", "Align funders on shared research themes and fund larger, bolder projects that share risk.",
         64, 71, rationales=(
             "Joint calls between EU and Chinese funders have worked before, for example in the flagship calls.",
             "Bolder projects need longer funding periods than most funders allow.",
             "Risk sharing is attractive, but the governance of such projects is heavy.",
         )),
    item("III-12", "3.1.c", "Launch a joint EU–China funding call for personalised medicine every year.", 49, drop=True,
         reason="Overlaps with aligning funders (III-11); rationales said the rhythm of calls is the funders' "
         "decision, not a priority for the panel.", rationales=(
             "Every year is unrealistic for most funders.",
         )),
    # 3.2.a Omics sciences
    item("III-13", "3.2.a", "Promote omics sciences beyond genomics to identify biomarkers suitable for personalised "
         "medicine.", 88),
    item("III-14", "3.2.a", "Phenotype patients following defined standards, so that similar patients can be "
         "identified.", 74),
    item("III-15", "3.2.a", "Evaluate and adopt innovative models such as induced pluripotent stem cells and "
         "organs-on-chips, with international partners.", 61, 66, rationales=(
             "Promising, but validation is years away for most indications.",
             "Organs-on-chips could reduce animal testing; worth a priority.",
             "Evaluate yes, adopt not yet: the item asks for two different things.",
         )),
    item("III-16", "3.2.a", "Integrate lifestyle and environmental data with omics data in research cohorts.", 67, 72,
         origin=WORKSHOP, rationales=(
             "Health is beyond genetics; cohorts without exposure data miss most of the picture.",
             "Privacy risks grow with every data type linked.",
         )),
    # 3.2.b Data and standards
    item("III-17", "3.2.b", "Standardise controlled-access models for data sharing and clinical trials.", 79),
    item("III-18", "3.2.b", "Fund research on machine-learning algorithms for patient stratification in complex, "
         "non-genetic diseases.", 70),
    item("III-19", "3.2.b", "Use specific use cases to develop common international standards and tools for research.",
         65, 77,
         reword="Develop common international standards and research tools from concrete use cases, such as DPYD "
         "testing before fluoropyrimidine treatment.",
         reason="Panellists asked for an example of a use case; the round-2 workshop proposed DPYD testing.",
         rationales=(
             "Which use cases? Without an example this is hard to rate.",
             "Use cases are how standards actually get adopted.",
         )),
    item("III-20", "3.2.b", "Promote exchange and dialogue between regulatory agencies on benefit–risk questions in "
         "personalised medicine.", 76),
    # 3.2.c Collaborations
    item("III-21", "3.2.c", "Support non-profit foundations and funding agencies in promoting international "
         "collaboration, especially in oncology and rare diseases.", 83),
    item("III-22", "3.2.c", "Set up funding programmes and operational frameworks for public–private access to "
         "biological samples and data.", 75),
    item("III-23", "3.2.c", "Strengthen dialogue with regulatory and HTA agencies, companies and academia on the "
         "outcomes to research and the methods to use.", 71),
    item("III-24", "3.2.c", "Adapt study designs to the characteristics of study populations while ensuring patient "
         "safety.", 63, 70, rationales=(
             "Adaptive designs are essential for rare diseases with tiny populations.",
             "Safety must not become the price of flexibility.",
         )),
    item("III-25", "3.2.c", "Open the biobanks of EU and Chinese partners to each other's researchers under common "
         "rules.", 58, 64, origin=WORKSHOP, rationales=(
             "The biobank pilot showed it can work when the rules are agreed first.",
             "Export rules for human genetic resources make this very hard today.",
             "Common rules, yes; opening everything at once, no.",
         )),
    item("III-26", "3.2.c", "Include data scientists as core members of multidisciplinary tumour boards.", 52, 57,
         rationales=(
             "Our tumour board could not read the genomic reports without one.",
             "A hospital matter, not a research priority.",
         )),
    item("III-27", "3.2.a 3.2.c", "Develop new clinical-trial designs that include omics-based instruments.", 73),
    item("III-28", "3.1.c", "Value existing funding instruments for cross-sectional research before creating new ones.",
         57, 62, rationales=(
             "There are already too many small instruments; use them better.",
             "Existing instruments rarely allow EU–China consortia.",
         )),
]  # fmt: skip

ROUND_2_ITEMS = [
    added("A-III1", "3.1.a", "Report the results of personalised-medicine trials to their participants in plain "
          "language.", 78, reason="Suggested by patient organisations in their round-1 rationales."),
]  # fmt: skip
