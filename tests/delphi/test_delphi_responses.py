"""Answering a round: drafts, submission, changes until close, and every refusal storing nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.delphi import services
from engage.delphi.models import DelphiRating, DelphiResponse, ResponseStatus
from engage.errors import DomainError, PermissionDenied, ValidationError
from tests.delphi.conftest import T0, WEEK


@pytest.fixture
def setup(create_survey, create_panel, open_round):
    survey = create_survey(texts=("A", "B"))
    (panellist,) = create_panel(survey, 1)
    round_ = open_round(survey)
    a, b = (ri.item_id for ri in round_.round_items)
    return round_, panellist, a, b


def _ratings(db, round_):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(DelphiRating).where(DelphiRating.round_id == round_.id).order_by(DelphiRating.item_id)
    ).all()


def test_draft_keeps_partial_answers_and_submit_needs_every_item(db, setup):
    round_, panellist, a, b = setup
    now = T0 + timedelta(hours=1)
    services.save_response(round_, actor=panellist, ratings=[{"item_id": a, "value": 4, "rationale": "Key"}], now=now)
    db.session.commit()
    response, ratings = services.my_response(round_, panellist)
    assert response.status is ResponseStatus.DRAFT and ratings[a].value == 4 and ratings[a].rationale == "Key"
    with pytest.raises(ValidationError) as incomplete:
        services.save_response(round_, actor=panellist, ratings=[], submit=True, now=now)
    assert incomplete.value.errors["ratings"]["missing_item_ids"] == [str(b)]
    db.session.rollback()
    services.save_response(round_, actor=panellist, ratings=[{"item_id": b, "cannot_rate": True}], submit=True, now=now)
    db.session.commit()
    response, ratings = services.my_response(round_, panellist)
    assert response.status is ResponseStatus.SUBMITTED and response.submitted_at == now
    assert (ratings[b].value, ratings[b].is_cannot_rate) == (None, True)


def test_submitted_answers_can_change_until_close(db, setup, rate):
    round_, panellist, a, b = setup
    rate(round_, panellist, {a: 4, b: 5})
    services.save_response(round_, actor=panellist, ratings=[{"item_id": a, "value": 2}], now=T0 + timedelta(days=3))
    db.session.commit()
    assert [r.value for r in _ratings(db, round_)] == [2, 5]
    assert db.session.scalar(sa.select(DelphiResponse.status)) is ResponseStatus.SUBMITTED


def test_after_close_changes_are_refused_and_the_draft_is_kept(db, setup):
    round_, panellist, a, b = setup
    services.save_response(round_, actor=panellist, ratings=[{"item_id": a, "value": 3}], now=T0)
    db.session.commit()
    with pytest.raises(DomainError) as closed:
        services.save_response(
            round_,
            actor=panellist,
            ratings=[{"item_id": a, "value": 5}, {"item_id": b, "value": 5}],
            submit=True,
            now=T0 + WEEK,
        )
    db.session.rollback()
    assert closed.value.code == "round_closed" and closed.value.status == 409
    assert "kept" in closed.value.message
    assert [(r.item_id, r.value) for r in _ratings(db, round_)] == [(a, 3)]
    assert db.session.scalar(sa.select(DelphiResponse.status)) is ResponseStatus.DRAFT


def test_before_opening_is_refused(db, lead, create_survey, create_panel):
    survey = create_survey()
    (panellist,) = create_panel(survey, 1)
    round_ = services.schedule_round(survey, actor=lead, opens_at=T0 + WEEK, closes_at=T0 + 2 * WEEK, now=T0)
    with pytest.raises(DomainError) as early:
        services.save_response(round_, actor=panellist, ratings=[], now=T0)
    assert early.value.code == "round_not_open"


@pytest.mark.parametrize(
    "rating, field",
    [
        ({"value": 6}, "value"),
        ({"value": 0}, "value"),
        ({"value": 4, "cannot_rate": True}, "cannot_rate"),
        ({"value": 4, "rationale": "x" * 2001}, "rationale"),
    ],
)
def test_bad_rating_is_422_and_nothing_is_stored(db, setup, rating, field):
    round_, panellist, a, b = setup
    with pytest.raises(ValidationError) as refused:
        services.save_response(
            round_, actor=panellist, ratings=[{"item_id": b, "value": 3}, {"item_id": a, **rating}], now=T0
        )
    db.session.rollback()
    assert field in refused.value.errors["ratings"]["1"]
    assert _ratings(db, round_) == []


def test_rating_an_item_not_in_the_round_is_422(db, setup, lead, create_survey):
    round_, panellist, a, b = setup
    other = create_survey(texts=("Elsewhere",))
    with pytest.raises(ValidationError) as refused:
        services.save_response(round_, actor=panellist, ratings=[{"item_id": other.items[0].id, "value": 3}], now=T0)
    assert "item_id" in refused.value.errors["ratings"]["0"]


def test_cannot_rate_refused_when_the_rule_does_not_allow_it(db, create_survey, create_panel, open_round):
    survey = create_survey(allows_cannot_rate=False)
    (panellist,) = create_panel(survey, 1)
    round_ = open_round(survey)
    with pytest.raises(ValidationError) as refused:
        services.save_response(
            round_, actor=panellist, ratings=[{"item_id": survey.items[0].id, "cannot_rate": True}], now=T0
        )
    assert "cannot_rate" in refused.value.errors["ratings"]["0"]


def test_someone_not_on_the_panel_is_403_and_nothing_is_stored(db, setup, participant, lead):
    round_, panellist, a, b = setup
    for outsider in (participant, lead):
        with pytest.raises(PermissionDenied) as refused:
            services.save_response(round_, actor=outsider, ratings=[{"item_id": a, "value": 3}], now=T0)
        db.session.rollback()
        assert refused.value.code == "not_on_panel"
    assert _ratings(db, round_) == []


def test_a_removed_panellist_can_no_longer_answer(db, setup, lead):
    round_, panellist, a, b = setup
    services.remove_panellist(round_.survey, actor=lead, user_id=panellist.id, now=T0)
    with pytest.raises(PermissionDenied):
        services.save_response(round_, actor=panellist, ratings=[{"item_id": a, "value": 3}], now=T0)
