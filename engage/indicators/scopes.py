"""Where an indicator or a measurement applies: overall, a region group (EU, China) or one region."""

from flask_babel import gettext as _

from engage.auth.regions import CHINESE_PROVINCES, EU_MEMBER_STATES, RegionGroup, region_group

OVERALL = "overall"
GROUPS = (RegionGroup.EU.value, RegionGroup.CHINA.value)


def is_scope(code: str) -> bool:
    return code == OVERALL or code in GROUPS or code in EU_MEMBER_STATES or code in CHINESE_PROVINCES


def scope_label(code: str) -> str:
    if code == OVERALL:
        return _("overall")
    if code == RegionGroup.EU.value:
        return _("EU")
    if code == RegionGroup.CHINA.value:
        return _("China")
    name = EU_MEMBER_STATES.get(code) or CHINESE_PROVINCES.get(code)
    return str(name) if name else code


def within(indicator_scope: str, scope: str) -> bool:
    """A measurement fits an indicator's scope when it is that scope or a part of it."""
    if indicator_scope == OVERALL or scope == indicator_scope:
        return True
    return indicator_scope in GROUPS and region_group(scope).value == indicator_scope
