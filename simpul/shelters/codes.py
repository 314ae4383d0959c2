"""Every stored code of the shelters app, with its translated label, and the rules that hang
on a code (the default length of stay per shelter type)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShelterKind(models.TextChoices):
    RPTC = "rptc", _("RPTC (trauma and protection home)")
    RUMAH_AMAN = "rumah_aman", _("Safe house (rumah aman)")
    RPS = "rps", _("Social protection home (RPS)")
    TRAUMA_CENTRE = "trauma_centre", _("Trauma centre")
    P4MI = "p4mi", _("P4MI shelter")
    OTHER = "other", _("Other shelter")


# Default length of a stay in days, per shelter type, before an extension must be decided.
# Rumah aman: 1 x 7 days, extendable "sesuai kondisi korban" (the safe-house SOP). The others
# are this installation's defaults; change them here.
DEFAULT_STAY_DAYS: dict[str, int] = {
    ShelterKind.RPTC: 30,
    ShelterKind.RUMAH_AMAN: 7,
    ShelterKind.RPS: 30,
    ShelterKind.TRAUMA_CENTRE: 14,
    ShelterKind.P4MI: 7,
    ShelterKind.OTHER: 14,
}


def default_stay_days(kind: str) -> int:
    return DEFAULT_STAY_DAYS.get(kind, DEFAULT_STAY_DAYS[ShelterKind.OTHER])


class ShelterStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AcceptsSex(models.TextChoices):
    ANY = "any", _("Women and men")
    FEMALE = "female", _("Women and girls only")
    MALE = "male", _("Men and boys only")


class StayStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PLANNED = "planned", _("Planned")
    CHECKED_IN = "checked_in", _("Checked in")
    ABSENT = "absent", _("Temporarily absent")
    CHECKED_OUT = "checked_out", _("Checked out")
    CANCELLED = "cancelled", _("Cancelled")


# A person has at most one stay in these states (a database constraint).
OPEN_STATUSES = (StayStatus.PLANNED, StayStatus.CHECKED_IN, StayStatus.ABSENT)
# A stay in these states holds a bed.
RESIDENT_STATUSES = (StayStatus.CHECKED_IN, StayStatus.ABSENT)

# Which state may follow which (check-out and cancel carry their own reason).
TRANSITIONS: dict[str, frozenset[str]] = {
    StayStatus.REQUESTED: frozenset({StayStatus.PLANNED, StayStatus.CANCELLED}),
    StayStatus.PLANNED: frozenset({StayStatus.CHECKED_IN, StayStatus.CANCELLED}),
    StayStatus.CHECKED_IN: frozenset({StayStatus.ABSENT, StayStatus.CHECKED_OUT}),
    StayStatus.ABSENT: frozenset({StayStatus.CHECKED_IN, StayStatus.CHECKED_OUT}),
    StayStatus.CHECKED_OUT: frozenset(),
    StayStatus.CANCELLED: frozenset(),
}


class ExitReason(models.TextChoices):
    RETURNED_HOME = "returned_home", _("Returned home")
    TRANSFERRED = "transferred", _("Transferred to another shelter")
    MOVED_TO_FAMILY = "moved_to_family", _("Moved to family")
    LEFT_BY_CHOICE = "left_by_choice", _("Left by own choice")
    ABSCONDED = "absconded", _("Absconded")
    HOSPITAL = "hospital", _("Admitted to hospital")
    DETAINED = "detained", _("Detained")
    DECEASED = "deceased", _("Deceased")


class ConsentBasis(models.TextChoices):
    OWN = "own", _("Given by the person")
    GUARDIAN = "guardian", _("Given by a parent or guardian")
    COURT = "court", _("Ordered by a court or LPSK")


class RestrictionKind(models.TextChoices):
    NO_OUTINGS = "no_outings", _("No outings without an escort")
    NO_VISITORS = "no_visitors", _("No visitors without approval")
    NO_PHONE = "no_phone", _("Phone use limited")
    NO_WORK = "no_work", _("No work outside the shelter")
    OTHER = "other", _("Other restriction")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    KTP = "ktp", _("Identity card (KTP)")
    KK = "kk", _("Family card (KK)")
    BIRTH = "birth", _("Birth certificate")
    TRAVEL = "travel", _("Travel document (SPLP)")
    OTHER = "other", _("Other document")


class HandoverStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent, not yet received")
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CANCELLED = "cancelled", _("Cancelled")


# A handover (berita acara serah terima) moves only forward; it can be cancelled until the
# receiving agency has received the persons.
HANDOVER_TRANSITIONS: dict[str, frozenset[str]] = {
    HandoverStatus.DRAFT: frozenset({HandoverStatus.SENT, HandoverStatus.CANCELLED}),
    HandoverStatus.SENT: frozenset({HandoverStatus.RECEIVED, HandoverStatus.CANCELLED}),
    HandoverStatus.RECEIVED: frozenset({HandoverStatus.ACKNOWLEDGED}),
    HandoverStatus.ACKNOWLEDGED: frozenset(),
    HandoverStatus.CANCELLED: frozenset(),
}
# Waiting for the receiving agency (counted on its home page, escalated when late).
HANDOVER_WAITING = (HandoverStatus.SENT, HandoverStatus.RECEIVED)
# Who receives a returned person in the origin regency.
RECEIVING_AGENCY_TYPES = ("uptd_ppa", "dinas_sosial")
# A stay may be handed over while the person is here or after they left.
HANDOVER_STAY_STATUSES = (StayStatus.CHECKED_IN, StayStatus.ABSENT, StayStatus.CHECKED_OUT)
