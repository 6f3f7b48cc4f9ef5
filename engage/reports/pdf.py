"""HTML → PDF with WeasyPrint, able to load nothing but the application's own static files.

PDFs contain user-written text. Even though that text is sanitised Markdown, the renderer is the
last line of defence: its URL fetcher serves only files under the static folder, named with the
internal prefix ``PDF_BASE_URL`` (a reserved ``.invalid`` host, so the URL can never reach a
network), and refuses every other URL — ``file:``, ``http(s):`` anywhere else, ``data:``, FTP.
It never follows redirects (it makes no requests at all), and the rendered document's attachments
(``<link rel="attachment">``, ``<a rel="attachment">``) are dropped before the PDF is written.
"""

import mimetypes
import os
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_HOST = "engage-pdf.invalid"
PDF_BASE_URL = f"https://{PDF_HOST}/static/"


class URLRefused(ValueError):
    """The PDF asked for something outside the static folder."""


class StaticOnlyFetcher(URLFetcher):
    """Serves files under ``static_folder`` for ``PDF_BASE_URL…`` URLs; refuses everything else."""

    def __init__(self, static_folder: str):
        # No protocol is allowed through the parent's opener: fetch() below never calls it.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self._root = os.path.realpath(static_folder)
        self.refused: list[str] = []
        self.served: list[str] = []

    def local_path(self, url: str) -> str | None:
        """The file a URL names, or None when it is not an existing file under the static folder."""
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != PDF_HOST or parts.query or not parts.path.startswith("/static/"):
            return None
        relative = unquote(parts.path.removeprefix("/static/"))
        if not relative or "\x00" in relative:
            return None
        candidate = os.path.realpath(os.path.join(self._root, relative))
        if os.path.commonpath([candidate, self._root]) != self._root or not os.path.isfile(candidate):
            return None
        return candidate

    def fetch(self, url, headers=None):
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise URLRefused(f"refused to fetch {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        self.served.append(url)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _drop_attachments(document) -> None:
    """No embedded files: attachment links become plain links, <link rel=attachment> is forgotten."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [
            ("external" if link_type == "attachment" else link_type, target, rectangle, box)
            for link_type, target, rectangle, box in page.links
        ]


def render_document(html: str, *, base_url: str, fetcher: StaticOnlyFetcher | None = None):
    fetcher = fetcher or StaticOnlyFetcher(current_app.static_folder)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    _drop_attachments(document)
    return document


def render_pdf(html: str, *, base_url: str = PDF_BASE_URL, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The PDF of a complete HTML document; relative URLs resolve against ``base_url``."""
    return render_document(html, base_url=base_url, fetcher=fetcher).write_pdf()


def css_string(text: str) -> str:
    """A CSS string literal (for generated content such as page footers)."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-_/()" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'
