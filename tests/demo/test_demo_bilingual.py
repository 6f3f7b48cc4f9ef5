"""The demo consortium's shared content is bilingual (issue #10 §2): every row of the codebook, the workshops and
their agendas, the Delphi surveys, items and frozen round wordings, the priorities, the roadmap actions, the
indicators and the consultations has a Chinese wording beside its English one."""

import re

import sqlalchemy as sa

from engage.workshops.models import AgendaItem, Pillar, SubTopic, Theme, WorkingGroup, Workshop

CJK = re.compile(r"[\u4e00-\u9fff]")
# What a translation keeps as written: codebook codes, numbers, times, and acronyms (EU and PM are translated:
# 欧盟, 个性化医学).
KEPT = re.compile(r"\d+(?:[.:]\d+)*(?:\.[a-z]\b)?|\b[A-Z][A-Z0-9]+\b")
TRANSLATED_ACRONYMS = {"EU", "PM"}


def _all(db, model, *where):
    return db.session.scalars(sa.select(model).where(*where)).all()


def assert_translated(english: str, chinese: str) -> None:
    """A Chinese wording a reader would accept beside the English: Chinese text, no English words left over, and
    the codes, numbers and acronyms of the English kept."""
    assert english.strip(), "an empty English wording has nothing to translate"
    assert len(CJK.findall(chinese)) >= 2, f"no Chinese for {english!r}: {chinese!r}"
    assert not re.search(r"\b[a-z]{3,}\b", chinese), f"English left in {chinese!r}"
    for token in KEPT.findall(english):
        if token not in TRANSLATED_ACRONYMS:
            assert token in chinese, f"{token!r} of {english!r} is missing from {chinese!r}"


def assert_pairs(rows, *fields: str) -> None:
    for row in rows:
        for field in fields:
            english, chinese = getattr(row, field), getattr(row, f"{field}_zh")
            if english:
                assert_translated(english, chinese)
            else:
                assert chinese == "", f"{row!r}.{field}_zh has Chinese for an empty English {field}"


def test_the_whole_codebook_is_bilingual(db):
    pillars, groups = _all(db, Pillar), _all(db, WorkingGroup)
    themes, sub_topics = _all(db, Theme), _all(db, SubTopic)
    assert (len(pillars), len(groups), len(themes), len(sub_topics)) == (3, 3, 7, 24)
    assert_pairs(pillars, "name")
    assert_pairs(groups, "name", "description")
    assert_pairs(themes, "name")
    assert_pairs(sub_topics, "name")
    group_1 = next(g for g in groups if g.pillar.number == 1)
    assert group_1.name_zh == "WG1：塑造可持续的医疗卫生体系"
    assert {s.name_zh for s in sub_topics if s.name == "ELSI"} == {"伦理、法律和社会问题（ELSI）"}


def test_workshops_and_every_agenda_item_are_bilingual(db):
    workshops = _all(db, Workshop)
    agenda = _all(db, AgendaItem)
    assert len(workshops) == 9
    assert len(agenda) == sum(len(w.agenda_items) for w in workshops) > 9 * 3
    assert_pairs(workshops, "title", "description")
    assert_pairs(agenda, "title", "description")
    roundtable = next(w for w in workshops if w.capacity == 6)
    assert "专家圆桌会议" in roundtable.title_zh and "第 3 轮" in roundtable.title_zh
    # A theme's agenda item lists the theme's sub-topics, in Chinese as in English.
    themes = {
        ", ".join(s.name for s in t.sub_topics): "、".join(s.name_zh for s in t.sub_topics) for t in _all(db, Theme)
    }
    theme_items = [a for a in agenda if a.description]
    assert len(theme_items) == 3 * 7
    assert all(a.description_zh == themes[a.description] for a in theme_items)
