from datetime import date

import pytest

from engage.indicators.models import Direction, Indicator, Measurement, Unit
from engage.roadmap.models import RoadmapAction


@pytest.fixture
def action(db, working_group):
    made = RoadmapAction(sub_topic=working_group.themes[0].sub_topics[0], title="Test DPYD before chemotherapy")
    db.session.add(made)
    db.session.commit()
    return made


@pytest.fixture
def create_indicator(db, action):
    def make(measurements=(), **kw) -> Indicator:
        values = {
            "roadmap_action_id": action.id, "name": "DPYD testing", "unit": Unit.PERCENT,
            "direction": Direction.HIGHER_IS_BETTER, "baseline_low": 20.0, "baseline_high": 30.0,
            "baseline_on": date(2022, 1, 1), "target_value": 70.0, "target_on": date(2030, 1, 1),
            "scope": "overall", **kw,
        }  # fmt: skip
        indicator = Indicator(**values)
        indicator.measurements = [Measurement(scope=s, measured_on=d, value=v) for s, d, v in measurements]
        db.session.add(indicator)
        db.session.commit()
        return indicator

    return make


@pytest.fixture
def coordinator_h(auth_headers, coordinator):
    return auth_headers(coordinator)


@pytest.fixture
def participant_h(auth_headers, participant):
    return auth_headers(participant)


@pytest.fixture
def lead_h(auth_headers, lead):
    return auth_headers(lead)
