"""The demo is the IC2PerMed project in mid-flight (issue #9 §1): what a newcomer finds, checked in the data."""

from datetime import date

import sqlalchemy as sa

from engage.auth.models import Role, User
from engage.auth.regions import RegionGroup
from engage.auth.services import consortium_name
from engage.consultations.models import Consultation
from engage.consultations.services import response_of
from engage.delphi.models import (
    AuditAction,
    DelphiAuditEntry,
    DelphiPanelMember,
    DelphiResponse,
    DelphiRound,
    DelphiSurvey,
    ResponseStatus,
)
from engage.demo.accounts import PARTICIPANTS
from engage.indicators.models import Indicator
from engage.indicators.services import indicator_status
from engage.indicators.status import Status
from engage.minutes.models import Minutes, MinutesComment, MinutesLink, MinutesStatus
from engage.notifications.models import Notification
from engage.participation.models import Comment, Registration, RegistrationStatus
from engage.participation.services import waitlist_positions
from engage.priorities.models import Priority
from engage.roadmap.models import RoadmapAction
from engage.roadmap.services import roadmap_table
from engage.timeutil import to_zone, utcnow
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup, Workshop


def _all(db, model, *where):
    return db.session.scalars(sa.select(model).where(*where)).all()


def _user(db, email_start: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email.startswith(email_start)))


def _workshop(db, pillar: int, round_number: int) -> Workshop:
    return db.session.scalar(
        sa.select(Workshop)
        .join(WorkingGroup)
        .join(Pillar)
        .where(Pillar.number == pillar, Workshop.round == round_number)
    )


def _survey(db, pillar: int) -> DelphiSurvey:
    return db.session.scalar(sa.select(DelphiSurvey).join(WorkingGroup).join(Pillar).where(Pillar.number == pillar))


def test_the_reference_consortium_and_its_counts(db):
    pillars = _all(db, Pillar)
    assert sorted(p.name for p in pillars) == [
        "Innovation and market",
        "Research and clinical studies in PM",
        "Shaping sustainable healthcare",
    ]
    assert len(_all(db, Theme)) == 7 and len(_all(db, SubTopic)) == 24  # Table 1
    assert len(_all(db, Workshop)) == 9
    assert sorted((w.working_group.pillar.number, w.round) for w in _all(db, Workshop)) == [
        (p, r) for p in (1, 2, 3) for r in (1, 2, 3)
    ]
    assert len(_all(db, DelphiSurvey)) == 3
    assert consortium_name() == "IC2PerMed"


def test_65_priorities_from_the_finalised_surveys_of_pillars_one_and_two(db):
    priorities = _all(db, Priority)
    assert len(priorities) == 65
    by_pillar = {n: sum(p.pillar.number == n for p in priorities) for n in (1, 2, 3)}
    assert by_pillar == {1: 38, 2: 27, 3: 0}
    finalised = {s.working_group.pillar.number: s.is_finalised for s in _all(db, DelphiSurvey)}
    assert finalised == {1: True, 2: True, 3: False}
    for priority in priorities:
        assert priority.sub_topics, priority.text
        assert {s.theme.working_group.pillar_id for s in priority.sub_topics} == {priority.pillar_id}
        stats = priority.final_statistics["statistics"]
        assert stats["has_consensus"] and stats["agreement_percent"] >= 70
        assert priority.final_statistics["rule"]["threshold_percent"] == 70


def test_24_roadmap_actions_each_traced_to_priorities(db):
    actions = _all(db, RoadmapAction, RoadmapAction.merged_into_id.is_(None))
    assert len(actions) == 24
    assert {a.sub_topic_id for a in actions} == {s.id for s in _all(db, SubTopic)}
    assert all(action.priorities for action in actions)
    fed = {p.id for action in actions for p in action.priorities}
    assert fed == {p.id for p in _all(db, Priority)}  # every priority feeds the roadmap
    for action in actions:
        pillar = action.sub_topic.theme.working_group.pillar.number
        if pillar in (1, 2):  # merged by the sub-topic the priorities were coded to, as in the paper
            assert all(action.sub_topic in p.sub_topics for p in action.priorities)
        else:  # provisional, and says so, until pillar III's survey is finalised
            assert {p.pillar.number for p in action.priorities} <= {1, 2}
            assert "Provisional trace" in action.description


def test_roadmap_page_is_table_1_with_one_action_per_sub_topic(client):
    table = roadmap_table()
    cells = [len(s["actions"]) for block in table for t in block["themes"] for s in t["sub_topics"]]
    assert len(cells) == 24 and set(cells) == {1}
    page = client.get("/roadmap").get_data(as_text=True)
    assert "Pillar 2: Innovation and market" in page
    assert "Secure data and build trust in data sharing" in page
    assert page.count('class="card"') == 24


