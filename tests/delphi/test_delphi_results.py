"""Round results from the database: hand-computed statistics, per-group suppression, participation."""

from datetime import timedelta

import pytest

from engage.auth.models import StakeholderCategory as Cat
from engage.delphi import services
from engage.delphi.disclosure import PROTECTS_SMALL_GROUP, suppression
from engage.delphi.services.results import SUPPRESSED
from engage.delphi.services.snapshot import consensus_item_ids
from engage.errors import DomainError
from tests.delphi.conftest import T0, WEEK

AFTER = T0 + WEEK


@pytest.fixture
def closed_round(db, create_survey, create_panel, open_round, rate):
    """10 submitted responses (EU 5 academia, China 4 clinicians, other 1 industry) and one draft.

    Item A: EU 5 5 4 4 3, China 4 4 2 1, other 5  → overall 1 2 3 4 4 4 4 5 5 5 (exactly 70 % agree)
    Item B: EU cannot cannot 5 5 5, China 5 5 5 5, other 1 → 8 valid, 2 cannot rate
    """
    survey = create_survey(texts=("A", "B"))
    eu = create_panel(survey, 5, region="IT", category=Cat.ACADEMIA_RESEARCH)
    cn = create_panel(survey, 4, region="CN-BJ", category=Cat.HEALTHCARE_PROFESSIONAL)
    other = create_panel(survey, 1, region="OTHER", category=Cat.INDUSTRY)
    (drafter,) = create_panel(survey, 1, region="FR", category=Cat.ACADEMIA_RESEARCH)
    round_ = open_round(survey)
    a, b = (ri.item_id for ri in round_.round_items)
    for user, va, vb in zip(
        eu + cn + other, [5, 5, 4, 4, 3, 4, 4, 2, 1, 5], [None, None, 5, 5, 5, 5, 5, 5, 5, 1], strict=True
    ):
        rate(round_, user, {a: va, b: vb}, rationale=f"because {va}")
    rate(round_, drafter, {a: 1}, submit=False)
    return round_, a, b, drafter


def _item(results, item_id):
    return next(i for i in results["items"] if i["item_id"] == item_id)


def test_overall_statistics_match_hand_computed_values(closed_round):
    round_, a, b, _drafter = closed_round
    results = services.round_results(round_, now=AFTER)
    overall = _item(results, a)["overall"]
    assert overall["distribution"] == {"1": 1, "2": 1, "3": 1, "4": 4, "5": 3}
    assert (overall["n_valid"], overall["n_cannot_rate"]) == (10, 0)
    assert (overall["q1"], overall["median"], overall["q3"], overall["iqr"]) == (3.25, 4.0, 4.75, 1.5)
    assert overall["mean"] == pytest.approx(3.7)
    assert overall["sd"] == pytest.approx((16.1 / 9) ** 0.5)
    assert overall["agreement_percent"] == 70.0 and overall["has_consensus"] is True
    b_stats = _item(results, b)["overall"]
    assert (b_stats["n_valid"], b_stats["n_cannot_rate"], b_stats["agreement_percent"]) == (8, 2, 87.5)
    assert (b_stats["median"], b_stats["q1"]) == (5.0, 5.0)
    assert results["respondents"]["overall"] == 10


def test_group_of_five_is_shown_and_group_of_four_suppressed(closed_round):
    round_, a, b, _drafter = closed_round
    results = services.round_results(round_, now=AFTER)
    item = _item(results, a)
    eu = item["by_region"]["EU"]
    # EU: 3 4 4 5 5 → Q1 = 4, median = 4, Q3 = 5, mean 4.2, 80 % agree
    assert (eu["n_valid"], eu["q1"], eu["median"], eu["q3"], eu["agreement_percent"]) == (5, 4.0, 4.0, 5.0, 80.0)
    assert eu["mean"] == pytest.approx(4.2)
    assert item["by_region"]["China"] == item["by_region"]["other"] == SUPPRESSED
    assert item["by_category"]["academia_research"]["n_valid"] == 5
    assert item["by_category"]["healthcare_professional"] == SUPPRESSED
    assert results["respondents"]["by_region"] == {"EU": 5, "China": None, "other": None}
    # A group is judged by its respondents, not its valid ratings: EU on item B has 3 valid + 2 cannot rate.
    assert _item(results, b)["by_region"]["EU"]["n_valid"] == 3


def test_drafts_never_count(closed_round):
    round_, a, _b, _drafter = closed_round
    results = services.round_results(round_, now=AFTER)
    assert _item(results, a)["overall"]["distribution"]["1"] == 1


def test_results_before_the_round_closed_are_refused(closed_round):
    round_, *_ = closed_round
    with pytest.raises(DomainError) as early:
        services.round_results(round_, now=AFTER - timedelta(seconds=1))
    assert early.value.code == "round_not_closed"


