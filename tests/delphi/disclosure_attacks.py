"""An attacker's toolkit against Delphi disclosure control, working only from what the API publishes.

The attacker is a survey's lead (or any participant, for the priorities). They know the panel list
(names, region groups, categories: GET …/panel) and who has not submitted each round (GET
…/not-submitted), so they know exactly who is in every region × category cell of a round's
respondents. They never see a rating directly; each attack tries to work one out.

Each attack returns the breaches it found: a small group (1–4 respondents) whose figures it derived,
and, where the group is one person, the ratings it claims for them. The tests compare those claims
with the ratings really given.
"""

import csv
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

CANNOT = "cannot"
MIN_GROUP = 5


@dataclass
class Breach:
    attack: str
    people: tuple[int, ...]
    # item id → {value or "cannot": count} derived for the group; for one person, their rating
    figures: dict[int, dict] = field(default_factory=dict)

    def claims(self) -> dict[int, object] | None:
        """For a one-person group: item id → the rating it implies (value or "cannot")."""
        if len(self.people) != 1:
            return None
        out = {}
        for item_id, counts in self.figures.items():
            ones = [value for value, count in counts.items() if count == 1]
            if len(ones) != 1 or any(count not in (0, 1) for count in counts.values()):
                return None
            out[item_id] = ones[0]
        return out


def recovered(breaches: list[Breach], truth: dict[int, dict[int, object]]) -> list[str]:
    """The breaches that name one person and get every one of their ratings right."""
    found = []
    for breach in breaches:
        claims = breach.claims()
        if claims and len(breach.people) == 1:
            (person,) = breach.people
            actual = truth.get(person, {})
            if claims and all(actual.get(item_id) == value for item_id, value in claims.items()):
                found.append(f"{breach.attack}: panellist {person} rated {claims}")
    return found


# --- what the attacker reads -----------------------------------------------------------------------


def respondent_cells(
    panel: list[dict], not_submitted: dict, languages: dict[int, str] | None = None
) -> dict[tuple, list[int]]:
    """(region group, category) → ids of the round's respondents, from the panel list and the non-submitters.

    With `languages` (panellist id → the language they answered in) the cells are (region group, category,
    language): the attacker is assumed to know who reads which language (the invitation asked it, the
    e-mails go out in it), the strongest position, which the disclosure model must withstand.
    """
    missing = {p["id"] for p in not_submitted["people"]}
    cells: dict[tuple, list[int]] = defaultdict(list)
    for member in panel:
        if member["user_id"] not in missing:
            cell = (member["region_group"], member["category"])
            if languages is not None:
                cell += (languages[member["user_id"]],)
            cells[cell].append(member["user_id"])
    return dict(cells)


def _outcomes(stats: dict) -> dict:
    counts = {int(value): count for value, count in stats.get("distribution", {}).items()}
    counts[CANNOT] = stats.get("n_cannot_rate", 0)
    return counts


def published_sets(figures: dict) -> list[tuple[tuple[str, str], dict]]:
    """[(("overall", ""), stats), (("region", "EU"), stats), …] for every group shown with numbers.

    `figures` is a results item ({"overall", "by_region", "by_category"}) or a priority's final
    statistics ({"statistics", "by_region", "by_category"}).
    """
    shown = []
    overall = figures.get("overall", figures.get("statistics"))
    if overall and not overall.get("suppressed"):
        shown.append((("overall", ""), overall))
    for kind in ("region", "category", "language"):
        for name, stats in (figures.get(f"by_{kind}") or {}).items():
            if stats and not stats.get("suppressed"):
                shown.append(((kind, name), stats))
    return shown


DIMENSION = {"region": 0, "category": 1, "language": 2}


def _members(key: tuple[str, str], cell: tuple) -> bool:
    """Whether the respondents of a (region, category[, language]) cell count in a published group."""
    kind, name = key
    if kind == "overall":
        return True
    index = DIMENSION[kind]
    return index < len(cell) and cell[index] == name