def test_workshop_rounds_are_past_past_and_open_for_registration(db):
    now = utcnow()
    for pillar in (1, 2, 3):
        first, second, third = (_workshop(db, pillar, r) for r in (1, 2, 3))
        assert first.ends_at < second.starts_at < now < third.starts_at
        assert third.registration_is_open(now)
        for past in (first, second):
            attended = _all(db, Registration, Registration.workshop_id == past.id)
            assert sum(r.status is RegistrationStatus.ATTENDED for r in attended) >= 10
        for workshop in (first, second, third):
            assert to_zone(workshop.starts_at, workshop.timezone).weekday() < 5  # on a working day


def test_the_six_seat_roundtable_is_full_with_a_waiting_list(db):
    roundtable = _workshop(db, 3, 3)
    assert (roundtable.capacity, roundtable.confirmed_count, roundtable.is_full) == (6, 6, True)
    positions = waitlist_positions(roundtable.id)
    waiting = {db.session.get(Registration, rid).user.email: place for rid, place in positions.items()}
    assert len(waiting) == 3 and waiting["sophie.martin@engage.example"] == 1
    registrations = _all(db, Registration, Registration.workshop_id == roundtable.id)
    assert any(r.promoted_at for r in registrations)  # a cancellation gave the seat to the first waiting
    assert sum(r.status is RegistrationStatus.CANCELLED for r in registrations) == 1


def test_minutes_round_one_published_with_priority_links_round_two_in_progress(db):
    by_workshop = {(m.workshop.working_group.pillar.number, m.workshop.round): m for m in _all(db, Minutes)}
    for pillar in (1, 2, 3):
        first = by_workshop[(pillar, 1)]
        assert first.status is MinutesStatus.PUBLISHED and first.published_version_number == 2
        assert [v.number for v in first.versions] == [1, 2]
        assert first.versions[1].content["priorities"], pillar  # version 2 links the priorities discussed
        links = _all(db, MinutesLink, MinutesLink.minutes_id == first.id, MinutesLink.priority_id.is_not(None))
        assert links
    assert by_workshop[(1, 2)].status is MinutesStatus.APPROVED
    circulating = by_workshop[(2, 2)]
    assert circulating.status is MinutesStatus.CIRCULATED and circulating.comment_deadline_at > utcnow()
    assert len(_all(db, MinutesComment, MinutesComment.minutes_id == circulating.id)) >= 3
    assert by_workshop[(3, 2)].status is MinutesStatus.DRAFT
    assert (3, 3) not in by_workshop


def test_delphi_surveys_follow_the_papers_rule_with_realistic_panels(db):
    now = utcnow()
    for pillar in (1, 2, 3):
        survey = _survey(db, pillar)
        rule = survey.rule
        assert (rule.scale_min, rule.scale_max, rule.agreeing_values, rule.threshold_percent) == (1, 5, [4, 5], 70)
        assert rule.rounds_planned == 2 and rule.is_frozen(now)
        panel = [m.user for m in _all(db, DelphiPanelMember, DelphiPanelMember.survey_id == survey.id)]
        assert 40 <= len(panel) <= 60
        groups = {u.region_group for u in panel}
        assert groups == {RegionGroup.EU, RegionGroup.CHINA}
        assert len({u.category for u in panel}) == 9
    first, second = _survey(db, 3).rounds
    assert first.is_closed(now) and second.is_open(now)
    for pillar in (1, 2):
        assert all(r.is_closed(now) for r in _survey(db, pillar).rounds)


def test_results_show_both_region_groups_and_suppress_small_categories(client, db, sign_in):
    round_ = _survey(db, 1).rounds[0]
    sign_in("lead.pillar1@engage.example")
    body = client.get(f"/api/v1/delphi/rounds/{round_.id}/results").get_json()
    respondents = body["respondents"]
    assert 40 <= respondents["overall"] <= 60
    assert respondents["by_region"]["EU"] >= 5 and respondents["by_region"]["China"] >= 5
    suppressed = [name for name, n in respondents["by_category"].items() if n is None]
    shown = [name for name, n in respondents["by_category"].items() if n is not None]
    assert {"industry", "payer", "funder"} <= set(suppressed) and len(shown) >= 3
    item = body["items"][0]
    assert item["by_category"]["payer"]["suppressed"] is True and item["by_category"]["payer"]["label"] == "n < 5"
    assert "agreement_percent" in item["by_region"]["China"]
    page = client.get(f"/manage/delphi/rounds/{round_.id}/results").get_data(as_text=True)
    assert "n &lt; 5" in page or "n < 5" in page


