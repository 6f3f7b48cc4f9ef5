"""How each Delphi item of the demo fares: planned % agreement per round, and what the lead did between rounds.

The plan only sets how many panellists agree (rate 4 or 5); the consensus, the carried-forward items and the
priorities are worked out by the real services from the ratings, under the frozen rule (≥ 70 % rating 4–5).
Statements are written from the Results section of Beccia et al., Front. Med. 2025 (CC BY 4.0).
"""

from dataclasses import dataclass

from engage.delphi.models import ItemOrigin

LITERATURE, WORKSHOP, PANELLIST = ItemOrigin.LITERATURE, ItemOrigin.WORKSHOP, ItemOrigin.PANELLIST
THRESHOLD = 70


@dataclass(frozen=True)
class Item:
    key: str
    codes: tuple[str, ...]
    text: str
    r1: int | None  # planned % agreement in round 1; None for an item that joined in round 2
    r2: int | None = None  # planned % agreement in round 2, for an item asked again
    origin: ItemOrigin = LITERATURE
    reword: str | None = None  # round-2 wording
    drop: bool = False  # dropped after round 1
    merge_into: str | None = None  # key of the round-2 item it was merged into
    sources: tuple[str, ...] = ()  # for a merged item: the keys it replaces
    reason: str = ""  # why it was reworded, dropped, merged or added (audited)
    rationales: tuple[str, ...] = ()  # what panellists wrote in round 1 (shown in round 2's feedback)

    @property
    def settled_in_round_1(self) -> bool:
        return self.r1 is not None and self.r1 >= THRESHOLD

    @property
    def becomes_priority(self) -> bool:
        return self.settled_in_round_1 or (self.r2 is not None and self.r2 >= THRESHOLD)


def item(key: str, codes: str, text: str, r1: int, r2: int | None = None, **kw) -> Item:
    """A round-1 item; `codes` are codebook codes separated by spaces ("1.1.a 1.3.b")."""
    return Item(key, tuple(codes.split()), text, r1, r2, **kw)


def added(key: str, codes: str, text: str, r2: int, reason: str) -> Item:
    """An item a panellist suggested in round 1, added for round 2."""
    return Item(key, tuple(codes.split()), text, None, r2, origin=PANELLIST, reason=reason)


def merged(key: str, codes: str, text: str, r2: int, sources: tuple[str, ...], reason: str) -> Item:
    return Item(key, tuple(codes.split()), text, None, r2, sources=sources, reason=reason)


# Rationales written by panellists without an item-specific comment, by the side of their rating.
SUPPORTIVE = (
    "A precondition for most of the other actions in this pillar.",
    "We see this need every week in our hospital network.",
    "Achievable within the roadmap's time frame if funders commit early.",
    "Relevant in both regions; the EU–China exchange would add real value here.",
)
HESITANT = (
    "Relevant, but the wording is too broad to act on.",
    "Agree in principle; it is unclear who would be responsible.",
    "Depends heavily on national budgets, so hard to rate for both regions at once.",
    "More relevant to some Chinese provinces than to the EU as a whole, in my experience.",
    "Important for the EU, where the groundwork is less advanced than the text assumes.",
)
OPPOSED = (
    "Not a priority compared with data infrastructure and training.",
    "Out of reach for most health systems in the next five years.",
    "Largely covered by existing regulation already.",
    "Would add administrative burden without a clear benefit for patients.",
)
