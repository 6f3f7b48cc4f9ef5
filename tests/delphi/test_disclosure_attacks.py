"""The attacks that recovered individual Delphi ratings, played on generated panels of ~45 people.

Each panel (one per random seed) plants the structures the attacks feed on — region "other" holding
exactly one category, a panellist alone in their category, one alone in a region × category cell, a
panellist who drops out in round 2, Chinese panellists answering in Chinese but one who answers in English
(so "China minus the Chinese readers" is one person) — among randomly placed and randomly rating panellists. The
attacker reads only what the API gives a lead (results, exports, panel list, who has not submitted)
or any participant (priorities). A test fails if any attack derives the figures of a group of 1–4
respondents; its message names the individual ratings recovered.
"""

import random
from dataclasses import dataclass, field

import pytest

from engage.auth.models import StakeholderCategory
from engage.delphi import services
from engage.delphi.models import ItemOrigin
from engage.i18n import in_language
from engage.timeutil import utcnow
from tests.delphi import disclosure_attacks as attacks
from tests.delphi.conftest import WEEK

API = "/api/v1/delphi"
EU = ["IT", "DE", "FR", "ES", "NL", "PL"]
CHINA = ["CN-BJ", "CN-SH", "CN-GD", "CN-SC"]
ITEMS = 8
POPULAR = 2  # the first items reach consensus in round 1 and become priorities
SEEDS = [3, 17, 2026]


@dataclass
class Panel:
    survey: object
    rounds: list
    # round number → panellist id → item id → value or "cannot"
    truth: dict[int, dict[int, dict]] = field(default_factory=dict)
    people: list = field(default_factory=list)
    dropout: object = None
    mover: object = None
    # panellist id → the language they answer in (known to the attacker)
    languages: dict[int, str] = field(default_factory=dict)


def _plan(rng: random.Random) -> list[tuple[str, StakeholderCategory, str]]:
    """(region code, category, role) for each panellist."""
    categories = list(StakeholderCategory)
    rng.shuffle(categories)
    other_category, lonely_category, cell_category, *bulk = categories
    bulk = bulk[:5]
    plan = [("OTHER", other_category, "other region is one category")] * 5
    plan += [(rng.choice(EU), lonely_category, "alone in the category")]
    plan += [(rng.choice(CHINA), cell_category, "alone in the region × category cell")]
    plan += [(rng.choice(EU), cell_category, "")] * 5
    spread = [c for c in bulk for _ in range(6)] + [rng.choice(bulk) for _ in range(3)]
    plan += [(rng.choice(EU if rng.random() < 0.55 else CHINA), category, "") for category in spread]
    plan += [(rng.choice(EU), rng.choice(bulk), "never answers")]
    return plan


def _rating(rng: random.Random, position: int):
    if position < POPULAR:
        return rng.choices([5, 4, 3], weights=[6, 4, 1])[0]
    return rng.choices([1, 2, 3, 4, 5, None], weights=[3, 4, 4, 4, 3, 1])[0]


