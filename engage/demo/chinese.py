"""The demo's Chinese wording (简体中文), keyed like the English it translates: codebook codes, Delphi item keys,
action codes. Terms follow engage/translations/GLOSSARY.md; codes, numbers and acronyms (GDPR, HTA, DPYD) stay
as they are in the English. Names of people and organisations are not translated.

Every English text of the demo's shared content has its entry here; seeding fails with a KeyError on one that
has none, so a new English text cannot go out without its Chinese.
"""

# The codebook (Table 1): pillar → (name, description); theme "pillar.position"; sub-topic "pillar.theme.letter".
PILLARS = {
    1: ("塑造可持续的医疗卫生体系",
        "提高患者和公民的认识并增强其能力，开展医疗卫生专业人员的教育和培训，实现医疗卫生的可持续发展。"),
    2: ("创新与市场", "大数据与信息通信技术（ICT）解决方案，以及推动创新进入市场。"),
    3: ("个性化医学的科研与临床研究", "从基础研究向临床研究及更远阶段的转化，以及研究资助。"),
}  # fmt: skip
WORKING_GROUP_NAME = "WG{number}：{name}"
THEMES = {
    "1.1": "增强负责任公民的能力",
    "1.2": "培养训练有素、知识不断更新的医疗卫生人员队伍",
    "1.3": "促进医疗卫生体系的可持续性",
    "2.1": "推动创新进入市场",
    "2.2": "采用大数据与信息通信技术（ICT）解决方案",
    "3.1": "促进研究资助",
    "3.2": "推动基础与临床研究的转化及其延伸",
}
ELSI = "伦理、法律和社会问题（ELSI）"
SUB_TOPICS = {
    "1.1.a": "健康素养", "1.1.b": "研究", "1.1.c": "公众信任", "1.1.d": ELSI,
    "1.2.a": "教育与伦理", "1.2.b": "合作", "1.2.c": "政策",
    "1.3.a": "资源", "1.3.b": ELSI, "1.3.c": "评估", "1.3.d": "网络",
    "2.1.a": "成本效益", "2.1.b": "需求评估", "2.1.c": "原则与指南", "2.1.d": "视角",
    "2.2.a": "数据交换", "2.2.b": "隐私、安全与信任", "2.2.c": "标准",
    "3.1.a": "患者需求", "3.1.b": "价值链", "3.1.c": "协同",
    "3.2.a": "组学科学", "3.2.b": "数据与标准", "3.2.c": "合作",
}  # fmt: skip

# Workshops: the title's parts, descriptions by round (and the two overrides by (pillar, round)), agenda items.
WORKSHOP_TITLE = "{group}——{kind}，第 {round} 轮"
WORKSHOP_KINDS = {"workshop": "研讨会", "expert roundtable": "专家圆桌会议"}
WORKSHOP_DESCRIPTIONS = {
    1: "讨论文献梳理得出的初步优先事项、证据中的空白以及梳理中遗漏的议题。讨论结果将用于本工作组的德尔菲调查。",
    2: "迄今为止的德尔菲调查结果，以及如何从已达成共识的优先事项走向各子主题的路线图行动。",
    3: "本工作组的路线图行动草案，以及如何监测其落实情况。",
}
WORKSHOP_DESCRIPTION_OVERRIDES = {
    (3, 2): "支柱 III 德尔菲调查第 1 轮：其结果，以及转入第 2 轮的条目应如何措辞。",
    (3, 3): "关于支柱 III 路线图行动草案及反映其落实情况的指标的小型专家圆桌会议（以 DPYD 检测为示例）。"
    "共 6 个座位；如已满员，请加入候补名单。",
}
AGENDA_ENDS = {
    1: ("欢迎致辞及第 1 轮的目标", "迈向德尔菲调查的后续步骤"),
    2: ("欢迎致辞及迄今为止的德尔菲调查结果", "后续步骤"),
    3: ("欢迎致辞", "监测与指标"),
}
AGENDA_THEME = {1: "讨论：{theme}", 2: "从优先事项到行动：{theme}", 3: "路线图行动草案：{theme}"}
LIST_SEPARATOR = "、"
