"""Compiled minutes: a background export job with progress, a PDF with cover, contents and bookmarks."""

import io
from datetime import timedelta

import pypdf
import pytest

from engage.auth.models import Role
from engage.minutes import services
from engage.minutes.jobs import run_due_exports
from engage.minutes.models import ExportJob, ExportState
from engage.storage import get_storage
from engage.timeutil import utcnow
from engage.workshops.models import AgendaItem


@pytest.fixture
def approved_workshops(db, create_workshop, working_group, lead, make_priority, document):
    """Three workshops of the lead's group with approved minutes."""
    priority = make_priority()
    workshops = []
    for round_number in (1, 2, 3):
        workshop = create_workshop(
            working_group,
            title=f"第{round_number}轮 Round {round_number}",
            round=round_number,
            starts_at=utcnow().replace(microsecond=0) - timedelta(days=30 - round_number),
            agenda_items=[AgendaItem(position=1, title="Welcome"), AgendaItem(position=2, title="Data")],
        )
        minutes = services.start_minutes(workshop, actor=lead)
        services.save_minutes(minutes, actor=lead, data=document(p=priority.id))
        services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=1))
        services.approve(minutes, actor=lead)
        workshops.append(workshop)
    db.session.commit()
    return workshops


def test_export_job_compiles_with_progress_contents_and_bookmarks(
    client, auth_headers, lead, working_group, approved_workshops, db
):
    headers = auth_headers(lead)
    response = client.post("/api/v1/minutes-exports", json={"working_group_id": working_group.id}, headers=headers)
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert (job["state"], job["progress_done"], job["progress_total"], job["download_url"]) == ("queued", 0, 3, None)

    now = utcnow()
    assert run_due_exports(now) == 1
    assert run_due_exports(now) == 0  # nothing is made twice
    status = client.get(f"/api/v1/minutes-exports/{job['id']}", headers=headers).get_json()
    assert (status["state"], status["progress_done"], status["progress_total"]) == ("done", 3, 3)
    pdf = client.get(status["download_url"], headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == [f"Minutes: 第{n}轮 Round {n}" for n in (1, 2, 3)]
    cover, contents = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert "Minutes of WG1" in cover and "3 workshops" in cover
    first_page_of = {
        n: reader.get_destination_page_number(item) + 1
        for n, item in zip((1, 2, 3), [i for i in reader.outline if not isinstance(i, list)], strict=True)
    }
    for n, page in first_page_of.items():
        assert f"Round {n} (version 1)" in contents
        assert contents.split(f"Round {n} (version 1)")[1].lstrip(". \n").startswith(str(page))
    assert not reader.attachments


def test_export_page_shows_progress_and_download(client, login, lead, working_group, approved_workshops):
    login(client, lead)
    response = client.post("/minutes/exports", data={"working_group_id": working_group.id})
    assert response.status_code == 303
    assert "queued: 0 of 3 workshops" in client.get("/minutes/exports").get_data(as_text=True)
    run_due_exports(utcnow())
    page = client.get("/minutes/exports").get_data(as_text=True)
    assert "done: 3 of 3 workshops" in page and "Download" in page


def test_expired_exports_are_deleted_and_no_longer_downloadable(
    client, auth_headers, lead, working_group, approved_workshops, db, assert_error
):
    headers = auth_headers(lead)
    job_id = client.post(
        "/api/v1/minutes-exports", json={"working_group_id": working_group.id}, headers=headers
    ).get_json()["id"]
    now = utcnow()
    run_due_exports(now)
    key = db.session.get(ExportJob, job_id).file_key
    assert get_storage().exists(key)
    run_due_exports(now + timedelta(days=8))
    assert not get_storage().exists(key)
    assert_error(client.get(f"/api/v1/minutes-exports/{job_id}/file", headers=headers), 409, "export_unavailable")


def test_export_bad_input_and_wrong_roles(
    client,
    auth_headers,
    lead,
    participant,
    working_group,
    create_user,
    create_working_group,
    approved_workshops,
    db,
    assert_error,
):
    lead_h = auth_headers(lead)
    assert_error(client.post("/api/v1/minutes-exports", json={"working_group_id": 999999}, headers=lead_h), 422)
    assert_error(client.post("/api/v1/minutes-exports", json={"working_group_id": "x"}, headers=lead_h), 422)
    assert_error(client.post("/api/v1/minutes-exports", json={}, headers=lead_h), 403)  # all = coordinators
    assert_error(
        client.post(
            "/api/v1/minutes-exports", json={"working_group_id": working_group.id}, headers=auth_headers(participant)
        ),
        403,
    )
    empty = create_working_group()
    coordinator_h = auth_headers(create_user(Role.COORDINATOR))
    assert_error(
        client.post("/api/v1/minutes-exports", json={"working_group_id": empty.id}, headers=coordinator_h),
        409,
        "nothing_to_export",
    )
    assert db.session.query(ExportJob).count() == 0
    job_id = client.post("/api/v1/minutes-exports", json={}, headers=coordinator_h).get_json()["id"]
    assert_error(client.get(f"/api/v1/minutes-exports/{job_id}", headers=lead_h), 404)
    assert_error(client.get(f"/api/v1/minutes-exports/{job_id}/file", headers=lead_h), 404)
    assert_error(client.get(f"/api/v1/minutes-exports/{job_id}/file", headers=coordinator_h), 409)
    assert client.post("/minutes/exports", data={"working_group_id": working_group.id}).status_code == 302  # sign in


def test_a_failed_compilation_is_recorded(
    db, client, auth_headers, working_group, lead, approved_workshops, monkeypatch
):
    import engage.minutes.jobs as jobs

    job_id = client.post(
        "/api/v1/minutes-exports", json={"working_group_id": working_group.id}, headers=auth_headers(lead)
    ).get_json()["id"]
    monkeypatch.setattr(jobs, "render_pdf", lambda html: (_ for _ in ()).throw(RuntimeError("renderer down")))
    run_due_exports(utcnow())
    job = db.session.get(ExportJob, job_id, populate_existing=True)
    assert job.state is ExportState.FAILED and "renderer down" in job.error


def test_the_scheduler_runs_the_export_job():
    from engage.scheduler import scheduled_jobs

    assert run_due_exports in scheduled_jobs()


def test_export_on_s3_storage_is_made_and_streamed_back(
    app, client, auth_headers, lead, working_group, approved_workshops, s3_storage, monkeypatch
):
    monkeypatch.setitem(app.extensions, "engage.storage", s3_storage)
    headers = auth_headers(lead)
    job_id = client.post(
        "/api/v1/minutes-exports", json={"working_group_id": working_group.id}, headers=headers
    ).get_json()["id"]
    assert run_due_exports(utcnow()) == 1
    assert s3_storage.exists(f"exports/minutes-export-{job_id}.pdf")
    response = client.get(f"/api/v1/minutes-exports/{job_id}/file", headers=headers)
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == f"attachment; filename=minutes-{job_id}.pdf"
    outline = pypdf.PdfReader(io.BytesIO(response.data)).outline
    assert [item.title for item in outline if not isinstance(item, list)] == [
        f"Minutes: 第{n}轮 Round {n}" for n in (1, 2, 3)
    ]


def test_an_export_larger_than_the_storage_limit_fails_with_its_reason(
    app, client, auth_headers, lead, working_group, approved_workshops, monkeypatch
):
    from engage.storage.database import DatabaseStorage

    monkeypatch.setitem(app.extensions, "engage.storage", DatabaseStorage(max_size=1000))
    headers = auth_headers(lead)
    job_id = client.post(
        "/api/v1/minutes-exports", json={"working_group_id": working_group.id}, headers=headers
    ).get_json()["id"]
    run_due_exports(utcnow())
    status = client.get(f"/api/v1/minutes-exports/{job_id}", headers=headers).get_json()
    assert status["state"] == "failed" and status["download_url"] is None
    assert not app.extensions["engage.storage"].exists(f"exports/minutes-export-{job_id}.pdf")