@pytest.fixture
def build(db, lead, working_group, create_user, client, auth_headers):
    def make(seed: int, mode: str = "group_results") -> Panel:
        rng = random.Random(seed)
        data = {"title": f"Generated panel {seed}"}
        if mode != "group_results":
            from engage.delphi.models import DisclosureMode

            data["disclosure_mode"] = DisclosureMode(mode)
        survey = services.create_survey(working_group, actor=lead, data=data)
        for n in range(ITEMS):
            services.add_item(survey, actor=lead, data={"text": f"Statement {n + 1}", "origin": ItemOrigin.LITERATURE})
        plan = _plan(rng)
        people = [create_user(region=region, category=category) for region, category, _role in plan]
        services.add_panellists(survey, actor=lead, user_ids=[u.id for u in people])
        db.session.commit()
        never = people[-1]
        bulk_eu = [u for u, (region, _c, role) in zip(people, plan, strict=True) if region in EU and not role]
        panel = Panel(survey=survey, rounds=[], people=people, dropout=bulk_eu[0], mover=bulk_eu[1])
        placed = list(zip(people, plan, strict=True))
        reads_english = next(u for u, (region, _c, role) in placed if region in CHINA and not role)
        panel.languages = {
            u.id: "zh" if region in CHINA and u is not reads_english else "en" for u, (region, *_) in placed
        }
        lead_headers = auth_headers(lead)
        for number in (1, 2):
            now = utcnow()
            round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
            db.session.commit()
            panel.rounds.append(round_)
            panel.truth[number] = {}
            for user in people:
                if user is never or (number == 2 and user is panel.dropout):
                    continue
                values = {ri.item_id: _rating(rng, ri.position - 1) for ri in round_.round_items}
                with in_language(panel.languages[user.id]):
                    services.save_response(
                        round_,
                        actor=user,
                        ratings=[{"item_id": i, "value": v, "cannot_rate": v is None} for i, v in values.items()],
                        submit=True,
                    )
                db.session.commit()
                panel.truth[number][user.id] = {i: attacks.CANNOT if v is None else v for i, v in values.items()}
            closed = client.post(f"{API}/rounds/{round_.id}/close", headers=lead_headers)
            assert closed.status_code == 200, closed.get_data(as_text=True)
        finalised = client.post(f"{API}/surveys/{survey.id}/finalise", headers=lead_headers)
        assert finalised.status_code == 200, finalised.get_data(as_text=True)
        assert finalised.get_json()["priority_ids"], "the popular items should have become priorities"
        return panel

    return make


@pytest.fixture
def lead_reads(client, lead, auth_headers):
    """GET as the lead: JSON body, or the text of a CSV, or None when refused."""
    headers = {}

    def get(path: str):
        headers.setdefault("Authorization", auth_headers(lead)["Authorization"])
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            return None
        return response.get_json() if response.is_json else response.get_data(as_text=True)

    return get


def _knowledge(lead_reads, panel: Panel, round_):
    """What the lead knows about a round: who responded in which cell, and the figures per item."""
    members = lead_reads(f"{API}/surveys/{panel.survey.id}/panel")
    missing = lead_reads(f"{API}/rounds/{round_.id}/not-submitted")
    results = lead_reads(f"{API}/rounds/{round_.id}/results")
    figures = {item["item_id"]: item for item in results["items"]} if results else {}
    return attacks.respondent_cells(members, missing, panel.languages), missing, figures


def _fail_message(breaches, panel: Panel, number: int) -> str:
    named = attacks.recovered(breaches, panel.truth[number])
    return f"{len(breaches)} groups of 1–4 respondents derived; individual ratings recovered: {named}"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("mode", ["group_results", "response_matrix"])
def test_cross_round_pseudonym_linkage_recovers_nothing(build, lead_reads, seed, mode):
    panel = build(seed, mode)
    first, second = panel.rounds
    matrices = [lead_reads(f"{API}/rounds/{r.id}/responses.csv") for r in panel.rounds]
    missing = [lead_reads(f"{API}/rounds/{r.id}/not-submitted") for r in (first, second)]
    if None in matrices:
        assert mode == "group_results", "a survey that declared the response matrix releases it"
        breaches = []
    else:
        breaches = attacks.linkage_attack(*(attacks.parse_matrix(m) for m in matrices), *missing)
    assert not breaches, _fail_message(breaches, panel, 1)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("mode", ["group_results", "response_matrix"])
def test_matrix_rows_against_group_figures_recover_nothing(build, lead_reads, seed, mode):
    panel = build(seed, mode)
    for number, round_ in enumerate(panel.rounds, start=1):
        cells, _missing, figures = _knowledge(lead_reads, panel, round_)
        matrix = lead_reads(f"{API}/rounds/{round_.id}/responses.csv")
        rows = attacks.parse_matrix(matrix) if matrix else {}
        breaches = attacks.matrix_attack(rows, cells, figures)
        assert not breaches, _fail_message(breaches, panel, number)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("mode", ["group_results", "response_matrix"])
