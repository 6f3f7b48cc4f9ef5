from datetime import UTC, datetime

from engage.timeutil import utcnow

FIXED = datetime(2031, 5, 6, 7, 8, tzinfo=UTC)


def test_a_testing_app_can_move_the_clock(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENGAGE_TEST_NOW", lambda: FIXED)
    assert utcnow() == FIXED


def test_outside_testing_the_setting_is_ignored(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENGAGE_TEST_NOW", lambda: FIXED)
    monkeypatch.setitem(app.config, "TESTING", False)
    assert utcnow() != FIXED
