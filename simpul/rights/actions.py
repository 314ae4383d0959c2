"""Writes of the rights checklist: one action records a right's state for a victim of a
case, validated (the order informed → requested → fulfilled, what fulfils it), audited."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.cases.models import Case
from simpul.core.errors import StaleRecordError
from simpul.identity.crypto import seal_text
from simpul.identity.models import Person
from simpul.rights import queries
from simpul.rights.choices import LinkKind, Right, Wanted
from simpul.rights.models import VictimRight
from simpul.rights.sealing import aad


@dataclass
class RightInput:
    informed_on: date | None = None
    wanted: str = Wanted.UNDECIDED
    requested_on: date | None = None
    fulfilled_on: date | None = None
    link: str = ""  # "kind:id" from queries.link_choices, or ""
    note: str = ""  # free text (sealed)


def _validate(actor: User, case: Case, data: RightInput) -> tuple[str, str]:
    """The link as (kind, id); every refusal keyed by field."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    for name in ("informed_on", "requested_on", "fulfilled_on"):
        value = getattr(data, name)
        if value is not None and value > today:
            errors[name] = _("A date cannot be in the future.")
    if data.wanted not in Wanted.values:
        errors["wanted"] = _("Choose whether the victim wants this.")
    if (data.requested_on or data.wanted != Wanted.UNDECIDED) and data.informed_on is None:
        errors["informed_on"] = _("Record first when the victim was informed of this right.")
    if data.requested_on and data.wanted != Wanted.YES:
        errors["wanted"] = _("A right is requested only when the victim wants it.")
    if data.requested_on and data.informed_on and data.requested_on < data.informed_on:
        errors["requested_on"] = _("The request cannot come before the victim was informed.")
    if data.fulfilled_on:
        if data.requested_on is None:
            errors["fulfilled_on"] = _("A right is fulfilled only after it was requested.")
        elif data.fulfilled_on < data.requested_on:
            errors["fulfilled_on"] = _("It cannot be fulfilled before it was requested.")
        if not data.link and not " ".join(data.note.split()):
            errors["link"] = _(
                "Say what fulfilled it: choose the service, referral, stay or proceeding, "
                "or write a note."
            )
    kind, link_id = "", ""
    if data.link:
        if data.link not in dict(queries.link_choices(actor, case)):
            errors["link"] = _("Choose a service, referral, stay or proceeding of this case.")
        else:
            kind, link_id = data.link.split(":", 1)
            assert kind in LinkKind.values
    if errors:
        raise ValidationError(errors)
    return kind, link_id


def record_right(
    actor: User,
    case: Case,
    person: Person,
    right: str,
    data: RightInput,
    *,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> VictimRight:
    """Record where a victim's right stands. Only the case's owner side who edit records
    (the case worker) may; the person must be a victim of the case."""
    if not queries.may_edit(actor, case):
        raise PermissionDenied
    if right not in Right.values:
        raise ValidationError({"right": _("Unknown right.")})
    if person.pk not in {p.pk for p in queries.victims(case)}:
        raise PermissionDenied
    kind, link_id = _validate(actor, case, data)
    note = " ".join(data.note.split())
    with transaction.atomic():
        row = (
            VictimRight.objects.select_for_update()
            .filter(case=case, person=person, right=right)
            .first()
        )
        if row is not None and version is not None and row.version != version:
            raise StaleRecordError(row.version)
        if row is None:
            try:
                with transaction.atomic():
                    row = VictimRight.objects.create(case=case, person=person, right=right)
            except IntegrityError:
                raise StaleRecordError(1) from None
        else:
            row.version += 1
        before = {
            f: getattr(row, f)
            for f in (
                "informed_on",
                "wanted",
                "requested_on",
                "fulfilled_on",
                "link_kind",
                "link_id",
            )
        }
        if data.informed_on != row.informed_on:
            row.informed_by = actor if data.informed_on else None
        row.informed_on = data.informed_on
        row.wanted = data.wanted
        row.requested_on = data.requested_on
        row.fulfilled_on = data.fulfilled_on
        row.link_kind, row.link_id = kind, link_id
        sealed_note = seal_text(note, aad(row.pk))
        changed = [f for f, v in before.items() if getattr(row, f) != v]
        if note != queries.note_of(row):
            changed.append("note")
        row.note_sealed = sealed_note
        row.updated_by = actor
        row.save()
        audit(
            "rights.record",
            actor=actor,
            request=request,
            record=case,
            fields=changed,
            reason=f"right {right} of person {person.code}",
        )
    return row
