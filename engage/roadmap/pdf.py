"""The roadmap PDF: Table 1 from the data, then each action with the priorities it came from."""

from flask_babel import gettext as _

from engage.reports.layout import pdf_from_template
from engage.roadmap.services import roadmap_table


def roadmap_pdf() -> bytes:
    title = _("Roadmap")
    return pdf_from_template(
        "roadmap/pdf.html",
        table=roadmap_table(),
        title=title,
        header_text=title,
        footer_text=_("Roadmap actions and their source priorities"),
    )
