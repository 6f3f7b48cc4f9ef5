"""What the parts of the demo share while it is being told: the clock, the seeded randomness, the people, and
the objects made so far, found again by their demo keys."""

import random
from dataclasses import dataclass, field

from engage.auth.models import User
from engage.delphi.models import DelphiItem, DelphiRound, DelphiSurvey
from engage.demo.accounts import Cast
from engage.demo.clock import DemoClock
from engage.minutes.models import Minutes
from engage.priorities.models import Priority
from engage.roadmap.models import RoadmapAction
from engage.workshops.models import WorkingGroup, Workshop


@dataclass
class SurveyState:
    survey: DelphiSurvey
    panel: list[User]
    items: dict[str, DelphiItem] = field(default_factory=dict)  # demo key → item
    rounds: list[DelphiRound] = field(default_factory=list)
    respondents: dict[int, list[User]] = field(default_factory=dict)  # round number → who submitted


@dataclass
class Story:
    clock: DemoClock
    rng: random.Random
    cast: Cast
    groups: dict[int, WorkingGroup]  # pillar number → working group
    codes: dict[str, int]  # codebook code → sub-topic id
    workshops: dict[tuple[int, int], Workshop] = field(default_factory=dict)  # (pillar, round) → workshop
    minutes: dict[tuple[int, int], Minutes] = field(default_factory=dict)
    surveys: dict[int, SurveyState] = field(default_factory=dict)  # pillar number → survey
    priorities: dict[str, Priority] = field(default_factory=dict)  # item key → priority
    actions: dict[str, RoadmapAction] = field(default_factory=dict)  # codebook code → action

    def lead(self, pillar: int) -> User:
        return self.cast.leads[pillar]

    def priority_ids(self, keys) -> list[int]:
        return [self.priorities[key].id for key in keys]

    def priorities_coded(self, code: str) -> list[Priority]:
        """The priorities coded to a sub-topic, in the order they were agreed."""
        sub_topic_id = self.codes[code]
        found = [p for p in self.priorities.values() if any(s.id == sub_topic_id for s in p.sub_topics)]
        return sorted(found, key=lambda p: p.id)