def test_overlapping_dimensions_recover_nothing_from_results_or_priorities(
    build, lead_reads, client, participant, auth_headers, seed, mode
):
    panel = build(seed, mode)
    priorities = client.get("/api/v1/priorities?per_page=100", headers=auth_headers(participant)).get_json()["items"]
    for number, round_ in enumerate(panel.rounds, start=1):
        cells, _missing, figures = _knowledge(lead_reads, panel, round_)
        breaches = attacks.subtraction_attack("overlapping dimensions, lead's results", cells, figures)
        assert not breaches, _fail_message(breaches, panel, number)
        published = {p["id"]: p["final_statistics"] for p in priorities if p["final_statistics"]["round"] == number}
        breaches = attacks.subtraction_attack("overlapping dimensions, priorities", cells, published)
        assert not breaches, _fail_message(breaches, panel, number)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_profile_change_moves_no_closed_round_figure(build, lead_reads, client, auth_headers, seed):
    panel = build(seed)
    before = {r.id: lead_reads(f"{API}/rounds/{r.id}/results") for r in panel.rounds}
    moved = client.patch("/api/v1/me", json={"region": "CN-SH"}, headers=auth_headers(panel.mover))
    assert moved.status_code == 200
    for number, round_ in enumerate(panel.rounds, start=1):
        after = lead_reads(f"{API}/rounds/{round_.id}/results")
        breaches = attacks.profile_change_attack(
            panel.mover.id,
            {i["item_id"]: i for i in before[round_.id]["items"]},
            {i["item_id"]: i for i in after["items"]},
        )
        assert not breaches, _fail_message(breaches, panel, number)
        assert after == before[round_.id]


@pytest.mark.parametrize("seed", SEEDS)
def test_language_groups_are_published_and_china_minus_chinese_readers_recovers_nothing(build, lead_reads, seed):
    """The results show language groups where that is safe; no difference of them with the region and
    category groups gives the panellist in China who answered in English (or any group under 5)."""
    panel = build(seed)
    for number, round_ in enumerate(panel.rounds, start=1):
        cells, _missing, figures = _knowledge(lead_reads, panel, round_)
        results = lead_reads(f"{API}/rounds/{round_.id}/results")
        assert set(results["respondents"]["by_language"]) == {"en", "zh"}
        assert results["disclosure"]["shown"]["language"] or results["disclosure"]["shown"]["region"]
        breaches = attacks.subtraction_attack("region, category and language groups", cells, figures)
        assert not breaches, _fail_message(breaches, panel, number)


def test_china_minus_chinese_readers_does_not_give_the_one_who_read_english(
    db, lead, working_group, create_user, client, lead_reads
):
    """10 EU academics and 6 Chinese academics, of whom 5 answer in Chinese and 1 in English: region groups
    and language groups published side by side would give that one panellist's ratings as China − zh."""
    rng = random.Random(7)
    survey = services.create_survey(working_group, actor=lead, data={"title": "China minus zh"})
    for n in range(3):
        services.add_item(survey, actor=lead, data={"text": f"Statement {n + 1}", "origin": ItemOrigin.LITERATURE})
    academic = StakeholderCategory.ACADEMIA_RESEARCH
    people = [create_user(region=rng.choice(EU), category=academic) for _ in range(10)]
    people += [create_user(region=rng.choice(CHINA), category=academic) for _ in range(6)]
    languages = {u.id: "en" for u in people[:11]} | {u.id: "zh" for u in people[11:]}
    services.add_panellists(survey, actor=lead, user_ids=[u.id for u in people])
    now = utcnow()
    round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
    db.session.commit()
    truth = {}
    for user in people:
        values = {ri.item_id: rng.choice([1, 2, 3, 4, 5]) for ri in round_.round_items}
        with in_language(languages[user.id]):
            services.save_response(
                round_, actor=user, ratings=[{"item_id": i, "value": v} for i, v in values.items()], submit=True
            )
        db.session.commit()
        truth[user.id] = values
    services.close_round(round_, actor=lead)
    db.session.commit()
    panel = Panel(survey=survey, rounds=[round_], truth={1: truth}, people=people, languages=languages)
    cells, _missing, figures = _knowledge(lead_reads, panel, round_)
    breaches = attacks.subtraction_attack("China minus the Chinese readers", cells, figures)
    assert not breaches, _fail_message(breaches, panel, 1)
    results = lead_reads(f"{API}/rounds/{round_.id}/results")
    assert results["disclosure"]["shown"]["region"] or results["disclosure"]["shown"]["language"]
