"""Names of the groups Delphi results are shown by: region groups, stakeholder categories and languages."""

from engage.i18n import LANGUAGE_NAMES
from engage.labels import group_label


def delphi_group_label(kind: str, code: str) -> str:
    """A results group's name; a language group is named as the language names itself (English, 简体中文)."""
    if kind == "language":
        return LANGUAGE_NAMES.get(code, code)
    return group_label(kind, code)
