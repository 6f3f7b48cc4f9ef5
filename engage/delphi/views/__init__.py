"""Delphi pages: answering a round (panel.py) and running a survey (manage.py)."""

from flask import Blueprint

bp = Blueprint("delphi", __name__)

from engage.delphi.views import manage, panel  # noqa: E402, F401
