"""Results, exports and the methods report of a bilingual round: both wordings of each item, the language
each respondent answered in, and results per language group."""

import csv
import io

import pytest

from engage.auth.models import StakeholderCategory
from engage.delphi import services
from engage.delphi.models import DisclosureMode
from engage.i18n import in_language
from engage.timeutil import utcnow
from tests.delphi.conftest import WEEK

API = "/api/v1/delphi"


@pytest.fixture
def bilingual_closed(db, lead, working_group, create_user):
    """A closed round: item A in both languages (甲), item B in English only; 5 EU panellists answering in
    English (A: 5), and `chinese` panellists in China answering in Chinese (A: 2)."""

    def make(chinese=5, mode=DisclosureMode.GROUP_RESULTS):
        survey = services.create_survey(
            working_group, actor=lead, data={"title": "Bilingual", "title_zh": "双语调查", "disclosure_mode": mode}
        )
        services.add_item(survey, actor=lead, data={"text": "A", "text_zh": "甲"})
        services.add_item(survey, actor=lead, data={"text": "B"})
        academic = StakeholderCategory.ACADEMIA_RESEARCH
        english = [create_user(region="IT", category=academic) for _ in range(5)]
        zh = [create_user(region="CN-BJ", category=academic, locale="zh") for _ in range(chinese)]
        services.add_panellists(survey, actor=lead, user_ids=[u.id for u in english + zh])
        now = utcnow()
        round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
        db.session.commit()
        a, b = (ri.item_id for ri in round_.round_items)
        for people, language, value in ((english, "en", 5), (zh, "zh", 2)):
            for user in people:
                with in_language(language):
                    ratings = [{"item_id": a, "value": value}, {"item_id": b, "value": 3}]
                    services.save_response(round_, actor=user, ratings=ratings, submit=True)
                db.session.commit()
        services.close_round(round_, actor=lead)
        db.session.commit()
        return survey, round_, (a, b)

    return make


def test_results_show_both_wordings_and_figures_per_language(client, lead, auth_headers, bilingual_closed):
    _survey, round_, (a, _b) = bilingual_closed()
    results = client.get(f"{API}/rounds/{round_.id}/results", headers=auth_headers(lead)).get_json()
    first = results["items"][0]
    assert (first["text"], first["text_zh"]) == ("A", "甲")
    assert results["respondents"]["by_language"] == {"en": 5, "zh": 5}
    assert results["disclosure"]["shown"]["language"] == ["en", "zh"]
    assert first["by_language"]["en"]["median"] == 5 and first["by_language"]["zh"]["median"] == 2


def test_a_small_language_group_is_suppressed(client, lead, auth_headers, bilingual_closed):
    _survey, round_, _items = bilingual_closed(chinese=2)
    results = client.get(f"{API}/rounds/{round_.id}/results", headers=auth_headers(lead)).get_json()
    zh = results["items"][0]["by_language"]["zh"]
    assert zh["suppressed"] and zh["reason"] == "small_group" and "median" not in zh
    assert results["respondents"]["by_language"]["zh"] is None


def test_results_csv_has_both_wordings_and_language_groups(client, lead, auth_headers, bilingual_closed):
    _survey, round_, _items = bilingual_closed()
    text = client.get(f"{API}/rounds/{round_.id}/results.csv", headers=auth_headers(lead)).get_data(as_text=True)
    rows = list(csv.reader(line for line in io.StringIO(text.lstrip("\ufeff")) if not line.startswith("#")))
    header, first = rows[0], rows[1]
    assert first[header.index("Statement")] == "A" and first[header.index("Statement in Chinese")] == "甲"
    assert first[header.index("简体中文: median")] == "2" and first[header.index("English: median")] == "5"


def test_results_page_shows_both_wordings_and_the_language_groups(client, login, lead, bilingual_closed):
    _survey, round_, _items = bilingual_closed()
    login(client, lead)
    html = client.get(f"/manage/delphi/rounds/{round_.id}/results").get_data(as_text=True)
    assert '<span lang="en">A</span> · <span lang="zh-Hans">甲</span>' in html
    assert 'id="matrix-language"' in html and "简体中文" in html
    assert "English: 5 · 简体中文: 5" in " ".join(html.split())


def test_methods_report_shows_both_wordings_and_respondents_per_language(
    client, login, lead, bilingual_closed, read_pdf
):
    survey, _round, _items = bilingual_closed()
    login(client, lead)
    html = " ".join(client.get(f"/manage/delphi/surveys/{survey.id}/methods").get_data(as_text=True).split())
    assert '<td lang="en">A</td><td lang="zh-Hans">甲</td>' in html
    assert "Respondents per language answered in" in html
    language_rows = html.split("Respondents per language answered in")[1].split("</table>")[0]
    assert "<td>English</td> <td>5 / 5" in language_rows and "<td>简体中文</td> <td>5 / 5" in language_rows
    assert '<span lang="zh-Hans">双语调查</span>' in html
    pages = read_pdf(client.get(f"/manage/delphi/surveys/{survey.id}/methods.pdf").data)
    text = " ".join(" ".join(p["text"].split()) for p in pages)
    assert "甲" in text and "Respondents per language answered in" in text and "简体中文" in text


def test_response_matrix_rows_state_their_language(client, lead, auth_headers, bilingual_closed):
    _survey, round_, _items = bilingual_closed(mode=DisclosureMode.RESPONSE_MATRIX)
    text = client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=auth_headers(lead)).get_data(as_text=True)
    rows = list(csv.reader(line for line in io.StringIO(text.lstrip("\ufeff")) if not line.startswith("#")))
    assert rows[0][1] == "language"
    assert sorted(row[1] for row in rows[1:]) == ["en"] * 5 + ["zh"] * 5
    # Each row's language goes with its ratings: the Chinese readers rated A 2.
    assert {row[2] for row in rows[1:] if row[1] == "zh"} == {"2"}


def test_response_matrix_hides_a_language_answered_in_by_fewer_than_five(client, lead, auth_headers, bilingual_closed):
    _survey, round_, _items = bilingual_closed(chinese=2, mode=DisclosureMode.RESPONSE_MATRIX)
    text = client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=auth_headers(lead)).get_data(as_text=True)
    rows = list(csv.reader(line for line in io.StringIO(text.lstrip("\ufeff")) if not line.startswith("#")))
    assert [row[1] for row in rows[1:]] == [""] * 7
