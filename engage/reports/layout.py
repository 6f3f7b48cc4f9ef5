"""What every PDF layout needs: the static prefix, the footer's "page X of Y", CSS strings."""

import re

from flask import render_template
from flask_babel import gettext as _

from engage.reports.pdf import PDF_BASE_URL, css_string, render_pdf

_PAGE, _PAGES = "\x01", "\x02"


def page_x_of_y() -> str:
    """CSS `content` for "Page X of Y" in the reader's language, with the page counters in place."""
    text = _("Page %(page)s of %(pages)s", page=_PAGE, pages=_PAGES)
    counters = {_PAGE: "counter(page)", _PAGES: "counter(pages)"}
    tokens = re.split(f"([{_PAGE}{_PAGES}])", text)
    return " ".join(counters.get(token) or css_string(token) for token in tokens if token)


def render_layout(template: str, **context) -> str:
    """The HTML of a PDF layout under templates/reports or a feature's templates."""
    return render_template(
        template, static_base=PDF_BASE_URL, page_x_of_y=page_x_of_y(), css_string=css_string, **context
    )


def pdf_from_template(template: str, **context) -> bytes:
    return render_pdf(render_layout(template, **context), base_url=PDF_BASE_URL)
