"""Ratings that give an item its planned agreement, the way a real panel would produce it.

Each panellist has a fixed, seeded leaning per item (slightly different in the EU and China for each item),
so the same people agree in both rounds and those who move in round 2 are the ones closest to agreeing:
stability between rounds comes out realistic, and region groups differ item by item. A few panellists
cannot rate an item (not a valid rating).
"""

import math
import random
from dataclasses import dataclass

from engage.auth.models import User
from engage.auth.regions import RegionGroup
from engage.demo.delphi_plan import HESITANT, OPPOSED, SUPPORTIVE, THRESHOLD, Item

CANNOT_RATE_SHARE = 0.025


@dataclass(frozen=True)
class Leaning:
    score: float  # who agrees first
    value: float  # which agreeing (4/5) or other (1–3) value
    cannot: float
    writes: float  # who writes a rationale first


def _leaning(item: Item, user: User) -> Leaning:
    rng = random.Random(f"{item.key}|{user.email}")
    bias = random.Random(f"region bias|{item.key}").uniform(-0.3, 0.3)
    score = rng.random() + (bias if user.region_group is RegionGroup.EU else -bias)
    return Leaning(score, rng.random(), rng.random(), rng.random())


def _agreeing_count(target: int, n: int) -> int:
    """How many of n valid ratings agree: the planned share, on the planned side of the threshold."""
    needed = math.ceil(THRESHOLD * n / 100)
    planned = round(target * n / 100)
    return max(planned, needed) if target >= THRESHOLD else min(planned, needed - 1)


def ratings_for(item: Item, target: int, respondents: list[User], *, with_rationales: bool) -> dict[int, dict]:
    """Panellist id → {"value" | "cannot_rate", "rationale"} for one item of one round."""
    leanings = {user.id: _leaning(item, user) for user in respondents}
    valid = [u for u in respondents if leanings[u.id].cannot >= CANNOT_RATE_SHARE]
    valid.sort(key=lambda u: (-leanings[u.id].score, u.email))
    agreeing = {u.id for u in valid[: _agreeing_count(target, len(valid))]}
    share_of_fives = min(max(0.25 + (target - 60) / 80, 0.15), 0.7)
    ratings = {}
    for user in respondents:
        leaning = leanings[user.id]
        if leaning.cannot < CANNOT_RATE_SHARE:
            ratings[user.id] = {"cannot_rate": True, "rationale": ""}
        elif user.id in agreeing:
            ratings[user.id] = {"value": 5 if leaning.value < share_of_fives else 4, "rationale": ""}
        else:
            ratings[user.id] = {
                "value": 3 if leaning.value < 0.55 else 2 if leaning.value < 0.88 else 1,
                "rationale": "",
            }
    if with_rationales:
        _add_rationales(item, respondents, leanings, ratings)
    return ratings


def _add_rationales(item: Item, respondents: list[User], leanings: dict, ratings: dict) -> None:
    """The item's own rationales if it has any, else two from the general pools by the side of the rating."""
    writers = sorted(
        (u for u in respondents if "value" in ratings[u.id]), key=lambda u: (leanings[u.id].writes, u.email)
    )
    if item.rationales:
        for user, text in zip(writers, item.rationales, strict=False):
            ratings[user.id]["rationale"] = text
        return
    for user in writers[:2]:
        value = ratings[user.id]["value"]
        pool = SUPPORTIVE if value >= 4 else HESITANT if value == 3 else OPPOSED
        ratings[user.id]["rationale"] = pool[int(leanings[user.id].value * len(pool))]
