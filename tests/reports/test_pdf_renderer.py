"""The one PDF renderer loads nothing but the application's static files."""

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pypdf
import pytest
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from engage.reports.pdf import PDF_BASE_URL, StaticOnlyFetcher, render_pdf


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    """A tiny HTTP server on 127.0.0.1 that records every request it receives."""
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, _Recorder.requests
    server.shutdown()
    server.server_close()
    thread.join()


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _has_attachments(reader: pypdf.PdfReader) -> bool:
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        return True
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                return True
    return bool(reader.attachments)


def _hostile_html(port: int) -> str:
    return f"""<!doctype html><html><head>
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="attachment" href="{PDF_BASE_URL}reports/pdf.css">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/sheet.css">
      <style>
        @import url(http://127.0.0.1:{port}/imported.css);
        body {{ background: url(http://127.0.0.1:{port}/background.png); }}
        @font-face {{ font-family: X; src: url(http://127.0.0.1:{port}/font.ttf); }}
        p {{ font-family: X; }}
      </style></head><body>
      <h1>Minutes</h1>
      <img src="file:///etc/passwd"><img src="https://127.0.0.1:{port}/pixel.png">
      <img src="{PDF_BASE_URL}../../../etc/passwd"><img src="{PDF_BASE_URL}%2e%2e/%2e%2e/etc/passwd">
      <a rel="attachment" href="file:///etc/passwd">passwd</a>
      <a rel="attachment" href="{PDF_BASE_URL}reports/logo.svg">logo</a>
      <iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>
      <p>After the images.</p></body></html>"""


def test_hostile_html_produces_a_pdf_without_attachments_fetched_content_or_requests(app, loopback):
    port, received = loopback
    with app.app_context():
        fetcher = StaticOnlyFetcher(app.static_folder)
        pdf = render_pdf(_hostile_html(port), base_url=PDF_BASE_URL, fetcher=fetcher)
    reader = _reader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Minutes" in text and "After the images." in text
    assert "root:" not in text
    assert not _has_attachments(reader)
    assert b"root:x:0:0" not in pdf
    assert received == []
    assert any(url.startswith("file:") for url in fetcher.refused)
    assert any(url.startswith(f"http://127.0.0.1:{port}") for url in fetcher.refused)


def test_the_loopback_server_would_have_been_reached_by_an_unrestricted_fetcher(loopback):
    """Control for the test above: WeasyPrint's default fetcher does make the requests."""
    port, received = loopback
    HTML(string=_hostile_html(port), base_url="file:///nonexistent/", url_fetcher=URLFetcher()).write_pdf()
    assert any(path.endswith(".css") for path in received)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/static/reports/pdf.css",
        "data:text/css,body{color:red}",
        "ftp://engage-pdf.invalid/static/reports/pdf.css",
        f"{PDF_BASE_URL}../../../../etc/passwd",
        f"{PDF_BASE_URL}%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{PDF_BASE_URL}reports/missing.css",
        f"{PDF_BASE_URL}reports/pdf.css?redirect=http://127.0.0.1/",
        f"{PDF_BASE_URL}",
    ],
)
def test_fetcher_refuses_anything_but_existing_static_files(app, url):
    fetcher = StaticOnlyFetcher(app.static_folder)
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_static_files_under_the_internal_prefix(app):
    fetcher = StaticOnlyFetcher(app.static_folder)
    response = fetcher.fetch(f"{PDF_BASE_URL}reports/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_chinese_text_is_extractable(app):
    html = """<!doctype html><html lang="zh-Hans"><head><link rel="stylesheet" href="reports/pdf.css"></head>
      <body><h1>会议纪要：简体中文</h1><p>出席：王丽</p></body></html>"""
    with app.app_context():
        pdf = render_pdf(html, base_url=PDF_BASE_URL)
    text = _reader(pdf).pages[0].extract_text()
    assert "简体中文" in text and "王丽" in text
