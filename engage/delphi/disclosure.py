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
- Language groups (the language each respondent read and answered the round in) are a third dimension of
  the same atoms: a language is published only in a choice where every region × category × language atom
  holds 0 or at least 5. Language correlates with region (China reads Chinese), so language groups published
  beside region groups on their own would let "China minus Chinese" give the few Chinese panellists who
  read English; chosen jointly, that difference is never a group under 5. Responses saved before the
  language was recorded belong to no language group (an atom of their own, never published).
- A survey in the response-matrix mode releases each respondent's ratings as a row without name under a
  code that changes every round, to its leads, with every download audited; it then publishes no group
  figures at all, because rows could be matched to them. Its panel is told so when invited.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain, combinations, product

from flask_babel import lazy_gettext as _l

from engage.delphi.models import DisclosureMode
from engage.delphi.statistics import MIN_GROUP_SIZE

# Why a group shows no figures (the "reason" of a suppressed cell).
SMALL_GROUP = "small_group"
PROTECTS_SMALL_GROUP = "protects_small_group"
NOT_PUBLISHED = "not_published"


def _subsets(names: list[str]) -> Iterable[tuple[str, ...]]:
    return chain.from_iterable(combinations(names, k) for k in range(len(names) + 1))


def _atoms_safe(cells: Mapping[tuple, int], shown: list[set[str]]) -> bool:
    atoms: dict[tuple, int] = defaultdict(int)
    for cell, n in cells.items():
        atoms[tuple(value if value in names else None for value, names in zip(cell, shown, strict=True))] += n
    return all(n == 0 or n >= MIN_GROUP_SIZE for n in atoms.values())


def published_groups(
    cells: Mapping[tuple, int], regions: list[str], categories: list[str], languages: list[str] | None = None
) -> dict[str, set[str]]:
    """The region groups and categories (and languages, when given) whose figures may be shown, given the
    respondents per (region, category) cell — or per (region, category, language) cell with languages.

    Nothing is shown when fewer than 5 responded. Only groups of at least 5 are candidates; every
    combination of candidates (at most 2³ × 2⁹ × 2²) is checked for atoms of 1–4 respondents.
    """
    names = {"region": list(regions), "category": list(categories)}
    if languages is not None:
        names["language"] = list(languages)
    kinds = list(names)
    # A cell without a language (2-tuples, or a response from before languages were recorded) is in none.
    cells = {tuple(cell) + (None,) * (len(kinds) - len(cell)): n for cell, n in cells.items()}
    if sum(cells.values()) < MIN_GROUP_SIZE:
        return {kind: set() for kind in kinds}
    size = {
        (kind, name): sum(n for cell, n in cells.items() if cell[index] == name)
        for index, kind in enumerate(kinds)
        for name in names[kind]
    }
    candidates = [[name for name in names[kind] if size[(kind, name)] >= MIN_GROUP_SIZE] for kind in kinds]
    best, best_key = [set() for _ in kinds], None
    for choice in product(*(list(_subsets(c)) for c in candidates)):
        chosen = [set(shown) for shown in choice]
        key = (
            sum(len(shown) for shown in choice),
            sum(size[(kind, name)] for kind, shown in zip(kinds, choice, strict=True) for name in shown),
            [name in shown for kind, shown in zip(kinds, chosen, strict=True) for name in names[kind]],
        )
        if (best_key is None or key > best_key) and _atoms_safe(cells, chosen):
            best, best_key = chosen, key
    return dict(zip(kinds, best, strict=True))


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
        "survey's leads also see results by region, stakeholder category and the language you answer in, but "
        "never of fewer than 5 respondents, and never in a way that lets a smaller group be worked out from the "
        "others. There is no per-person export."
    )