# --- attack: overlapping dimensions, by linear algebra over the cells ------------------------------


def _solve(rows: list[list[Fraction]], target: list[Fraction]) -> list[Fraction] | None:
    """Coefficients x with Σ x_k·rows[k] = target, or None (Gaussian elimination in exact fractions)."""
    n, m = len(rows), len(target)
    matrix = [[rows[k][j] for k in range(n)] + [target[j]] for j in range(m)]
    pivots, r = [], 0
    for c in range(n):
        pivot = next((i for i in range(r, m) if matrix[i][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][c]
        matrix[r] = [v / lead for v in matrix[r]]
        for i in range(m):
            if i != r and matrix[i][c] != 0:
                factor = matrix[i][c]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    if any(all(v == 0 for v in row[:n]) and row[n] != 0 for row in matrix):
        return None
    x = [Fraction(0)] * n
    for i, c in enumerate(pivots):
        x[c] = matrix[i][n]
    return x


def subtraction_attack(
    name: str, cells: dict[tuple[str, str], list[int]], figures_by_item: dict[int, dict]
) -> list[Breach]:
    """Combine the shown groups (sums and differences) to get the figures of any set of 1–4 respondents.

    Every union of region × category cells holding 1–4 respondents is a target; a target is derived
    when its indicator is a linear combination of the shown groups' indicators (over the non-empty
    cells): its figures are then the same combination of the shown figures, exactly.
    """
    occupied = sorted(cell for cell, people in cells.items() if people)
    small = [cell for cell in occupied if len(cells[cell]) < MIN_GROUP]
    targets = []
    for size in range(1, 5):
        for combo in itertools.combinations(small, size):
            if 1 <= sum(len(cells[c]) for c in combo) < MIN_GROUP:
                targets.append(set(combo))
    breaches = []
    for item_id, figures in figures_by_item.items():
        shown = published_sets(figures)
        if not shown:
            continue
        rows = [[Fraction(int(_members(key, cell))) for cell in occupied] for key, _stats in shown]
        for target in targets:
            x = _solve(rows, [Fraction(int(cell in target)) for cell in occupied])
            if x is None:
                continue
            derived: dict = Counter()
            for coefficient, (_key, stats) in zip(x, shown, strict=True):
                for value, count in _outcomes(stats).items():
                    derived[value] += coefficient * count
            people = tuple(sorted(p for cell in target for p in cells[cell]))
            breaches.append(Breach(name, people, {item_id: {v: int(c) for v, c in derived.items() if c}}))
    return _merge_by_people(breaches)


def _merge_by_people(breaches: list[Breach]) -> list[Breach]:
    merged: dict[tuple, Breach] = {}
    for breach in breaches:
        into = merged.setdefault((breach.attack, breach.people), Breach(breach.attack, breach.people))
        into.figures.update(breach.figures)
    return list(merged.values())


# --- attack: the response matrix against the shown group distributions ----------------------------


def parse_matrix(text: str) -> dict[str, dict[int, object]]:
    """pseudonym → item id → value (int) or "cannot", from a responses.csv download."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if not line.startswith("#")]
    reader = csv.reader(lines)
    header = next(reader)
    first_item = next(i for i, column in enumerate(header) if column.startswith("item_"))
    item_ids = [int(column.removeprefix("item_")) for column in header[first_item:]]
    rows = {}
    for row in reader:
        values = {}
        for item_id, cell in zip(item_ids, row[first_item:], strict=True):
            if cell:
                values[item_id] = CANNOT if cell == "cannot rate" else int(cell)
        rows[row[0]] = values
    return rows


def _subsets_matching(rows: dict[str, dict], size: int, targets: dict[int, dict], limit: int = 2) -> list[set]:
    """Sets of `size` matrix rows whose ratings add up to `targets` (item → outcome → count) on every item.

    Depth-first with pruning: a row is taken only while every outcome it has is still needed, and a
    branch ends as soon as some needed count exceeds what the remaining rows could supply.
    """
    names = sorted(rows)
    keys = [(item_id, value) for item_id, counts in targets.items() for value in counts]
    need = {key: targets[key[0]].get(key[1], 0) for key in keys}
    supply = [Counter() for _ in range(len(names) + 1)]
    for index in range(len(names) - 1, -1, -1):
        supply[index] = supply[index + 1] + Counter((i, rows[names[index]].get(i)) for i in targets)
    solutions: list[set] = []
    chosen: list[str] = []
    budget = [300_000]

    def search(index: int, left: int) -> None:
        if len(solutions) >= limit or budget[0] <= 0:
            return
        budget[0] -= 1
        if left == 0:
            if all(count == 0 for count in need.values()):
                solutions.append(set(chosen))
            return
        if len(names) - index < left or any(need[key] > supply[index][key] for key in keys):
            return
        row = rows[names[index]]
        picks = [(i, row.get(i)) for i in targets]
        if all(need.get(key, 0) > 0 for key in picks):
            for key in picks:
                need[key] -= 1
            chosen.append(names[index])
            search(index + 1, left - 1)
            chosen.pop()
            for key in picks:
                need[key] += 1
        search(index + 1, left)

    search(0, size)
    return solutions if budget[0] > 0 else []


def matrix_attack(
    rows: dict[str, dict], cells: dict[tuple[str, str], list[int]], figures_by_item: dict[int, dict]
) -> list[Breach]:
    """Find, for each shown group, the one set of rows adding up to its figures; then a panellist whose
    known groups leave a single row is that row."""
    if not rows or not figures_by_item:
        return []
    first = next(iter(figures_by_item.values()))
    row_sets: dict[tuple[str, str], set] = {}
    for key, _stats in published_sets(first):
        if key[0] == "overall":
            continue
        targets = {item_id: _outcomes(dict(published_sets(f))[key]) for item_id, f in figures_by_item.items()}
        size = sum(next(iter(targets.values())).values())
        found = _subsets_matching(rows, size, targets)
        if len(found) == 1:
            row_sets[key] = found[0]
    breaches = []
    for cell, people in cells.items():
        for person in people:
            candidates = set(rows)
            for key, members in row_sets.items():
                candidates &= members if _members(key, cell) else set(rows) - members
            if len(candidates) == 1:
                (row,) = candidates
                breaches.append(
                    Breach("matrix rows vs group figures", (person,), {i: {v: 1} for i, v in rows[row].items()})
                )
    return breaches


# --- attack: the pseudonym that disappears between rounds -----------------------------------------


def linkage_attack(
    first: dict[str, dict], second: dict[str, dict], first_missing: dict, second_missing: dict
) -> list[Breach]:
    """The one round-1 pseudonym absent from round 2 belongs to the one person who submitted round 1
    but appears in round 2's not-submitted list."""
    gone = set(first) - set(second)
    dropped = {p["id"] for p in second_missing["people"]} - {p["id"] for p in first_missing["people"]}
    if len(gone) != 1 or len(dropped) != 1:
        return []
    (pseudonym,) = gone
    (person,) = dropped
    return [Breach("cross-round pseudonym linkage", (person,), {i: {v: 1} for i, v in first[pseudonym].items()})]


# --- attack: a profile change moves a closed round's figures ---------------------------------------


def profile_change_attack(person: int, before: dict[int, dict], after: dict[int, dict]) -> list[Breach]:
    """A group's figures before minus after a panellist moved out of it are that panellist's ratings."""
    breaches = []
    for item_id in before:
        was, now = dict(published_sets(before[item_id])), dict(published_sets(after.get(item_id, {})))
        for key in set(was) & set(now):
            diff = Counter(_outcomes(was[key]))
            diff.subtract(_outcomes(now[key]))
            moved = {value: abs(count) for value, count in diff.items() if count}
            if moved:
                breaches.append(Breach("profile change after close", (person,), {item_id: moved}))
    return _merge_by_people(breaches)
