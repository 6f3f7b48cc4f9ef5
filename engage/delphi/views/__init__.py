"""Delphi pages: answering a round (panel.py) and running a survey (manage.py)."""

from flask import Blueprint
from markupsafe import Markup

from engage.charts import distribution_bar
from engage.delphi import disclosure
from engage.delphi.models import DisclosureMode

bp = Blueprint("delphi", __name__)


def item_chart(stats: dict, rule, own: dict | None = None) -> Markup:
    """An item's ratings as a distribution bar with the consensus line; `rule` is the survey's frozen rule."""
    own_value = None if own is None else ("cannot" if own.get("cannot_rate") else own.get("value"))
    return Markup(
        distribution_bar(
            stats.get("distribution") or {},
            rule.scale,
            agreeing=list(rule.agreeing_values),
            threshold_percent=rule.threshold_percent,
            cannot_rate=stats.get("n_cannot_rate") or 0,
            own=own_value,
        )
    )


def disclosure_statement(mode: str) -> str:
    """What the panel is told about how its answers are published, for a mode's value (e-mail templates)."""
    return str(disclosure.statement(DisclosureMode(mode)))


@bp.app_context_processor
def _delphi_helpers():
    return {"distribution_bar": item_chart, "delphi_disclosure_statement": disclosure_statement}


from engage.delphi.views import manage, panel  # noqa: E402, F401
