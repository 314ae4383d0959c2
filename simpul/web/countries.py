"""Country names for the ISO 3166 alpha-2 codes Simpul stores (destinations, returns, places of
exploitation). Stored values stay codes; pages show the name in the reader's language."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNTRY_NAMES: dict[str, Promise] = {
    "ID": _("Indonesia"),
    "MY": _("Malaysia"),
    "SG": _("Singapore"),
    "BN": _("Brunei"),
    "HK": _("Hong Kong"),
    "TW": _("Taiwan"),
    "SA": _("Saudi Arabia"),
    "AE": _("United Arab Emirates"),
    "QA": _("Qatar"),
    "KW": _("Kuwait"),
    "OM": _("Oman"),
    "BH": _("Bahrain"),
    "JO": _("Jordan"),
    "TR": _("Turkey"),
    "KR": _("South Korea"),
    "JP": _("Japan"),
    "CN": _("China"),
    "KH": _("Cambodia"),
    "MM": _("Myanmar"),
    "LA": _("Laos"),
    "TH": _("Thailand"),
    "VN": _("Vietnam"),
    "PH": _("Philippines"),
    "TL": _("Timor-Leste"),
    "PG": _("Papua New Guinea"),
    "AU": _("Australia"),
    "NZ": _("New Zealand"),
    "IN": _("India"),
    "PK": _("Pakistan"),
    "US": _("United States"),
    "GB": _("United Kingdom"),
    "DE": _("Germany"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "ZZ": _("Other or unknown"),
}


def country_name(code: str | None) -> str:
    """The reader's-language name of an alpha-2 code; "—" when there is none, and "another
    country" (never the bare code) for a code outside the table."""
    if not code:
        return "—"
    name = COUNTRY_NAMES.get(str(code).upper())
    return str(name) if name is not None else str(_("Another country"))
