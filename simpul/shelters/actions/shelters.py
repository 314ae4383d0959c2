"""The registry: register a shelter (address sealed), its dated bed inventory, open and close."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.identity.crypto import seal_text
from simpul.regions.models import Region
from simpul.shelters import queries
from simpul.shelters.codes import RESIDENT_STATUSES, AcceptsSex, ShelterKind, ShelterStatus
from simpul.shelters.models import BedInventory, Shelter, Stay
from simpul.shelters.sealing import aad


@dataclass(frozen=True)
class ShelterInput:
    name: str
    kind: str
    operator_agency: Agency
    region: Region
    address: str = ""
    accepts_sex: str = AcceptsSex.ANY
    accepts_children: bool = True
    min_age: int | None = None
    max_age: int | None = None
    beds: int = 0
    blocked: int = 0
    blocked_reason: str = ""


def _require_manage(actor: User, shelter: Shelter) -> None:
    if not queries.may_manage(actor, shelter):
        raise PermissionDenied


@dataclass(frozen=True)
class ShelterDetails:
    """What a shelter's managers may change after registration (beds and the open/closed
    status have their own dated actions; the operating agency does not change)."""

    name: str
    kind: str
    region: Region
    accepts_sex: str = AcceptsSex.ANY
    accepts_children: bool = True
    min_age: int | None = None
    max_age: int | None = None
    address: str = ""  # blank keeps the sealed address


def _details_errors(data: ShelterInput | ShelterDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the shelter's name.")
    if data.kind not in ShelterKind.values:
        errors["kind"] = _("Choose the type of shelter.")
    if data.accepts_sex not in AcceptsSex.values:
        errors["accepts_sex"] = _("Choose whom the shelter accepts.")
    if data.region.level != Region.Level.REGENCY:
        errors["region"] = _("Choose a regency or city, not a province, district or village.")
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        errors["max_age"] = _("The oldest age must not be below the youngest.")
    return errors


def _validate(data: ShelterInput) -> None:
    errors = _details_errors(data)
    if data.blocked > data.beds:
        errors["blocked"] = _("More beds are blocked than the shelter has.")
    if data.blocked and not data.blocked_reason.strip():
        errors["blocked_reason"] = _("Say why beds are blocked.")
    if errors:
        raise ValidationError(errors)


def register_shelter(
    actor: User, data: ShelterInput, *, request: HttpRequest | None = None
) -> Shelter:
    """A new open shelter with its first bed inventory from today; the address sealed."""
    principal = principal_for(actor)
    if not (
        principal.has_perm(Perm.MANAGE_AGENCIES)
        or data.operator_agency.pk in queries.member_agencies(actor, Perm.EDIT_RECORDS)
    ):
        raise PermissionDenied
    _validate(data)
    with transaction.atomic():
        shelter = Shelter.objects.create(
            name=data.name.strip(),
            kind=data.kind,
            operator_agency=data.operator_agency,
            region=data.region,
            accepts_sex=data.accepts_sex,
            accepts_children=data.accepts_children,
            min_age=data.min_age,
            max_age=data.max_age,
            created_by=actor,
        )
        if data.address.strip():
            shelter.address_sealed = seal_text(
                data.address.strip(), aad("shelter", "address", shelter.pk)
            )
            shelter.save(update_fields=["address_sealed"])
        BedInventory.objects.create(
            shelter=shelter,
            beds=data.beds,
            blocked=data.blocked,
            blocked_reason=data.blocked_reason.strip(),
            valid_from=timezone.localdate(),
            recorded_by=actor,
        )
        audit(
            "shelter.create",
            actor=actor,
            request=request,
            record=shelter,
            fields=["name", "kind", "region", "address", "accepts", "beds"],
        )
    return shelter


def change_shelter(
    actor: User,
    shelter: Shelter,
    data: ShelterDetails,
    *,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Shelter:
    """Change a shelter's name, type, regency, whom it accepts or its sealed address (a blank
    address keeps the sealed one). Refused, with nothing changed, on bad input or when someone
    else changed the shelter since the form was opened."""
    _require_manage(actor, shelter)
    errors = _details_errors(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = Shelter.objects.select_for_update().get(pk=shelter.pk)
        if version is not None and fresh.version != version:
            raise StaleRecordError(fresh.version)
        values = {
            "name": data.name.strip(),
            "kind": data.kind,
            "region": data.region,
            "accepts_sex": data.accepts_sex,
            "accepts_children": data.accepts_children,
            "min_age": data.min_age,
            "max_age": data.max_age,
        }
        changed = [name for name, value in values.items() if getattr(fresh, name) != value]
        for name in changed:
            setattr(fresh, name, values[name])
        if data.address.strip():
            fresh.address_sealed = seal_text(
                data.address.strip(), aad("shelter", "address", fresh.pk)
            )
            changed.append("address")
        if not changed:
            return fresh
        fresh.version += 1
        fresh.save(
            update_fields=[
                *(n for n in changed if n != "address"),
                *(["address_sealed"] if "address" in changed else []),
                "version",
            ]
        )
        audit("shelter.change", actor=actor, request=request, record=fresh, fields=changed)
    return fresh


def set_inventory(
    actor: User,
    shelter: Shelter,
    *,
    beds: int,
    blocked: int = 0,
    blocked_reason: str = "",
    valid_from: date | None = None,
    request: HttpRequest | None = None,
) -> BedInventory:
    """A new inventory period from `valid_from` (today by default): the current one ends the
    day before, so the history stays whole. A period may not start before the current one."""
    _require_manage(actor, shelter)
    start = valid_from or timezone.localdate()
    errors: dict[str, str] = {}
    if blocked > beds:
        errors["blocked"] = _("More beds are blocked than the shelter has.")
    if blocked and not blocked_reason.strip():
        errors["blocked_reason"] = _("Say why beds are blocked.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Shelter.objects.select_for_update().get(pk=shelter.pk)
        current = shelter.inventory.filter(valid_to__isnull=True).first()
        if current is not None:
            if start <= current.valid_from:
                if start < current.valid_from:
                    raise ValidationError(
                        {"valid_from": _("The new beds cannot start before the current ones.")}
                    )
                current.delete()  # the same day: the new figures replace today's
            else:
                current.valid_to = start - timedelta(days=1)
                current.save(update_fields=["valid_to"])
        inventory = BedInventory.objects.create(
            shelter=shelter,
            beds=beds,
            blocked=blocked,
            blocked_reason=blocked_reason.strip(),
            valid_from=start,
            recorded_by=actor,
        )
        audit(
            "shelter.inventory",
            actor=actor,
            request=request,
            record=shelter,
            fields=["beds", "blocked", "valid_from"],
        )
    return inventory


def _change_status(
    actor: User,
    shelter: Shelter,
    status: str,
    version: int | None,
    request: HttpRequest | None,
) -> Shelter:
    _require_manage(actor, shelter)
    with transaction.atomic():
        fresh = Shelter.objects.select_for_update().get(pk=shelter.pk)
        if version is not None and fresh.version != version:
            raise StaleRecordError(fresh.version)
        if fresh.status == status:
            raise ValidationError(
                _("The shelter is already open.")
                if status == ShelterStatus.OPEN
                else _("The shelter is already closed.")
            )
        if status == ShelterStatus.CLOSED:
            here = Stay.objects.filter(shelter=fresh, status__in=RESIDENT_STATUSES).count()
            if here:
                raise ValidationError(
                    _(
                        "The shelter cannot close while %(n)d residents are checked in: "
                        "check them out first."
                    )
                    % {"n": here}
                )
        fresh.status = status
        fresh.version += 1
        fresh.save(update_fields=["status", "version"])
        audit(
            "shelter.close" if status == ShelterStatus.CLOSED else "shelter.reopen",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status"],
        )
    return fresh


def close_shelter(
    actor: User, shelter: Shelter, *, version: int | None = None, request: HttpRequest | None = None
) -> Shelter:
    """Refused, with nothing changed, while anyone is checked in (or temporarily absent)."""
    return _change_status(actor, shelter, ShelterStatus.CLOSED, version, request)


def reopen_shelter(
    actor: User, shelter: Shelter, *, version: int | None = None, request: HttpRequest | None = None
) -> Shelter:
    return _change_status(actor, shelter, ShelterStatus.OPEN, version, request)