def test_a_realistic_mix_of_consensus_near_misses_and_carried_items(db):
    survey = _survey(db, 1)
    from engage.delphi.services import round_results

    first = round_results(survey.rounds[0], now=utcnow())["items"]
    agreement = [i["overall"]["agreement_percent"] for i in first]
    assert 25 <= sum(a >= 70 for a in agreement) <= 35
    assert sum(60 <= a < 70 for a in agreement) >= 5  # near misses
    assert sum(a < 50 for a in agreement) >= 3
    audit = {a for (a,) in db.session.execute(sa.select(DelphiAuditEntry.action))}
    assert {AuditAction.ITEM_REWORDED, AuditAction.ITEM_MERGED, AuditAction.ITEM_DROPPED, AuditAction.ITEM_CARRIED,
            AuditAction.ITEM_SETTLED, AuditAction.ITEM_ADDED, AuditAction.SURVEY_FINALISED} <= audit  # fmt: skip
    reworded = _all(db, DelphiAuditEntry, DelphiAuditEntry.action == AuditAction.ITEM_REWORDED)
    assert len(reworded) >= 5 and all(entry.reason and entry.details["before"]["text"] for entry in reworded)


def test_open_round_has_feedback_to_show_and_submissions_so_far(db):
    from engage.delphi.services import feedback_for

    second = _survey(db, 3).rounds[1]
    feedback = feedback_for(second, _user(db, "li.wei@"))
    carried = [f for f in feedback.values() if f["rationales"]]
    assert len(carried) >= 8 and all(f["own_rating"] is not None for f in carried)
    statuses = [r.status for r in _all(db, DelphiResponse, DelphiResponse.round_id == second.id)]
    assert statuses.count(ResponseStatus.SUBMITTED) >= 15 and ResponseStatus.DRAFT in statuses


def test_consultations_one_open_with_comments_one_closed_with_its_response(db):
    now = utcnow()
    consultations = {c.state(now).value: c for c in _all(db, Consultation)}
    assert set(consultations) == {"open", "closed"}
    open_one, closed = consultations["open"], consultations["closed"]
    assert "roadmap" in open_one.title.lower()
    for consultation in (open_one, closed):
        assert _all(db, Comment, Comment.consultation_id == consultation.id)
    assert response_of(closed) is not None and response_of(open_one) is None


def test_iap2_promises_kept_and_exactly_one_overdue(db):
    from engage.iap2.models import ActivityDesign, FeedbackNote
    from engage.iap2.services import overdue_promises

    coordinator = _user(db, "coordinator@")
    overdue = overdue_promises(actor=coordinator)
    assert [p.activity.title for p in overdue] == [_workshop(db, 3, 1).title]
    assert len(_all(db, FeedbackNote)) >= 8
    assert any(d.is_declared_above_derived for d in _all(db, ActivityDesign))
    assert overdue_promises(actor=_user(db, "lead.pillar1@")) == []


def test_indicators_as_today_with_trends(db):
    indicators = {i.name: i for i in _all(db, Indicator)}
    dpyd = indicators["DPYD testing before fluoropyrimidine treatment"]
    assert (dpyd.baseline_low, dpyd.baseline_high, dpyd.target_value, dpyd.target_on.year) == (20, 30, 70, 2030)
    assert {m.scope for m in dpyd.measurements} == {"EU", "China"}
    assert len(indicators) == 5 and all(len(i.measurements) >= 2 for i in indicators.values())
    status = indicator_status(dpyd, today=date(2026, 11, 28))
    assert {s["scope"]: s["result"].status for s in status["scopes"]} == {
        "EU": Status.ON_TRACK,
        "China": Status.OFF_TRACK,
    }
    headlines = {i.name: indicator_status(i, today=date(2026, 11, 28))["status"] for i in indicators.values()}
    assert {Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK} <= set(headlines.values())


def test_every_demo_account_has_notifications_and_something_to_do(db):
    from engage.consultations.services import is_in_audience

    now = utcnow()
    open_round = _survey(db, 3).rounds[1]
    open_consultation = next(c for c in _all(db, Consultation) if c.state(now).value == "open")
    for email, *_rest in PARTICIPANTS:
        user = _user(db, email)
        assert _all(db, Notification, Notification.user_id == user.id), email
        upcoming = _all(
            db,
            Registration,
            Registration.user_id == user.id,
            Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]),
        )
        assert any(r.workshop.starts_at > now for r in upcoming), email
        on_panel = db.session.scalar(
            sa.select(DelphiPanelMember).where(
                DelphiPanelMember.survey_id == open_round.survey_id, DelphiPanelMember.user_id == user.id
            )
        )
        assert on_panel is not None, email
        assert is_in_audience(user, open_consultation), email
    for lead in _all(db, User, User.role == Role.LEAD):
        assert _all(db, Notification, Notification.user_id == lead.id)
        [group] = lead.led_working_groups
        unfinished = _all(
            db, Minutes, Minutes.status != MinutesStatus.PUBLISHED, Minutes.workshop.has(working_group_id=group.id)
        )
        assert unfinished, lead.email  # minutes to circulate, approve or publish
    assert _all(db, DelphiRound, DelphiRound.opens_at <= now, DelphiRound.closes_at > now)


def test_experts_cannot_sign_in(client, db):
    expert = db.session.scalar(sa.select(User).where(User.email.endswith("@experts.engage.example")))
    from engage.demo import DEMO_PASSWORD

    assert client.post("/login", data={"email": expert.email, "password": DEMO_PASSWORD}).status_code == 401
