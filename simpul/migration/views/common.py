"""What the migration views share: the module menu, duties, referring to protection."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from simpul.accounts.access import acting_user
from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.identity.actions import PossibleDuplicates, audit_duplicate_check
from simpul.migration.capabilities import Duty, may
from simpul.migration.forms import ReferForm


def menu(user: User, current: str) -> list[dict[str, object]]:
    """The module's own tabs, each shown when the user's agency and role can use it."""
    principal = principal_for(user)
    records = principal.has_perm(Perm.VIEW_RECORDS)
    entries: list[tuple[str, object, bool]] = [
        ("migration:register", _("Village register"), records and may(user, Duty.DEPARTURES)),
        ("migration:departure_list", _("Departures"), records and may(user, Duty.DEPARTURES)),
        ("migration:checkin_list", _("Check-ins"), records and may(user, Duty.DEPARTURES)),
        ("migration:missing_list", _("Missing migrants"), records),
        ("migration:return_list", _("Returns"), records),
        ("migration:screening_list", _("Screening log"), records),
        ("migration:decision_list", _("Passport refusals and deferrals"), records),
        (
            "migration:statistics",
            _("Statistics"),
            records or principal.has_perm(Perm.VIEW_AGGREGATES),
        ),
    ]
    return [
        {"name": name, "label": label, "active": name == current}
        for name, label, shown in entries
        if shown
    ]


def duties(user: User) -> dict[str, bool]:
    return {d.value: may(user, d) for d in Duty}


def refer_from_form(
    request: HttpRequest, refer: Callable[..., Any], record: Any, data: Any
) -> None:
    """Run a "refer to protection" action from a ReferForm post and report the outcome as a
    message: the intake reference, or each reason it could not be made."""
    from django.contrib import messages
    from django.utils.translation import gettext

    form = ReferForm(data)
    if not form.is_valid():
        return
    try:
        intake = refer(
            acting_user(request),
            record,
            note=form.cleaned_data["note"],
            immediate_danger=form.cleaned_data["immediate_danger"],
            request=request,
        )
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(
            request,
            gettext("Referred to protection services as %(ref)s.") % {"ref": intake.reference},
        )


def duplicate_choice(request: HttpRequest) -> str:
    """The user's answer to the duplicate warning: "" until asked, a person id or "new"."""
    return request.POST.get("duplicate_choice", "")[:40]


def keep_candidates(
    request: HttpRequest, form: Any, run: Callable[[dict[str, Any]], Any]
) -> Callable[[dict[str, Any]], Any]:
    """Run a form action that records a person; when it answers with possible duplicates,
    keep them on the form (`form.candidates`, shown by identity/partials/candidates.html) and
    audit the check like a search, after the action's transaction has rolled back."""

    def wrapped(data: dict[str, Any]) -> Any:
        try:
            return run(data)
        except PossibleDuplicates as exc:
            form.candidates = exc.candidates
            audit_duplicate_check(
                acting_user(request), form.identity(), exc.candidates, request=request
            )
            raise

    return wrapped
