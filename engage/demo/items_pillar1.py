"""Pillar I, Shaping sustainable healthcare: the Delphi items and how they fared (38 became priorities)."""

from engage.demo.delphi_plan import WORKSHOP, added, item, merged

ITEMS = [
    # 1.1.a Health literacy
    item("I-01", "1.1.a", "Make health literacy a prerequisite of every personalised-medicine programme that engages "
         "citizens and patients.", 88),
    item("I-02", "1.1.a", "Improve citizens' and patients' digital literacy so that they can use digital health tools "
         "and their own data.", 84),
    item("I-03", "1.1.a", "Inform citizens and patients about genomics and predictive genetic testing, and what the "
         "results mean for their health trajectories.", 79, origin=WORKSHOP),
    item("I-04", "1.1.a", "Count healthcare professionals' literacy as a lever for public engagement.", 64, 73,
         reword="Strengthen healthcare professionals' health literacy, as they are a proxy for public engagement in "
         "the self-management of health and disease.",
         reason="Round-1 rationales found “count … as a lever” unclear; reworded with the paper's own reasoning."),
    item("I-05", "1.1.a", "Teach personalised-medicine literacy in secondary-school curricula.", 52, 58),
    # 1.1.b Research
    item("I-06", "1.1.b", "Fund needs-assessment research on what citizens and patients need to know about "
         "personalised medicine.", 81),
    item("I-07", "1.1.b", "Evaluate communication activities on personalised medicine for their effect on patient "
         "empowerment.", 74),
    item("I-08", "1.1.b", "Involve patient organisations in designing research on citizens' education in personalised "
         "medicine.", 66, 76, origin=WORKSHOP),
    item("I-09", "1.1.b", "Create an EU–China observatory of citizens' attitudes to personalised medicine.", 48,
         drop=True, reason="Overlaps with the needs-assessment items; panellists judged an observatory beyond the "
         "consortium's reach."),
    # 1.1.c Public trust
    item("I-10", "1.1.c", "Sustain public trust through collaboration between research, public organisations and "
         "private institutions, nationally and internationally.", 77),
    item("I-11", "1.1.c", "Govern health data in line with the Helsinki Declaration and the GDPR, so that patients' "
         "rights are protected.", 92),
    item("I-12", "1.1.c", "Implement technical safeguards for the cyber security of health and genomic data.", 86),
    item("I-13", "1.1.c", "Develop comprehensive consent procedures where personalised-medicine research needs them.",
         71),
    item("I-14", "1.1.c", "Publish every public–private data-sharing agreement in personalised medicine.", 58, 63,
         reword="Make public–private data-sharing agreements in personalised medicine public, within the limits of "
         "trade secrets.", reason="Several panellists objected to publishing agreements in full."),
    # 1.1.d ELSI
    item("I-15", "1.1.d", "Base personalised medicine on an explicit set of values and ethical principles.", 75),
    item("I-16", "1.1.d", "Address the economic challenges of personalised medicine so that it does not widen "
         "inequalities.", 69, 78),
    item("I-17", "1.1.d", "Monitor inequalities in access to personalised medicine between and within countries.", 60,
         merge_into="M-I1"),
    item("I-18", "1.1.d", "Report the burden of inequality in access to genomic testing in national health "
         "statistics.", 55, merge_into="M-I1"),
    # 1.2.a Education and ethics
    item("I-19", "1.2.a", "Improve healthcare professionals' literacy and expertise in personalised medicine.", 90),
    item("I-20", "1.2.a", "Teach integrity and ethics as part of professional training in personalised medicine.", 80),
    item("I-21", "1.2.a", "Promote research on effective methods of training healthcare professionals in "
         "personalised medicine.", 72),
    item("I-22", "1.2.a", "Include genomics and data science in continuing medical education for all specialties.",
         68, 75, origin=WORKSHOP),
    item("I-23", "1.2.a", "Make a personalised-medicine module mandatory for licensing every healthcare professional.",
         44, 49),
    # 1.2.b Collaborations
    item("I-24", "1.2.b", "Train professionals of different specialties together, around multidisciplinary cases.",
         78),
    item("I-25", "1.2.b", "Involve patients and other stakeholders in the training of healthcare professionals.", 71),
    item("I-26", "1.2.b", "Establish partnerships between countries, EU–China exchanges included, to share best "
         "practice in training.", 83),
    item("I-27", "1.2.b", "Fund joint EU–China professional exchange fellowships of at least six months.", 57, 61),
    # 1.2.c Policies
    item("I-28", "1.2.c", "Make personalised-medicine literacy of healthcare professionals a focal point of national "
         "health strategies.", 76),
    item("I-29", "1.2.c", "Include the training needs of personalised medicine in health-workforce planning.", 67, 71),
    item("I-30", "1.2.c", "Recognise personalised-medicine training in professional accreditation and career "
         "progression.", 62, 72,
         reword="Recognise accredited training in personalised medicine in professionals' continuing-education "
         "credits.", reason="Rationales found career progression out of reach for health policy; reworded to "
         "continuing-education credits."),
    # 1.3.a Resources
    item("I-31", "1.3.a", "Allocate resources to personalised medicine where they improve health-system "
         "sustainability.", 73),
    item("I-32", "1.3.a", "Secure a long-term investment stream for storing health and genomic data.", 85),
    item("I-33", "1.3.a", "Define investment priorities for product and process innovation, weighing results against "
         "costs.", 70),
    item("I-34", "1.3.a", "Identify new payment models for the public reimbursement of personalised medicine.", 78),
    item("I-35", "1.3.a", "Ring-fence a share of national health budgets for personalised medicine.", 41, 46),
    # 1.3.b ELSI and costs
    item("I-36", "1.3.b 1.1.d", "Factor ethical, legal and social implications, and their costs, into health policy "
         "making.", 80),
    item("I-37", "1.3.b", "Include ELSI in the assessment and governance of new personalised-medicine technologies.",
         76),
    item("I-38", "1.3.b", "Create an ELSI review board for personalised medicine in every health ministry.", 52, 55),
    # 1.3.c Evaluation
    item("I-39", "1.3.c", "Assess health technologies and processes already in use continuously, not only at market "
         "entry.", 82),
    item("I-40", "1.3.c", "Integrate end users' perceptions into Health Technology Assessment.", 79),
    item("I-41", "1.3.c", "Change the perspective of HTA to value usability and effectiveness in routine care.", 69,
         74),
    item("I-42", "1.3.c", "Evaluate personalised-medicine programmes against the health outcomes that matter to "
         "patients.", 77, origin=WORKSHOP),
    # 1.3.d Networks
    item("I-43", "1.3.d", "Value multidisciplinary and cross-sectoral collaboration as a route to health-system "
         "sustainability.", 72),
    item("I-44", "1.3.d", "Support public–private partnerships that share experience in personalised medicine.", 71),
    item("I-45", "1.3.d", "Build international networks that promote and evaluate best practice and progress in "
         "personalised medicine.", 87),
    item("I-46", "1.3.d", "Give every EU member state and Chinese province a personalised-medicine network "
         "coordinator.", 38, 42),
]  # fmt: skip

ROUND_2_ITEMS = [
    merged("M-I1", "1.1.d 1.3.c", "Monitor and report inequalities in access to personalised medicine and genomic "
           "testing, between and within countries.", 74, sources=("I-17", "I-18"),
           reason="Two overlapping items; several rationales asked for them to be combined."),
    added("A-I1", "1.3.b", "Budget for ELSI work in every publicly funded personalised-medicine project.", 72,
          reason="Suggested in round-1 rationales by panellists from both regions."),
]  # fmt: skip
