import pytest

from engage.priorities.services import create_priority


@pytest.fixture
def priority(db, working_group):
    made = create_priority(
        pillar_id=working_group.pillar_id,
        text="Promote digital health literacy",
        sub_topic_ids=[working_group.themes[0].sub_topics[0].id],
        final_statistics={"round": 2, "statistics": {"agreement_percent": 85.0, "n_valid": 20}},
    )
    db.session.commit()
    return made
