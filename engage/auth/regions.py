"""Regions of stakeholders: EU member states and Chinese provinces, rolled up to EU / China / other."""

import enum

from flask_babel import lazy_gettext as _l


class RegionGroup(enum.Enum):
    EU = "EU"
    CHINA = "China"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(REGION_GROUP_LABELS[self])


REGION_GROUP_LABELS = {RegionGroup.EU: _l("EU"), RegionGroup.CHINA: _l("China"), RegionGroup.OTHER: _l("Other regions")}


EU_MEMBER_STATES = {
    "AT": _l("Austria"), "BE": _l("Belgium"), "BG": _l("Bulgaria"), "HR": _l("Croatia"),
    "CY": _l("Cyprus"), "CZ": _l("Czechia"), "DK": _l("Denmark"), "EE": _l("Estonia"),
    "FI": _l("Finland"), "FR": _l("France"), "DE": _l("Germany"), "GR": _l("Greece"),
    "HU": _l("Hungary"), "IE": _l("Ireland"), "IT": _l("Italy"), "LV": _l("Latvia"),
    "LT": _l("Lithuania"), "LU": _l("Luxembourg"), "MT": _l("Malta"), "NL": _l("Netherlands"),
    "PL": _l("Poland"), "PT": _l("Portugal"), "RO": _l("Romania"), "SK": _l("Slovakia"),
    "SI": _l("Slovenia"), "ES": _l("Spain"), "SE": _l("Sweden"),
}  # fmt: skip

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
