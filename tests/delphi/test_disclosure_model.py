"""The disclosure model on its own (no database): which groups a round may publish, given how many
respondents sit in each region × category cell."""

import itertools
import random
from fractions import Fraction

from engage.delphi.disclosure import published_groups
from engage.delphi.services.results import group_keys
from tests.delphi.disclosure_attacks import _members

REGIONS, CATEGORIES, LANGUAGES = group_keys().values()


def _row_echelon(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """A basis of the rows' span as (pivot column, row with 1 at the pivot), in exact fractions."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        row = _reduce(basis, row)
        pivot = next((j for j, v in enumerate(row) if v), None)
        if pivot is not None:
            basis.append((pivot, [v / row[pivot] for v in row]))
    return basis


def _reduce(basis, row):
    row = list(row)
    for pivot, base in basis:
        if row[pivot]:
            factor = row[pivot]
            row = [a - factor * b for a, b in zip(row, base, strict=True)]
    return row


def _derivable_small_groups(cells: dict, shown: dict) -> list[tuple]:
    """Unions of cells with 1–4 respondents whose figures are a combination (sums and differences) of the
    published groups' figures: their indicator lies in the span of the published groups' indicators."""
    occupied = sorted(c for c, n in cells.items() if n)
    published = [("overall", "")] + [(kind, name) for kind in shown for name in sorted(shown[kind])]
    basis = _row_echelon([[Fraction(int(_members(key, cell))) for cell in occupied] for key in published])
    small = [c for c in occupied if cells[c] < 5]
    found = []
    for size in range(1, 5):
        for combo in itertools.combinations(small, size):
            if 1 <= sum(cells[c] for c in combo) < 5:
                target = [Fraction(int(c in combo)) for c in occupied]
                if not any(_reduce(basis, target)):
                    found.append(combo)
    return found


def _random_panel(rng: random.Random, size: int) -> dict:
    regions = rng.choices(REGIONS, weights=[rng.random() + 0.2 for _ in REGIONS], k=size)
    categories = rng.choices(CATEGORIES, weights=[rng.random() ** 2 + 0.05 for _ in CATEGORIES], k=size)
    cells: dict = {}
    for cell in zip(regions, categories, strict=True):
        cells[cell] = cells.get(cell, 0) + 1
    return cells


def test_no_sum_or_difference_of_published_groups_gives_fewer_than_five():
    for seed in range(100):
        rng = random.Random(seed)
        cells = _random_panel(rng, rng.randint(5, 80))
        shown = published_groups(cells, REGIONS, CATEGORIES)
        assert _derivable_small_groups(cells, shown) == [], f"seed {seed}: {cells} → {shown}"
        for kind, names in shown.items():
            for name in names:
                size = sum(n for cell, n in cells.items() if cell[0 if kind == "region" else 1] == name)
                assert size >= 5, f"seed {seed}: {kind} {name} has {size}"


def test_the_overlapping_case_black_box_testing_found():
    """Region "other" is exactly the 5 healthcare professionals; 4 policymakers sit in the EU and China.
    Per-dimension suppression showed EU and China and every category but the policymakers (and their
    complement), and EU + China − the shown categories gave the 4 policymakers' figures exactly."""
    cells = {
        ("other", "healthcare_professional"): 5,
        ("EU", "policymaker"): 2,
        ("China", "policymaker"): 2,
        ("EU", "academia_research"): 9,
        ("China", "academia_research"): 6,
        ("EU", "industry"): 7,
        ("China", "payer"): 8,
    }
    shown = published_groups(cells, REGIONS, CATEGORIES)
    assert _derivable_small_groups(cells, shown) == []
    assert "policymaker" not in shown["category"]
    assert shown["region"] or shown["category"], "groups that are safe to show are still shown"


def test_fewer_than_five_respondents_publish_no_group():
    assert published_groups({("EU", "payer"): 4}, REGIONS, CATEGORIES) == {"region": set(), "category": set()}


def test_a_panel_in_one_cell_shows_both_of_its_groups():
    shown = published_groups({("EU", "academia_research"): 7}, REGIONS, CATEGORIES)
    assert shown == {"region": {"EU"}, "category": {"academia_research"}}


def test_a_lonely_respondent_hides_a_larger_group_rather_than_be_subtracted():
    """EU 6 academics, China 5 payers, 1 funder in "other": showing EU and China would leave the funder as
    overall − EU − China; the choice keeps the lone funder inside a hidden remainder of at least 5."""
    cells = {("EU", "academia_research"): 6, ("China", "payer"): 5, ("other", "funder"): 1}
    shown = published_groups(cells, REGIONS, CATEGORIES)
    assert shown == {"region": {"EU"}, "category": {"academia_research"}}


# --- language groups: a third dimension of the same atoms ------------------------------------------------


def _naive_with_languages(cells: dict) -> dict:
    """What a naive implementation would publish: the region × category choice as before, and beside it
    every language group of at least 5."""
    two_d: dict = {}
    for (region, category, _language), n in cells.items():
        two_d[(region, category)] = two_d.get((region, category), 0) + n
    shown = published_groups(two_d, REGIONS, CATEGORIES)
    sizes: dict = {}
    for (_r, _c, language), n in cells.items():
        sizes[language] = sizes.get(language, 0) + n
    return shown | {"language": {language for language in LANGUAGES if sizes.get(language, 0) >= 5}}


# China holds 5 panellists reading Chinese and 1 reading English; the EU 10 reading English.
CHINA_MINUS_ZH = {
    ("China", "academia_research", "zh"): 5,
    ("China", "academia_research", "en"): 1,
    ("EU", "academia_research", "en"): 10,
}


def test_china_minus_chinese_readers_is_a_differencing_attack_on_naive_language_groups():
    naive = _naive_with_languages(CHINA_MINUS_ZH)
    assert "China" in naive["region"] and "zh" in naive["language"]
    assert _derivable_small_groups(CHINA_MINUS_ZH, naive) == [(("China", "academia_research", "en"),)]


def test_language_groups_are_chosen_jointly_so_no_difference_gives_fewer_than_five():
    shown = published_groups(CHINA_MINUS_ZH, REGIONS, CATEGORIES, LANGUAGES)
    assert _derivable_small_groups(CHINA_MINUS_ZH, shown) == []
    assert not ("China" in shown["region"] and "zh" in shown["language"])
    assert shown["region"] or shown["language"], "groups that are safe to show are still shown"


def test_language_groups_are_shown_when_they_expose_nobody():
    cells = {("China", "payer", "zh"): 6, ("EU", "payer", "en"): 7}
    shown = published_groups(cells, REGIONS, CATEGORIES, LANGUAGES)
    assert shown == {"region": {"EU", "China"}, "category": {"payer"}, "language": {"en", "zh"}}


def test_responses_without_a_language_are_in_no_language_group():
    cells = {("EU", "payer", "en"): 6, ("EU", "payer", "unstated"): 2}
    shown = published_groups(cells, REGIONS, CATEGORIES, LANGUAGES)
    assert "en" not in shown["language"] and _derivable_small_groups(cells, shown) == []


def test_no_difference_across_region_category_and_language_gives_fewer_than_five():
    for seed in range(60):
        rng = random.Random(seed)
        two_d = _random_panel(rng, rng.randint(5, 60))
        cells: dict = {}
        for (region, category), n in two_d.items():
            for _ in range(n):
                # Chinese readers mostly in China, a few elsewhere; English readers everywhere else.
                zh = rng.random() < (0.85 if region == "China" else 0.05)
                key = (region, category, "zh" if zh else "en")
                cells[key] = cells.get(key, 0) + 1
        shown = published_groups(cells, REGIONS, CATEGORIES, LANGUAGES)
        assert _derivable_small_groups(cells, shown) == [], f"seed {seed}: {cells} → {shown}"
