from datetime import timedelta

import pytest

from engage.participation.models import Registration, RegistrationStatus
from engage.priorities.services import create_priority
from engage.timeutil import utcnow
from engage.workshops.models import AgendaItem


@pytest.fixture
def make_priority(db, working_group):
    def make(text="Promote digital health literacy", agreement=85.0):
        priority = create_priority(
            pillar_id=working_group.pillar_id,
            text=text,
            sub_topic_ids=[working_group.themes[0].sub_topics[0].id],
            final_statistics={
                "round": 2,
                "statistics": {"agreement_percent": agreement, "n_valid": 20, "median": 5.0, "iqr": 1.0},
            },
        )
        db.session.commit()
        return priority

    return make


@pytest.fixture
def workshop(create_workshop, working_group):
    """A past workshop of the lead's working group, with a two-item agenda."""
    starts = utcnow().replace(microsecond=0) - timedelta(days=3)
    return create_workshop(
        working_group,
        title="Round 1: data exchange",
        starts_at=starts,
        timezone="Asia/Shanghai",
        venue="Peking University, Beijing",
        agenda_items=[
            AgendaItem(position=1, title="Welcome"),
            AgendaItem(position=2, title="数据交换 Data exchange"),
        ],
    )


@pytest.fixture
def attend(db):
    def mark(workshop, user, status=RegistrationStatus.ATTENDED):
        db.session.add(Registration(workshop_id=workshop.id, user_id=user.id, status=status))
        db.session.commit()

    return mark


def _document(
    discussion="We discussed [[P-{p}]].",
    *,
    decision="Adopt the shared standard [[P-{p}]]",
    action="Draft a data-sharing template",
    p=1,
    n_sections=2,
):
    """A minutes document as the API takes it; `{p}` in the texts is the priority id."""
    sections = [{"title": "Welcome", "discussion": "Opening.", "decisions": [], "actions": []}]
    sections.append(
        {
            "title": "数据交换 Data exchange",
            "discussion": discussion.format(p=p),
            "decisions": [{"text": decision.format(p=p)}] if decision else [],
            "actions": [{"description": action.format(p=p), "owner": "王丽", "due_on": "2027-03-31", "status": "open"}]
            if action
            else [],
        }
    )
    return {"sections": sections[:n_sections]}


@pytest.fixture
def document():
    return _document
