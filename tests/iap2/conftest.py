"""Helpers for IAP2 tests: design profiles and attendance."""

import pytest

from engage.extensions import db as _db
from engage.iap2.activities import load_activity
from engage.iap2.models import ActivityKind
from engage.iap2.services import save_design
from engage.participation.models import Registration, RegistrationStatus

LADDER = ("input_sought", "iterative_throughout", "shape_alternatives", "decision_delegated")


def answers(rank: int, declared=None) -> dict:
    """Design answers for the level with this rank (1 Inform … 5 Empower)."""
    data = {answer: i < rank - 1 for i, answer in enumerate(LADDER)}
    data["declared_level"] = declared
    return data


@pytest.fixture
def set_design(db):
    def make(workshop, rank: int, *, actor, declared=None):
        design = save_design(
            load_activity(ActivityKind.WORKSHOP, workshop.id), actor=actor, data=answers(rank, declared)
        )
        db.session.commit()
        return design

    return make


@pytest.fixture
def register_as(db):
    def make(workshop, user, status=RegistrationStatus.ATTENDED):
        _db.session.add(Registration(workshop_id=workshop.id, user_id=user.id, status=status))
        _db.session.commit()

    return make
