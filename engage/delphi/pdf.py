"""The Delphi methods report as PDF, through the one renderer (same content as the page)."""

from flask_babel import gettext as _

from engage.delphi import services
from engage.delphi.labels import delphi_group_label
from engage.delphi.models import DelphiSurvey
from engage.delphi.services.results import group_keys
from engage.reports.layout import pdf_from_template


def methods_report_pdf(survey: DelphiSurvey) -> bytes:
    title = _("Methods report")
    return pdf_from_template(
        "delphi/methods_pdf.html",
        report=services.methods_report(survey),
        groups=group_keys(),
        group_label=delphi_group_label,
        header_text=f"{title}: {survey.title}",
        footer_text=_("Generated from the survey data by Engage"),
    )
