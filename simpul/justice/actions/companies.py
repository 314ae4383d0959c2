"""The placement-company register: register a licensed company, record a sanction on its
licence. Only a user whose role maintains the register (`Perm.MANAGE_COMPANY_REGISTER`)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.justice.actions.perpetrators import apply_sanction_status, sanction_errors
from simpul.justice.codes import LicenceStatus
from simpul.justice.models import LicenceSanction, PlacementCompany


@dataclass
class CompanyInput:
    name: str
    nib: str = ""
    licence_number: str = ""
    licence_status: str = LicenceStatus.ACTIVE
    source: str = ""


def may_manage_register(user: User) -> bool:
    return principal_for(user).has_perm(Perm.MANAGE_COMPANY_REGISTER)


def _clean(data: CompanyInput) -> CompanyInput:
    return CompanyInput(
        name=" ".join(data.name.split()),
        nib=data.nib.strip(),
        licence_number=data.licence_number.strip(),
        licence_status=data.licence_status,
        source=data.source.strip(),
    )


def _validate(data: CompanyInput) -> None:
    errors: dict[str, str] = {}
    if not data.name:
        errors["name"] = _("Enter the company's name.")
    if data.licence_status not in LicenceStatus.values:
        errors["licence_status"] = _("Choose a value from the list.")
    elif data.licence_status != LicenceStatus.NONE and not data.licence_number:
        errors["licence_number"] = _("Enter the placement licence number.")
    if data.nib and not data.nib.isdigit():
        errors["nib"] = _("A business number (NIB) has digits only.")
    registered = PlacementCompany.objects
    if data.licence_number and registered.filter(licence_number=data.licence_number).exists():
        errors["licence_number"] = _("A company with this licence number is registered.")
    if data.nib and registered.filter(nib=data.nib).exists():
        errors["nib"] = _("A company with this business number is registered.")
    if (
        "name" not in errors
        and registered.annotate(lname=Lower("name")).filter(lname=data.name.lower()).exists()
    ):
        errors["name"] = _("A company with this name is registered.")
    if errors:
        raise ValidationError(errors)


def register_company(
    actor: User, data: CompanyInput, *, request: HttpRequest | None = None
) -> PlacementCompany:
    """Add a company to the register (a suspension is recorded afterwards as a sanction, with
    its decision and dates, so a new entry is active, revoked or without a licence)."""
    if not may_manage_register(actor):
        raise PermissionDenied
    data = _clean(data)
    if data.licence_status == LicenceStatus.SUSPENDED:
        raise ValidationError(
            {"licence_status": _("Record a suspension as a sanction, with its dates.")}
        )
    _validate(data)
    try:
        with transaction.atomic():
            company = PlacementCompany.objects.create(
                name=data.name,
                nib=data.nib,
                licence_number=data.licence_number,
                licence_status=data.licence_status,
                source=data.source,
                registered_by=actor,
            )
            audit(
                "company.register",
                actor=actor,
                request=request,
                record=company,
                fields=[n for n, v in vars(data).items() if v],
            )
    except IntegrityError:  # a namesake registered at the same moment
        raise ValidationError(
            {"licence_number": _("A company with this licence number is registered.")}
        ) from None
    return company


def record_company_sanction(
    actor: User,
    company: PlacementCompany,
    *,
    kind: str,
    decision_number: str,
    decided_on: date,
    effective_from: date | None = None,
    effective_to: date | None = None,
    request: HttpRequest | None = None,
) -> LicenceSanction:
    """A sanction on a registered company's licence; suspension, revocation and reinstatement
    change its status, as for a defendant company."""
    if not may_manage_register(actor):
        raise PermissionDenied
    errors = sanction_errors(kind, decision_number, effective_from, effective_to)
    if not company.licence_number:
        errors["kind"] = _("Only a company with a placement licence can be sanctioned.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sanction = LicenceSanction.objects.create(
            company=company,
            kind=kind,
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            effective_from=effective_from,
            effective_to=effective_to,
            recorded_by=actor,
        )
        fields = ["sanctions"]
        if apply_sanction_status(company, kind, effective_from, effective_to):
            fields.append("licence_status")
        audit("company.sanction", actor=actor, request=request, record=company, fields=fields)
    return sanction
