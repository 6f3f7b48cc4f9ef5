"""The Delphi JSON API under /api/v1/delphi: set-up and round control for leads (manage.py),
answering and feedback for panellists (panel.py), results and exports (results.py)."""

from engage.apiutil import Blueprint

blp = Blueprint("delphi_api", __name__, url_prefix="/api/v1/delphi", description="Delphi surveys")

from engage.delphi.api import manage, panel, results  # noqa: E402, F401
