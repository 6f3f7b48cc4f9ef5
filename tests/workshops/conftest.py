"""Helpers for the workshop tests: a valid workshop payload."""

import pytest


@pytest.fixture
def workshop_payload():
    """A valid POST /api/v1/workshops body for a working group; keyword arguments override fields."""

    def make(working_group_id: int, **overrides) -> dict:
        payload = {
            "working_group_id": working_group_id,
            "title": "Round 2: data exchange",
            "round": 2,
            "starts_at": "2027-03-01T10:00",
            "ends_at": "2027-03-01T13:00",
            "timezone": "Europe/Rome",
            "venue": "Sapienza University, Rome",
            "capacity": 25,
            "agenda_items": [{"title": "Welcome", "duration_minutes": 15}, {"title": "Discussion"}],
        }
        payload.update(overrides)
        return payload

    return make