def test_results_come_from_a_group_by_and_then_from_the_snapshot(closed_round, count_queries):
    round_, *_ = closed_round
    with count_queries() as statements:
        services.round_results(round_, now=AFTER)
    value_queries = [s for s in statements if "delphi_ratings.value" in s]
    assert len(value_queries) == 1 and "GROUP BY" in value_queries[0] and "count(" in value_queries[0]
    with count_queries() as statements:
        services.round_results(round_, now=AFTER)
    assert not [s for s in statements if "delphi_ratings" in s or "delphi_responses" in s]


def test_response_rate_per_round_overall_and_per_group(closed_round):
    round_, *_ = closed_round
    (row,) = services.participation_by_round(round_.survey)
    assert row["overall"] == {"panel": 11, "respondents": 10, "response_rate": 90.9}
    assert row["by_region"]["EU"] == {"panel": 6, "respondents": 5, "response_rate": 83.3}
    assert row["by_region"]["China"] == {"panel": 4, **SUPPRESSED}


def test_not_submitted_lists_names_and_counts_only(closed_round):
    round_, _a, _b, drafter = closed_round
    listing = services.not_submitted(round_)
    assert (listing["panel"], listing["submitted"], listing["not_submitted"]) == (11, 10, 1)
    assert listing["people"] == [{"id": drafter.id, "display_name": drafter.display_name}]


def test_with_fewer_than_five_respondents_even_overall_figures_are_hidden_but_still_decide(
    db, lead, create_survey, create_panel, open_round, rate
):
    survey = create_survey(texts=("A",))
    panel = create_panel(survey, 4)
    round_ = open_round(survey)
    for user in panel:
        rate(round_, user, 5)
    shown = services.round_results(round_, now=AFTER)
    assert shown["is_suppressed"] is True
    assert shown["items"][0]["overall"] == SUPPRESSED
    assert consensus_item_ids(round_, now=AFTER) == {round_.round_items[0].item_id}
    (priority,) = services.finalise_survey(survey, actor=lead, now=AFTER)
    assert priority.final_statistics["statistics"] == SUPPRESSED


def test_attrition_per_round_overall_and_per_group(db, create_survey, create_panel, open_round, rate):
    """Round 1: EU 7, China 6 (payers), other 5 submit. Round 2: one EU and one Chinese panellist drop out."""
    survey = create_survey(texts=("A",))
    eu = create_panel(survey, 7, region="DE")
    cn = create_panel(survey, 6, region="CN-SH", category=Cat.PAYER)
    other = create_panel(survey, 5, region="OTHER")
    first = open_round(survey)
    for user in eu + cn + other:
        rate(first, user, 3)
    second = open_round(survey, now=AFTER)
    for user in eu[:6] + cn[:5] + other:
        rate(second, user, 3)
    _first, row = services.participation_by_round(survey)
    assert row["overall"] == {
        "panel": 18,
        "respondents": 16,
        "response_rate": 88.9,
        "dropped_out": 2,
        "attrition": 11.1,
    }
    assert row["by_region"]["EU"] == {
        "panel": 7,
        "respondents": 6,
        "response_rate": 85.7,
        "dropped_out": 1,
        "attrition": 14.3,
    }
    assert row["by_region"]["China"] == {
        "panel": 6,
        "respondents": 5,
        "response_rate": 83.3,
        "dropped_out": 1,
        "attrition": 16.7,
    }
    assert row["by_category"]["payer"]["attrition"] == 16.7
    assert row["by_category"]["industry"] == {"panel": 0, **SUPPRESSED}


def test_a_small_group_cannot_be_recovered_by_subtracting_the_shown_groups(
    db, create_survey, create_panel, open_round, rate
):
    """EU 6 and China 5 would be shown, but then overall − EU − China = the one "other" respondent.
    The smallest shown group (China) is hidden as well."""
    survey = create_survey(texts=("A",))
    eu = create_panel(survey, 6, region="IT")
    cn = create_panel(survey, 5, region="CN-BJ", category=Cat.PAYER)
    (lonely,) = create_panel(survey, 1, region="OTHER", category=Cat.FUNDER)
    round_ = open_round(survey)
    for user in eu + cn:
        rate(round_, user, 4)
    rate(round_, lonely, 1)
    results = services.round_results(round_, now=AFTER)
    by_region = results["items"][0]["by_region"]
    assert by_region["EU"]["n_valid"] == 6
    by_category = results["items"][0]["by_category"]
    assert by_region["China"] == by_category["payer"] == suppression(PROTECTS_SMALL_GROUP)
    assert by_region["other"] == SUPPRESSED
    assert by_category["academia_research"]["n_valid"] == 6
    assert by_category["funder"] == SUPPRESSED
    assert results["respondents"]["by_region"] == {"EU": 6, "China": None, "other": None}
