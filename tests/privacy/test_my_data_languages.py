"""My data: the workshops a person registered for and commented on are named in their language, and each
comment states the language it was written in."""

import io
import json
import zipfile

from engage.i18n import in_language
from engage.participation.services import add_comment, register
from engage.privacy.exports import build_zip
from engage.timeutil import utcnow


def test_my_data_names_workshops_in_the_readers_language_and_keeps_each_comments_language(
    app, db, create_user, create_workshop
):
    person = create_user(locale="zh")
    workshop = create_workshop(title="Data exchange", title_zh="数据交换")
    register(workshop, actor=person)
    with app.test_request_context(), in_language("zh"):
        add_comment(workshop, actor=person, body="我同意")
    with app.test_request_context(), in_language("en"):
        add_comment(workshop, actor=person, body="I agree")
    db.session.commit()
    with app.test_request_context(), in_language("zh"):
        archive = zipfile.ZipFile(io.BytesIO(build_zip(person, now=utcnow())))
    registrations = json.loads(archive.read("registrations.json"))
    comments = json.loads(archive.read("comments.json"))
    assert [r["workshop"] for r in registrations] == ["数据交换"]
    assert [(c["subject"], c["body"], c["language"]) for c in comments] == [
        ("数据交换", "我同意", "zh"),
        ("数据交换", "I agree", "en"),
    ]
    assert "language" in archive.read("comments.csv").decode("utf-8-sig").splitlines()[0]
