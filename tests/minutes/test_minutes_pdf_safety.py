"""Minutes whose text tries to make the PDF renderer fetch or embed something get neither."""

import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pypdf
import pytest

from engage.minutes import services
from engage.minutes.pdf import version_pdf
from engage.timeutil import utcnow


@pytest.fixture
def loopback():
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, received
    server.shutdown()
    server.server_close()
    thread.join()


def test_hostile_minutes_text_gives_a_pdf_without_fetches_or_attachments(db, app, workshop, lead, loopback):
    port, received = loopback
    hostile = (
        '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd">\n\n'
        f"<style>body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style>\n\n"
        f"![pixel](http://127.0.0.1:{port}/pixel.png) [file](file:///etc/passwd) "
        f'<a rel="attachment" href="http://127.0.0.1:{port}/a">a</a> <iframe src="file:///etc/passwd"></iframe>\n\n'
        "Visible paragraph."
    )
    minutes = services.start_minutes(workshop, actor=lead)
    services.save_minutes(
        minutes,
        actor=lead,
        data={
            "sections": [
                {
                    "title": "Welcome",
                    "discussion": hostile,
                    "decisions": [{"text": f"![x](http://127.0.0.1:{port}/d.png)"}],
                    "actions": [{"description": '<img src="file:///etc/passwd">', "owner": "<b>x</b>"}],
                }
            ]
        },
    )
    services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=1))
    version = services.approve(minutes, actor=lead)
    db.session.commit()
    with app.test_request_context():
        pdf = version_pdf(version)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Visible paragraph." in text
    assert "root:" not in text and b"root:x:0:0" not in pdf
    assert not reader.attachments
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
    assert all(a.get("/Subtype") != "/FileAttachment" for a in annotations)
    assert received == []
