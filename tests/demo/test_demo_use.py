"""Using the demo: a named participant rates the open round; loading it again is refused politely."""

import pytest
import sqlalchemy as sa

from engage.auth.models import User
from engage.delphi.models import DelphiRating, DelphiResponse, DelphiRound, DelphiSurvey, ResponseStatus
from engage.demo import DemoRefused, seed_demo
from engage.timeutil import utcnow


def _open_round(db) -> DelphiRound:
    now = utcnow()
    return db.session.scalar(
        sa.select(DelphiRound).join(DelphiSurvey).where(DelphiRound.opens_at <= now, DelphiRound.closes_at > now)
    )


def test_a_demo_participant_sees_round_one_feedback_and_rates_the_open_round(client, db, sign_in):
    round_ = _open_round(db)
    giulia = db.session.scalar(sa.select(User).where(User.email == "giulia.romano@engage.example"))
    sign_in("giulia.romano@engage.example")
    try:
        listing = client.get("/delphi").get_data(as_text=True)
        assert "Pillar III Delphi survey" in listing
        page = client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)
        assert "Round 1" in page and "Researchers need it as much as patients" in page  # anonymous rationales
        items = [ri.item_id for ri in round_.round_items]
        form = {f"value-{item_id}": "4" for item_id in items} | {"action": "submit"}
        response = client.post(f"/delphi/rounds/{round_.id}", data=form, follow_redirects=True)
        assert "Your answers are submitted" in response.get_data(as_text=True)
        db.session.expire_all()
        mine = db.session.scalar(
            sa.select(DelphiResponse).where(
                DelphiResponse.round_id == round_.id, DelphiResponse.panellist_id == giulia.id
            )
        )
        assert mine.status is ResponseStatus.SUBMITTED
    finally:  # the other demo tests read the round as seeded
        db.session.rollback()
        db.session.execute(
            sa.delete(DelphiRating).where(DelphiRating.round_id == round_.id, DelphiRating.panellist_id == giulia.id)
        )
        db.session.execute(
            sa.delete(DelphiResponse).where(
                DelphiResponse.round_id == round_.id, DelphiResponse.panellist_id == giulia.id
            )
        )
        db.session.commit()


def test_seeding_a_database_that_holds_a_consortium_is_refused_and_changes_nothing(app, db):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    with pytest.raises(DemoRefused, match=r"already holds a consortium \(3 pillars"):
        seed_demo(utcnow())
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before

    result = app.test_cli_runner().invoke(args=["engage", "seed", "--demo"])
    assert result.exit_code == 1
    assert "already holds a consortium" in result.output and "empty database" in result.output
    kept = app.test_cli_runner().invoke(args=["engage", "seed", "--demo", "--if-empty"])
    assert kept.exit_code == 0 and kept.output.startswith("Demo not loaded: This database already holds")
