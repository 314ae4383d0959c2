"""Labels for the case pages: codes stored in case files shown as words in the reader's
language (never a raw code)."""

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from simpul.cases.codes import ConsentItem, EventType, Service
from simpul.cases.models import ClosureReason, ReturnedStep, Stage
from simpul.referrals.models import ReferralStatus, Section

register = template.Library()

_CHOICES: dict[str, Any] = {
    "consent": ConsentItem,
    "event": EventType,
    "service": Service,
    "closure": ClosureReason,
    "returned": ReturnedStep,
    "stage": Stage,
    "referral": ReferralStatus,
    "section": Section,
}


def _label(kind: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    try:
        return str(_CHOICES[kind](value).label)
    except ValueError:
        return "—"


@register.filter
def section_label(value: Any) -> str:
    return _label("section", value)


@register.filter
def code_label(value: Any, kind: str) -> str:
    """`{{ code|code_label:"consent" }}`: the label of a code from one of the case code lists."""
    return _label(kind, value)


@register.filter
def code_labels(values: Any, kind: str) -> str:
    """A list of codes as their labels, comma separated."""
    return ", ".join(_label(kind, v) for v in values or []) or "—"


@register.filter
def get_list(mapping: Any, key: Any) -> list[Any]:
    return list(mapping.get(key, [])) if mapping else []


@register.filter
def age_days(value: datetime | None) -> int:
    if value is None:
        return 0
    return max((timezone.now() - value).days, 0)


@register.filter
def htcds_label(value: str) -> str:
    """HTCDS cas_Status (Active, FollowUp, Closed, ClosedReferred) in the reader's language."""
    labels = {
        "Active": gettext("Active"),
        "FollowUp": gettext("Follow-up"),
        "Closed": gettext("Closed"),
        "ClosedReferred": gettext("Closed: referred"),
    }
    return labels.get(value, "—")
