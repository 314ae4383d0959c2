"""The case timeline in words: each `CaseActivity` is stored as a code (`kind`) with parameters
(codes and ids), and rendered here in the reader's language, so a page never shows a sentence
frozen in the language of whoever did the step."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.accounts.models import Agency
from simpul.cases.codes import EventType, Service
from simpul.cases.models import CaseActivity, ClosureReason, ReturnedStep

# kind -> message; %(service)s, %(agency)s, %(reason)s, %(step)s, %(event)s are filled from the
# parameters, each turned into its label first.
MESSAGES: dict[str, str | Promise] = {
    "open": gettext_lazy("Case opened"),
    "details": gettext_lazy("Case details updated"),
    "assessment_submitted": gettext_lazy("Assessment submitted for approval"),
    "assessment_approved": gettext_lazy("Assessment approved"),
    "assessment_returned": gettext_lazy("Assessment returned for changes"),
    "plan_submitted": gettext_lazy("Case plan submitted for approval"),
    "plan_approved": gettext_lazy("Case plan approved"),
    "plan_returned": gettext_lazy("Case plan returned for changes"),
    "service": gettext_lazy("Service recorded: %(service)s"),
    "monitoring": gettext_lazy("Monitoring started"),
    "consent": gettext_lazy("Consent recorded"),
    "consent_withdrawn": gettext_lazy("Consent withdrawn"),
    "closure_requested": gettext_lazy("Closure requested: %(reason)s"),
    "closed": gettext_lazy("Case closed"),
    "closure_refused": gettext_lazy("Closure refused"),
    "reopen": gettext_lazy("Case reopened"),
    "event_recorded": gettext_lazy("Chronology: %(event)s recorded"),
    "event_changed": gettext_lazy("Chronology: %(event)s changed"),
    "event_removed": gettext_lazy("Chronology: %(event)s removed"),
    "task_created": gettext_lazy("Task created for %(agency)s"),
    "task_reassigned": gettext_lazy("Task reassigned"),
    "task_done": gettext_lazy("Task done"),
    "worker_assigned": gettext_lazy("Case worker assigned"),
    "referral_sent": gettext_lazy("Referred to %(agency)s"),
    "referral_accepted": gettext_lazy("Referral accepted by %(agency)s"),
    "referral_declined": gettext_lazy("Referral declined by %(agency)s"),
    "referral_ended": gettext_lazy("Sharing with %(agency)s ended: consent withdrawn"),
}
KINDS = frozenset(MESSAGES)


@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    actor: Any
    kind: str
    text: str


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return "—"


def describe(activity: CaseActivity, agencies: dict[int, str]) -> str:
    """One line in the active language. Unknown kinds and missing parameters read as "—",
    never as a code."""
    message = MESSAGES.get(activity.kind)
    if message is None:
        return _("Case updated")
    p = activity.params or {}
    values = {
        "service": _label(Service, p.get("service")),
        "reason": _label(ClosureReason, p.get("reason")),
        "step": _label(ReturnedStep, p.get("step")),
        "event": _label(EventType, p.get("event")),
        "agency": agencies.get(int(p["agency"]), "—") if p.get("agency") else "—",
    }
    return str(message) % values


def lines(activities: list[CaseActivity]) -> list[TimelineLine]:
    """The activities as lines to show: one query for the agencies they name."""
    ids = {
        int(a.params["agency"])
        for a in activities
        if isinstance(a.params, dict) and a.params.get("agency")
    }
    agencies = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return [TimelineLine(a.at, a.actor, a.kind, describe(a, agencies)) for a in activities]
