"""Human, translated labels for the codes people meet: enums, regions, region groups, Delphi groups.

Every page, PDF and people-facing CSV writes a code through `label()` (the Jinja filter `label`), so a
stakeholder sees "Regulator / HTA", never `regulator_hta`. Enums carry their own `label` property; the
codes stored as plain strings (region codes, Delphi group keys) are looked up here.
"""

import enum

from engage.auth.models import StakeholderCategory
from engage.auth.regions import REGION_GROUP_LABELS, REGIONS, RegionGroup


def label(value) -> str:
    """The label of an enum member (its `label` property), else the value itself as text."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum) and hasattr(value, "label"):
        return str(value.label)
    return str(value)


def region_label(code: str | None) -> str:
    return str(REGIONS.get(code, code or ""))


def region_group_label(code: str) -> str:
    try:
        return str(REGION_GROUP_LABELS[RegionGroup(code)])
    except ValueError:
        return code


def category_label(code: str) -> str:
    try:
        return StakeholderCategory(code).label
    except ValueError:
        return code


def group_label(kind: str, code: str) -> str:
    """A Delphi results group: kind "region" (EU / China / other) or "category" (a stakeholder category)."""
    return region_group_label(code) if kind == "region" else category_label(code)
