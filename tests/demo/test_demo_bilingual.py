"""The demo consortium's shared content is bilingual (issue #10 §2): every row of the codebook, the workshops and
their agendas, the Delphi surveys, items and frozen round wordings, the priorities, the roadmap actions, the
indicators and the consultations has a Chinese wording beside its English one."""

import re

import sqlalchemy as sa

from engage.consultations.models import Consultation
from engage.delphi.models import DelphiItem, DelphiRound, DelphiRoundItem, DelphiSurvey, RoundItemChange
from engage.indicators.models import Indicator
from engage.priorities.models import Priority
from engage.roadmap.models import RoadmapAction
from engage.text import render_markdown
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


def test_the_three_surveys_and_every_item_are_bilingual(db):
    surveys = _all(db, DelphiSurvey)
    items = _all(db, DelphiItem)
    assert len(surveys) == 3
    # 46 + 33 + 28 round-1 items; a merged and an added item in pillar I, an added item in II and in III.
    assert len(items) == 111
    assert_pairs(surveys, "title", "description")
    assert_pairs(items, "text", "explanation")


def test_frozen_round_wordings_are_the_wording_of_their_round_in_both_languages(db):
    round_items = _all(db, DelphiRoundItem)
    assert_pairs(round_items, "text", "explanation")
    rounds = {r.id: r for r in _all(db, DelphiRound)}
    assert sorted(r.number for r in rounds.values()) == [1, 1, 1, 2, 2, 2]
    # One English wording, one Chinese wording: the same Chinese wherever the English is the same, and a new
    # Chinese wherever the English changed.
    chinese_of: dict[str, set[str]] = {}
    for round_item in round_items:
        chinese_of.setdefault(round_item.text, set()).add(round_item.text_zh)
    assert all(len(wordings) == 1 for wordings in chinese_of.values())
    assert len({next(iter(w)) for w in chinese_of.values()}) == len(chinese_of)
    first_round = {
        ri.item_id: ri for ri in round_items if rounds[ri.round_id].number == 1
    }  # the items' wording as first asked
    for round_item in round_items:
        if rounds[round_item.round_id].number == 1:
            assert round_item.text_zh == round_item.item.text_zh
        elif round_item.change is RoundItemChange.REWORDED:
            before = first_round[round_item.item_id]
            assert round_item.text != before.text and round_item.text_zh != before.text_zh
        elif round_item.change is RoundItemChange.CARRIED:
            assert round_item.text_zh == first_round[round_item.item_id].text_zh
        else:  # merged or added for round 2: its own wording
            assert round_item.text_zh == round_item.item.text_zh
    reworded = [ri for ri in round_items if ri.change is RoundItemChange.REWORDED]
    assert len(reworded) == 7
    dpyd = next(ri for ri in reworded if "DPYD" in ri.text)
    assert "DPYD" in dpyd.text_zh and "氟嘧啶" in dpyd.text_zh


def test_the_65_priorities_are_bilingual_and_worded_as_last_asked(db):
    priorities = _all(db, Priority)
    assert len(priorities) == 65
    assert_pairs(priorities, "text")
    last_asked = {}
    for round_item in sorted(_all(db, DelphiRoundItem), key=lambda ri: ri.round.number):
        last_asked[round_item.item_id] = round_item
    for priority in priorities:
        asked = last_asked[priority.source_delphi_item_id]
        if priority.edits:  # reworded after the consultation on the draft priorities, in both languages
            assert priority.text != asked.text and priority.text_zh != asked.text_zh
        else:
            assert (priority.text, priority.text_zh) == (asked.text, asked.text_zh)
    assert sum(1 for p in priorities if p.edits) == 2


def test_the_24_roadmap_actions_are_bilingual_with_sanitised_html(db):
    actions = _all(db, RoadmapAction)
    assert len(actions) == 24
    assert_pairs(actions, "title", "description")
    for action in actions:
        assert action.description_html_zh == render_markdown(action.description_zh)
        assert "<script" not in action.description_html_zh
    provisional = [a for a in actions if "Provisional trace" in a.description]
    assert len(provisional) == 6
    assert all("<em>临时溯源" in a.description_html_zh for a in provisional)
    assert all("临时溯源" not in a.description_zh for a in actions if a not in provisional)


def test_indicators_are_bilingual(db):
    indicators = _all(db, Indicator)
    assert len(indicators) == 5
    assert_pairs(indicators, "name", "definition")


def test_consultations_are_bilingual_with_their_document_rendered(db):
    consultations = _all(db, Consultation)
    assert len(consultations) == 2
    assert_pairs(consultations, "title", "body")
    for consultation in consultations:
        assert consultation.body_html_zh == render_markdown(consultation.body_zh)
    priorities = next(c for c in consultations if "65" in c.body)
    assert "65 项优先事项" in priorities.body_zh
    assert priorities.body_html_zh.count("<li>") == priorities.body_html.count("<li>") == 2
