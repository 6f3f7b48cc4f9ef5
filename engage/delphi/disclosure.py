"""Delphi disclosure control: which groups' figures a round may publish, and what panels are told.

The model (also in the README's "Delphi disclosure model" and every methods report):

- A panellist's individual ratings are shown to nobody but that panellist.
- Published figures are distributions (counts per scale value and "cannot rate"), so they add and
  subtract: the figures of any set of people that is a sum or difference of published groups can be
  worked out exactly. The people who read them (a survey's leads above all) know the panel list with
  every panellist's region and category, and who has not submitted. So they know how many respondents
  sit in every region × category cell.
- A round therefore publishes the whole panel's figures (with at least 5 respondents) and a choice of
  region groups and categories such that every *atom* — the respondents sharing the same published
  region (or none) and the same published category (or none) — holds 0 or at least 5 respondents.
  Every published figure is a sum of atoms, so everything anyone can compute from them (any sum or
  difference) is a combination of groups of at least 5. This is cell suppression (a group under 5 is
  never shown) and complementary suppression (further groups are hidden so that no small group can be
  worked out), over both dimensions together.
- Among the choices that pass, the one showing the most groups is taken (then the one covering the
  most respondents, then regions and categories in their fixed order). The choice depends only on how
  many respondents each cell holds — which the readers know anyway — never on the ratings.
- The figures are those of the respondents in the groups they belonged to when they submitted, frozen
  when the round closes (DelphiRoundSnapshot); a later profile change moves nothing.
- A survey in the response-matrix mode releases each respondent's ratings as a row without name under a
  code that changes every round, to its leads, with every download audited; it then publishes no group
  figures at all, because rows could be matched to them. Its panel is told so when invited.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain, combinations

from flask_babel import lazy_gettext as _l

from engage.delphi.models import DisclosureMode
from engage.delphi.statistics import MIN_GROUP_SIZE

# Why a group shows no figures (the "reason" of a suppressed cell).
SMALL_GROUP = "small_group"
PROTECTS_SMALL_GROUP = "protects_small_group"
NOT_PUBLISHED = "not_published"


def _subsets(names: list[str]) -> Iterable[tuple[str, ...]]:
    return chain.from_iterable(combinations(names, k) for k in range(len(names) + 1))


def _atoms_safe(cells: Mapping[tuple[str, str], int], regions: set[str], categories: set[str]) -> bool:
    atoms: dict[tuple, int] = defaultdict(int)
    for (region, category), n in cells.items():
        atoms[(region if region in regions else None, category if category in categories else None)] += n
    return all(n == 0 or n >= MIN_GROUP_SIZE for n in atoms.values())


def published_groups(
    cells: Mapping[tuple[str, str], int], regions: list[str], categories: list[str]
) -> dict[str, set[str]]:
    """The region groups and categories whose figures may be shown, given respondents per (region, category).

    Nothing is shown when fewer than 5 responded. Only groups of at least 5 are candidates; every
    combination of candidates (at most 2³ × 2⁹) is checked for atoms of 1–4 respondents.
    """
    total = sum(cells.values())
    if total < MIN_GROUP_SIZE:
        return {"region": set(), "category": set()}
    size = {("region", r): sum(n for (cr, _c), n in cells.items() if cr == r) for r in regions}
    size |= {("category", c): sum(n for (_r, cc), n in cells.items() if cc == c) for c in categories}
    region_candidates = [r for r in regions if size[("region", r)] >= MIN_GROUP_SIZE]
    category_candidates = [c for c in categories if size[("category", c)] >= MIN_GROUP_SIZE]
    best, best_key = (set(), set()), None
    for shown_regions in _subsets(region_candidates):
        for shown_categories in _subsets(category_candidates):
            chosen = (set(shown_regions), set(shown_categories))
            key = (
                len(shown_regions) + len(shown_categories),
                sum(size[("region", r)] for r in shown_regions) + sum(size[("category", c)] for c in shown_categories),
                [r in chosen[0] for r in regions] + [c in chosen[1] for c in categories],
            )
            if (best_key is None or key > best_key) and _atoms_safe(cells, *chosen):
                best, best_key = chosen, key
    return {"region": best[0], "category": best[1]}


def suppression(reason: str) -> dict:
    """The figures of a group that is not shown: no numbers, the reason and a short label."""
    labels = {SMALL_GROUP: "n < 5", PROTECTS_SMALL_GROUP: "hidden", NOT_PUBLISHED: "not published"}
    return {"suppressed": True, "reason": reason, "label": labels[reason]}


def suppression_reason(mode: DisclosureMode, respondents: int) -> str:
    if mode is DisclosureMode.RESPONSE_MATRIX:
        return NOT_PUBLISHED
    return SMALL_GROUP if respondents < MIN_GROUP_SIZE else PROTECTS_SMALL_GROUP


def statement(mode: DisclosureMode):
    """What the panel is told, when invited and on every rating page, about how its answers are published
    (a lazy string: e-mails render it in the recipient's language)."""
    if mode is DisclosureMode.RESPONSE_MATRIX:
        return _l(
            "This survey releases a response matrix: its leads can download every respondent's ratings as one "
            "row, without name or e-mail, under a code that changes every round, and every download is recorded. "
            "A row is pseudonymous, not anonymous: someone who knows the panel well might recognise one. So that "
            "rows cannot be matched to groups, no results by region or stakeholder category are published. The "
            "other panellists see only the whole panel's results."
        )
    return _l(
        "Your individual ratings are seen by nobody but you. Panellists see the whole panel's results; the "
        "survey's leads also see results by region and stakeholder category, but never of fewer than 5 "
        "respondents, and never in a way that lets a smaller group be worked out from the others. There is "
        "no per-person export."
    )
