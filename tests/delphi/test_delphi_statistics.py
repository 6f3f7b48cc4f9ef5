"""Statistics from per-value counts, checked against hand-computed values."""

from fractions import Fraction

import pytest

from engage.delphi.statistics import Rule, quantile, summarise

RULE = Rule()


def test_ties_give_interpolated_median_and_quartiles():
    # 4 4 5 5: h = 3p → Q1 = 4 + .75·0 = 4, median = 4 + .5·1 = 4.5, Q3 = 5 + .25·0 = 5
    stats = summarise({4: 2, 5: 2}, 0, RULE)
    assert (stats.q1, stats.median, stats.q3, stats.iqr) == (4.0, 4.5, 5.0, 1.0)
    assert stats.mean == 4.5
    assert stats.sd == pytest.approx((1 / 3) ** 0.5)  # four squared deviations of .25, / (n − 1)
    assert stats.agreement_percent == 100.0 and stats.has_consensus


def test_exactly_seventy_percent_is_consensus_with_type7_quartiles():
    # 1 2 3 4 4 4 4 5 5 5 (n = 10): 7 of 10 agree.
    stats = summarise({1: 1, 2: 1, 3: 1, 4: 4, 5: 3}, 0, RULE)
    assert stats.agreement_percent == 70.0
    assert stats.has_consensus is True
    # Q1: h = 2.25 → 3 + .25·(4 − 3) = 3.25; median: h = 4.5 → 4; Q3: h = 6.75 → 4 + .75·(5 − 4) = 4.75
    assert (stats.q1, stats.median, stats.q3) == (3.25, 4.0, 4.75)
    assert stats.iqr == 1.5
    assert stats.mean == 3.7
    # squared deviations 7.29 + 2.89 + .49 + 4·.09 + 3·1.69 = 16.1; / 9
    assert stats.sd == pytest.approx((16.1 / 9) ** 0.5)
    assert stats.distribution == {1: 1, 2: 1, 3: 1, 4: 4, 5: 3}


def test_just_under_seventy_percent_is_not_consensus():
    stats = summarise({4: 9, 3: 4}, 0, RULE)  # 9 / 13 = 69.2 %
    assert stats.agreement_percent == pytest.approx(69.2308, abs=1e-4)
    assert stats.has_consensus is False


def test_cannot_rate_is_counted_but_never_a_valid_rating():
    stats = summarise({4: 7, 3: 3}, 5, RULE)
    assert (stats.n_valid, stats.n_cannot_rate) == (10, 5)
    assert stats.agreement_percent == 70.0 and stats.has_consensus


def test_disagreement_veto_blocks_consensus_above_its_limit():
    counts = {5: 8, 1: 2}  # 80 % agree, 20 % disagree
    assert summarise(counts, 0, Rule(veto_max_percent=15)).has_consensus is False
    assert summarise(counts, 0, Rule(veto_max_percent=20)).has_consensus is True
    assert summarise(counts, 0, Rule(veto_max_percent=20)).disagreement_percent == 20.0


def test_too_few_valid_ratings_is_no_consensus():
    assert summarise({5: 4}, 0, Rule(min_valid_ratings=5)).has_consensus is False
    assert summarise({5: 5}, 0, Rule(min_valid_ratings=5)).has_consensus is True


def test_one_rating_has_no_sd_and_no_ratings_has_no_statistics():
    one = summarise({3: 1}, 0, RULE)
    assert (one.median, one.iqr, one.sd) == (3.0, 0.0, None)
    none = summarise({}, 2, RULE)
    assert (none.n_valid, none.median, none.agreement_percent, none.has_consensus) == (0, None, None, False)


def test_quantile_of_odd_count_hits_a_value():
    assert quantile({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, Fraction(1, 4)) == 2
    assert quantile({1: 1, 2: 1, 3: 1, 4: 1}, Fraction(1, 4)) == Fraction(7, 4)
