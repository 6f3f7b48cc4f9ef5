"""Regions of stakeholders: EU member states and Chinese provinces, rolled up to EU / China / other."""

import enum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class RegionGroup(enum.Enum):
    EU = "EU"
    CHINA = "China"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(REGION_GROUP_LABELS[self])


REGION_GROUP_LABELS = {RegionGroup.EU: _l("EU"), RegionGroup.CHINA: _l("China"), RegionGroup.OTHER: _l("Other regions")}


EU_MEMBER_CODES = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
    "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip


def _territory_name(code: str) -> str:
    """A country's name in the page's language, from Babel's CLDR data (Italy, 意大利)."""
    from babel import Locale
    from flask_babel import get_locale

    return (get_locale() or Locale("en")).territories.get(code, code)


EU_MEMBER_STATES = {code: LazyString(_territory_name, code) for code in EU_MEMBER_CODES}

# ISO 3166-2:CN subdivisions (provinces, autonomous regions, municipalities, SARs).
CHINESE_PROVINCES = {
    "CN-AH": _l("Anhui"), "CN-BJ": _l("Beijing"), "CN-CQ": _l("Chongqing"), "CN-FJ": _l("Fujian"),
    "CN-GD": _l("Guangdong"), "CN-GS": _l("Gansu"), "CN-GX": _l("Guangxi"), "CN-GZ": _l("Guizhou"),
    "CN-HA": _l("Henan"), "CN-HB": _l("Hubei"), "CN-HE": _l("Hebei"), "CN-HI": _l("Hainan"),
    "CN-HK": _l("Hong Kong"), "CN-HL": _l("Heilongjiang"), "CN-HN": _l("Hunan"), "CN-JL": _l("Jilin"),
    "CN-JS": _l("Jiangsu"), "CN-JX": _l("Jiangxi"), "CN-LN": _l("Liaoning"), "CN-MO": _l("Macao"),
    "CN-NM": _l("Inner Mongolia"), "CN-NX": _l("Ningxia"), "CN-QH": _l("Qinghai"), "CN-SC": _l("Sichuan"),
    "CN-SD": _l("Shandong"), "CN-SH": _l("Shanghai"), "CN-SN": _l("Shaanxi"), "CN-SX": _l("Shanxi"),
    "CN-TJ": _l("Tianjin"), "CN-TW": _l("Taiwan"), "CN-XJ": _l("Xinjiang"), "CN-XZ": _l("Tibet"),
    "CN-YN": _l("Yunnan"), "CN-ZJ": _l("Zhejiang"),
}  # fmt: skip

OTHER_REGION = "OTHER"

REGIONS = {**EU_MEMBER_STATES, **CHINESE_PROVINCES, OTHER_REGION: _l("Other")}


def region_group(code: str | None) -> RegionGroup:
    if code in EU_MEMBER_STATES:
        return RegionGroup.EU
    if code in CHINESE_PROVINCES:
        return RegionGroup.CHINA
    return RegionGroup.OTHER
