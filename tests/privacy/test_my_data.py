"""My data: a background export of everything held about a person, downloadable by them alone."""

import io
import json
import zipfile
from datetime import timedelta

import sqlalchemy as sa

from engage.minutes.models import ExportState
from engage.participation import services as participation
from engage.privacy.exports import PARTS
from engage.privacy.jobs import run_due_data_exports, run_retention
from engage.privacy.models import DataExport
from engage.storage import get_storage
from engage.timeutil import utcnow


def test_export_holds_every_part_as_json_and_csv_with_a_readme(app, db, login, participant, create_workshop):
    workshop = create_workshop()
    participation.register(workshop, actor=participant)
    participation.add_comment(workshop, actor=participant, body="=SUM(A1) my comment")
    db.session.commit()
    client = login(app.test_client(), participant)

    assert client.post("/account/my-data").status_code == 302
    job = db.session.scalar(sa.select(DataExport))
    assert "0 of 9 parts" in client.get("/account/my-data").get_data(as_text=True)
    assert run_due_data_exports(utcnow()) == 1
    db.session.refresh(job)
    assert job.state is ExportState.DONE and job.progress_done == job.progress_total == len(PARTS)

    response = client.get(f"/account/my-data/{job.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    readme = archive.read("README.txt").decode()
    for name, _fn, _description in PARTS:
        assert {f"{name}.json", f"{name}.csv"} <= names
        assert f"{name}.json, {name}.csv" in readme
    profile = json.loads(archive.read("profile.json"))
    assert profile[0]["email"] == participant.email and profile[0]["display_name"] == "Pat Participant"
    assert json.loads(archive.read("registrations.json"))[0]["workshop"] == workshop.title
    assert json.loads(archive.read("consents.json"))[0]["text_version"]
    assert "'=SUM(A1) my comment" in archive.read("comments.csv").decode()  # a formula stays text
    assert json.loads(archive.read("notifications.json"))[0]["kind"] == "registration_confirmed"


def test_only_the_person_downloads_their_export(app, db, login, participant, coordinator):
    login(app.test_client(), participant).post("/account/my-data")
    run_due_data_exports(utcnow())
    job = db.session.scalar(sa.select(DataExport))
    other = login(app.test_client(), coordinator)
    assert other.get(f"/account/my-data/{job.id}/download").status_code == 404
    assert app.test_client().get(f"/account/my-data/{job.id}/download").status_code == 302


def test_export_expires_after_its_period_and_the_file_is_purged(app, db, login, participant):
    client = login(app.test_client(), participant)
    client.post("/account/my-data")
    run_due_data_exports(utcnow())
    job = db.session.scalar(sa.select(DataExport))
    later = utcnow() + timedelta(days=app.config["ENGAGE_DATA_EXPORT_TTL_DAYS"], minutes=1)
    key = job.storage_key
    assert get_storage().exists(key)

    assert run_retention(later)["export_files"] == 1
    db.session.refresh(job)
    assert job.storage_key is None and not get_storage().exists(key)
    assert client.get(f"/account/my-data/{job.id}/download").status_code == 409


def test_api_export_progress_and_download(client, db, participant, create_user, auth_headers, assert_error):
    headers = auth_headers(participant)
    created = client.post("/api/v1/me/data-exports", headers=headers)
    assert created.status_code == 202 and created.get_json()["state"] == "queued"
    again = client.post("/api/v1/me/data-exports", headers=headers).get_json()
    assert again["id"] == created.get_json()["id"]  # one at a time
    export_id = created.get_json()["id"]
    assert_error(client.get(f"/api/v1/me/data-exports/{export_id}/file", headers=headers), 409)
    run_due_data_exports(utcnow())
    shown = client.get(f"/api/v1/me/data-exports/{export_id}", headers=headers).get_json()
    assert shown["progress_done"] == shown["progress_total"] and shown["download_url"]
    assert client.get(shown["download_url"], headers=headers).mimetype == "application/zip"
    assert_error(client.get(f"/api/v1/me/data-exports/{export_id}", headers=auth_headers(create_user())), 404)
    assert_error(client.post("/api/v1/me/data-exports"), 401)
