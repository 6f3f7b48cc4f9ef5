"""Approved minutes keep the workshop's wordings in both languages: a PDF read back in Chinese shows the
Chinese title, group and pillar; in English the English ones."""

from datetime import timedelta

from engage.i18n import in_language
from engage.minutes import services
from engage.minutes.pdf import version_pdf
from engage.timeutil import utcnow


def test_the_minutes_pdf_in_chinese_shows_the_chinese_title(db, workshop, lead, document, make_priority, read_pdf):
    workshop.title_zh = "第一轮：数据交换"
    workshop.working_group.name_zh = "第一工作组：塑造可持续医疗"
    db.session.commit()
    minutes = services.start_minutes(workshop, actor=lead)
    services.save_minutes(minutes, actor=lead, data=document(p=make_priority().id))
    services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=1))
    version = services.approve(minutes, actor=lead)
    db.session.commit()
    assert version.content["workshop"]["title_zh"] == "第一轮：数据交换"
    with in_language("zh"):
        chinese = " ".join(" ".join(p["text"].split()) for p in read_pdf(version_pdf(version)))
    with in_language("en"):
        english = " ".join(" ".join(p["text"].split()) for p in read_pdf(version_pdf(version)))
    assert "第一轮：数据交换" in chinese and "Round 1: data exchange" not in chinese
    assert "第一工作组：塑造可持续医疗" in chinese
    assert "Round 1: data exchange" in english and "第一轮" not in english
