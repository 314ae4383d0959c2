"""Every stored code of the rights app, with its translated label and legal basis."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Right(models.TextChoices):
    """The rights of a victim of trafficking under UU 21/2007 (domain.md §3.3)."""

    CONFIDENTIALITY = "confidentiality", _("Confidentiality of identity")
    RESTITUTION = "restitution", _("Restitution")
    HEALTH_REHAB = "health_rehab", _("Health rehabilitation")
    SOCIAL_REHAB = "social_rehab", _("Social rehabilitation")
    RETURN = "return", _("Return home (repatriation)")
    REINTEGRATION = "reintegration", _("Social reintegration")
    LEGAL_AID = "legal_aid", _("Legal aid and accompaniment")
    PROTECTION = "protection", _("Protection from threats (LPSK)")
    INFORMATION = "information", _("Information on the case's progress")


# The article of UU 21/2007 each right rests on (shown beside it; not translated).
LEGAL_BASIS: dict[str, str] = {
    Right.CONFIDENTIALITY: "UU 21/2007 Pasal 44",
    Right.RESTITUTION: "UU 21/2007 Pasal 48-50",
    Right.HEALTH_REHAB: "UU 21/2007 Pasal 51-52",
    Right.SOCIAL_REHAB: "UU 21/2007 Pasal 51-52",
    Right.RETURN: "UU 21/2007 Pasal 51, 54",
    Right.REINTEGRATION: "UU 21/2007 Pasal 51-52",
    Right.LEGAL_AID: "UU 21/2007 Pasal 35",
    Right.PROTECTION: "UU 21/2007 Pasal 43; UU 31/2014",
    Right.INFORMATION: "UU 21/2007 Pasal 36",
}


class Wanted(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    YES = "yes", _("Yes, wanted")
    NO = "no", _("No, not wanted")


class RightStatus(models.TextChoices):
    """Derived from the dates and the wish, never stored."""

    NOT_INFORMED = "not_informed", _("Not yet informed")
    INFORMED = "informed", _("Informed")
    DECLINED = "declined", _("Not wanted")
    REQUESTED = "requested", _("Requested")
    FULFILLED = "fulfilled", _("Fulfilled")


class LinkKind(models.TextChoices):
    """What fulfils a right: a record of another app, checked through that app's queries."""

    SERVICE = "service", _("Service delivered")
    REFERRAL = "referral", _("Referral")
    STAY = "stay", _("Shelter stay")
    PROCEEDING = "proceeding", _("Court proceeding")
