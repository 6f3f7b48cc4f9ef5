"""Involvement from what people did: attendance counts, registration does not; SQL-grouped, bounded."""

from types import SimpleNamespace

import pytest

from engage.auth.models import StakeholderCategory as Cat
from engage.iap2 import reports
from engage.iap2.levels import IAP2Level
from engage.participation.models import RegistrationStatus as St

INF, C, L = IAP2Level.INFORM, IAP2Level.CONSULT, IAP2Level.COLLABORATE


@pytest.fixture
def consortium(db, coordinator, create_user, create_working_group, create_workshop, set_design, register_as):
    """Two groups; people who attended, registered only, or attended an activity without a design."""
    wg1, wg2 = create_working_group(name="WG one"), create_working_group(name="WG two")
    consult, collaborate = create_workshop(wg1), create_workshop(wg1)
    inform, undesigned = create_workshop(wg2), create_workshop(wg2)
    set_design(consult, 2, actor=coordinator)
    set_design(collaborate, 4, actor=coordinator)
    set_design(inform, 1, actor=coordinator)
    people = {
        "patient_cn": create_user(category=Cat.PATIENT_CITIZEN_ORGANISATION, region="CN-BJ", timezone="Asia/Shanghai"),
        "academic_top": create_user(category=Cat.ACADEMIA_RESEARCH, region="IT"),
        "academic_registered": create_user(category=Cat.ACADEMIA_RESEARCH, region="IT"),
        "clinician_never": create_user(category=Cat.HEALTHCARE_PROFESSIONAL, region="DE"),
        "undesigned_only": create_user(category=Cat.FUNDER, region="FR"),
        "industry_other": create_user(category=Cat.INDUSTRY, region="OTHER"),
    }
    register_as(inform, people["patient_cn"])
    register_as(consult, people["academic_top"])
    register_as(collaborate, people["academic_top"])
    register_as(collaborate, people["academic_registered"], St.CONFIRMED)
    register_as(inform, people["academic_registered"])
    register_as(consult, people["clinician_never"], St.WAITLISTED)
    register_as(collaborate, people["clinician_never"], St.CANCELLED)
    register_as(undesigned, people["undesigned_only"])
    register_as(consult, people["industry_other"])
    register_as(inform, people["industry_other"])
    return {"wg1": wg1, "wg2": wg2, **people}


def _row(rows, key):
    return {level: n for level, n in next(r for r in rows if r.key == key).counts.items() if n}


def test_people_are_counted_by_highest_level_attended_per_category(consortium):
    rows = reports.by_category()
    assert _row(rows, "patient_citizen_organisation") == {INF: 1}
    assert _row(rows, "academia_research") == {INF: 1, L: 1}
    assert _row(rows, "industry") == {C: 1}
    assert _row(rows, "healthcare_professional") == {}  # registered, waitlisted, cancelled: never attended
    assert _row(rows, "funder") == {}  # attended only an activity without a design profile
    assert len(rows) == len(Cat)


def test_people_are_counted_per_region_group(consortium):
    rows = reports.by_region_group()
    assert _row(rows, "China") == {INF: 1}
    assert _row(rows, "EU") == {INF: 1, L: 1}
    assert _row(rows, "other") == {C: 1}


def test_people_are_counted_per_working_group_by_their_highest_level_there(consortium):
    rows = reports.by_working_group()
    assert _row(rows, str(consortium["wg1"].id)) == {C: 1, L: 1}
    assert _row(rows, str(consortium["wg2"].id)) == {INF: 3}


def test_a_persons_profile_across_levels(consortium):
    profile = reports.involvement_profile(consortium["academic_top"].id)
    assert {level: n for level, n in profile.items() if n} == {C: 1, L: 1}
    assert reports.highest_level(profile) is L
    never = reports.involvement_profile(consortium["clinician_never"].id)
    assert reports.highest_level(never) is None


def test_undoing_attendance_removes_the_person_from_the_counts(db, consortium):
    from engage.participation.models import Registration

    registration = db.session.query(Registration).filter_by(user_id=consortium["patient_cn"].id).one()
    registration.status = St.CONFIRMED
    db.session.commit()
    assert _row(reports.by_category(), "patient_citizen_organisation") == {}


def test_report_as_dict_and_csv_agree(consortium):
    report = reports.involvement_report()
    data = reports.report_as_dict(report)
    assert data["people"] == 4
    academia = next(r for r in data["by_category"] if r["key"] == "academia_research")
    assert academia["counts"] == {"inform": 1, "consult": 0, "involve": 0, "collaborate": 1, "empower": 0}
    csv_rows = reports.report_csv_rows(report)
    assert csv_rows[0][2:] == ["Inform", "Consult", "Involve", "Collaborate", "Empower", "Total"]
    assert ["Stakeholder category", "Academia / research", 1, 0, 0, 1, 0, 2] in csv_rows


def test_report_query_count_does_not_grow_with_people(
    db, count_queries, coordinator, create_user, create_workshop, set_design, register_as
):
    workshops = [create_workshop(), create_workshop()]
    for workshop, rank in zip(workshops, (2, 5), strict=True):
        set_design(workshop, rank, actor=coordinator)
    workshop_ids = [w.id for w in workshops]

    def grow(n):
        for i in range(n):
            user = create_user(category=list(Cat)[i % len(Cat)])
            register_as(SimpleNamespace(id=workshop_ids[i % 2]), user)

    def measure():
        db.session.expunge_all()
        with count_queries() as statements:
            report = reports.involvement_report()
        return len(statements), report.people

    grow(3)
    few, people = measure()
    assert people == 3
    grow(27)
    many, people = measure()
    assert people == 30
    assert many == few
