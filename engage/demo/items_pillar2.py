"""Pillar II, Innovation and market: the Delphi items and how they fared (27 became priorities)."""

from engage.demo.delphi_plan import WORKSHOP, added, item

ITEMS = [
    # 2.1.a Cost-effectiveness
    item("II-01", "2.1.a", "Gear personalised diagnostics and therapeutics towards lower costs and fewer barriers to "
         "market uptake.", 81),
    item("II-02", "2.1.a", "Promote research on the appropriate use of diagnostic tools, avoiding overuse, "
         "overdiagnosis and overtreatment.", 89),
    item("II-03", "2.1.a", "Extend health-insurance coverage to innovative, high-value personalised-medicine "
         "solutions.", 73),
    item("II-04", "2.1.a", "Reduce barriers to the reimbursement of personalised-medicine services.", 66, 74),
    item("II-05", "2.1.a", "Include social as well as health budgets, and non-optimal resource use, in economic and "
         "cost-effectiveness analyses.", 71),
    item("II-06", "2.1.a", "Require a cost-effectiveness analysis before any personalised-medicine test is "
         "reimbursed.", 57, 62),
    # 2.1.b Needs assessment
    item("II-07", "2.1.b", "Design new solutions to maximise health outcomes for patients, given the epidemiological "
         "scenario.", 86),
    item("II-08", "2.1.b", "Hold early, intensive and continuous dialogue among all personalised-medicine "
         "stakeholders.", 84),
    item("II-09", "2.1.b", "Coordinate stakeholders to optimise processes and speed up the acquisition of new "
         "technologies and tools.", 68, 72,
         reword="Coordinate stakeholders so that health services acquire proven technologies and tools faster.",
         reason="Rationales asked that speed should not come before evidence; “proven” added."),
    item("II-10", "2.1.b", "Assess unmet needs together with patients before developing new diagnostics.", 75,
         origin=WORKSHOP),
    item("II-11", "2.1.b", "Let patient organisations co-decide on the market entry of new diagnostics.", 36, 40),
    # 2.1.c Principles and guidelines
    item("II-12", "2.1.c", "Follow shared principles across personalised-medicine actors in the EU and China.", 77),
    item("II-13", "2.1.c", "Adopt universal guidelines for data sharing and exchange.", 72),
    item("II-14", "2.1.c", "Reward innovations that aim at higher therapeutic value.", 79),
    item("II-15", "2.1.c", "Apply social value assessment systematically to personalised-medicine innovations.", 63,
         71),
    item("II-16", "2.1.c", "Harmonise EU and Chinese pricing rules for companion diagnostics.", 45, drop=True,
         reason="Pricing is a national competence, outside what the consortium's stakeholders can act on."),
    # 2.1.d Perspectives
    item("II-17", "2.1.d", "Take a holistic, long-term view of the balance sheet when stimulating innovation.", 74),
    item("II-18", "2.1.d", "Consider how diagnostic and therapeutic innovations depend on each other.", 80),
    item("II-19", "2.1.d", "Weigh the risk of inappropriate use and overuse of new personalised-medicine products.",
         69, 77),
    item("II-20", "2.1.d", "Prefer platform technologies over single-indication products in public procurement.", 50,
         53),
    # 2.2.a Data exchange
    item("II-21", "2.2.a", "Make big data analysable, comparable and interoperable across borders.", 91),
    item("II-22", "2.2.a", "Retain data of proven clinical or management value, favouring data on health outcomes.",
         70),
    item("II-23", "2.2.a", "Foster cooperation between academia, health systems (providers and payers) and industry to "
         "ease data exchange.", 82),
    item("II-24", "2.2.a", "Build federated data infrastructures that link EU and Chinese cohorts without moving raw "
         "data.", 62, 70, origin=WORKSHOP),
    item("II-25", "2.2.a", "Create a single EU–China data hub for personalised-medicine research.", 39, 44),
    # 2.2.b Privacy, security, and trust
    item("II-26", "2.2.b", "Make data security a priority in developing new ICT solutions, globally and not only in "
         "high-income countries.", 87),
    item("II-27", "2.2.b", "Consider EU–China social and cultural differences in public trust in government and state "
         "authorities.", 72),
    item("II-28", "2.2.b", "Involve the public to raise awareness of the benefits, purposes and risks of data sharing, "
         "anonymisation and private-sector involvement included.", 78),
    item("II-29", "2.2.b", "Foster data-protection frameworks aligned with societal agreement.", 67, 73,
         reword="Develop data-protection frameworks grounded in public consultation and societal agreement.",
         reason="Panellists asked how “societal agreement” would be established; the wording now says."),
    item("II-30", "2.2.b", "Allow secondary use of anonymised health data without consent.", 42, 37),
    # 2.2.c Standards
    item("II-31", "2.2.c", "Study how to combine genetic and clinical data from different sources and regions "
         "effectively.", 83),
    item("II-32", "2.2.c", "Adopt and implement standards for data use in personalised medicine.", 85),
    item("II-33", "2.2.c", "Establish common policies and global efforts for cross-border data sharing.", 68, 72),
]  # fmt: skip

ROUND_2_ITEMS = [
    added("A-II1", "2.2.c", "Adopt one international standard for the consent metadata attached to genomic data.", 61,
          reason="Suggested by two panellists from industry and one regulator in round 1."),
]  # fmt: skip
