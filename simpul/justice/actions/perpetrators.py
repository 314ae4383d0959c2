"""Perpetrators: a person (identity in the vault) or a company with its placement licence and
sanction history; their relation to victims; defendants of a proceeding."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.roles import Perm, Role
from simpul.audit.log import record as audit
from simpul.core.scoping import can_access
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.justice.actions.common import grant_user, new_perpetrator_code, role_grant
from simpul.justice.codes import (
    AgeBand,
    LicenceStatus,
    Nationality,
    PerpetratorKind,
    PerpetratorRole,
    SanctionKind,
    Sex,
    VictimRelation,
)
from simpul.justice.models import (
    Defendant,
    LicenceSanction,
    Perpetrator,
    PerpetratorVictim,
    PlacementCompany,
    Proceeding,
)


@dataclass
class PerpetratorInput:
    kind: str
    full_name: str = ""  # a person: sealed in the vault, never stored here
    company_name: str = ""
    nib: str = ""
    licence_number: str = ""
    licence_status: str = LicenceStatus.NONE
    nationality: str = Nationality.UNKNOWN
    sex: str = Sex.UNKNOWN
    age_band: str = AgeBand.UNKNOWN
    roles: list[str] = field(default_factory=list)
    complicit_official: bool = False
    office_held: str = ""


def _validate(data: PerpetratorInput) -> None:
    errors: dict[str, str] = {}
    if data.kind not in PerpetratorKind.values:
        errors["kind"] = _("Choose a person or a company.")
    if data.kind == PerpetratorKind.PERSON and not data.full_name.strip():
        errors["full_name"] = _("Enter the person's name.")
    if data.kind == PerpetratorKind.COMPANY and not data.company_name.strip():
        errors["company_name"] = _("Enter the company's name.")
    if (
        data.kind == PerpetratorKind.COMPANY
        and data.licence_status
        in (
            LicenceStatus.ACTIVE,
            LicenceStatus.SUSPENDED,
            LicenceStatus.REVOKED,
        )
        and not data.licence_number.strip()
    ):
        errors["licence_number"] = _("Enter the placement licence number.")
    if any(r not in PerpetratorRole.values for r in data.roles):
        errors["roles"] = _("Choose roles from the list.")
    if data.complicit_official and not data.office_held.strip():
        errors["office_held"] = _("Enter the office the official held.")
    for name, choices in (
        ("nationality", Nationality),
        ("sex", Sex),
        ("age_band", AgeBand),
        ("licence_status", LicenceStatus),
    ):
        if getattr(data, name) not in choices.values:
            errors[name] = _("Choose a value from the list.")
    if errors:
        raise ValidationError(errors)


def add_defendant(
    actor: User,
    proceeding: Proceeding,
    data: PerpetratorInput,
    *,
    request: HttpRequest | None = None,
) -> Defendant:
    """Record a perpetrator (a person goes into the vault) as a defendant of the proceeding,
    linked to its case; the investigator and the prosecutor of the proceeding see it."""
    if actor.pk not in (proceeding.investigator_id, proceeding.prosecutor_id):
        raise PermissionDenied
    _validate(data)
    role = Role.POLICE_INVESTIGATOR if actor.pk == proceeding.investigator_id else Role.PROSECUTOR
    agency = Agency.objects.get(pk=role_grant(actor, role).agency_id)
    with transaction.atomic():
        person = None
        if data.kind == PerpetratorKind.PERSON:
            sex = data.sex if data.sex in ("F", "M") else ""
            person, _warnings = create_person(
                actor,
                IdentityData(full_name=data.full_name.strip(), sex=sex),
                owner_agency=agency,
                scope_region=proceeding.scope_region,
                request=request,
            )
        is_company = data.kind == PerpetratorKind.COMPANY
        perpetrator = Perpetrator.objects.create(
            code=new_perpetrator_code(),
            owner_agency=agency,
            scope_region=None,
            created_by=actor,
            kind=data.kind,
            person=person,
            company_name=data.company_name.strip() if is_company else "",
            nib=data.nib.strip() if is_company else "",
            licence_number=data.licence_number.strip() if is_company else "",
            licence_status=data.licence_status if is_company else LicenceStatus.NONE,
            nationality=data.nationality,
            sex=data.sex if not is_company else Sex.UNKNOWN,
            age_band=data.age_band if not is_company else AgeBand.UNKNOWN,
            roles=sorted(set(data.roles)),
            complicit_official=data.complicit_official and not is_company,
            office_held=data.office_held.strip() if data.complicit_official else "",
        )
        perpetrator.cases.add(proceeding.case)
        defendant = Defendant.objects.create(proceeding=proceeding, perpetrator=perpetrator)
        for user in (proceeding.investigator, proceeding.prosecutor):
            if user is not None:
                grant_user(perpetrator, user, by=actor)
                if person is not None and user.pk != actor.pk:
                    grant_user(person, user, by=actor)
        audit(
            "perpetrator.create",
            actor=actor,
            request=request,
            record=perpetrator,
            fields=[n for n, v in vars(data).items() if v and n != "full_name"],
        )
    return defendant


def link_victim(
    actor: User,
    perpetrator: Perpetrator,
    victim: Person,
    relation: str,
    *,
    case_victims: list[Person],
    request: HttpRequest | None = None,
) -> PerpetratorVictim:
    """The perpetrator's relation to one victim of a case it is linked to."""
    if not can_access(actor, perpetrator, Perm.EDIT_RECORDS):
        raise PermissionDenied
    if relation not in VictimRelation.values:
        raise ValidationError({"relation": _("Choose a relation from the list.")})
    if victim.pk not in {p.pk for p in case_victims}:
        raise ValidationError({"victim": _("Choose a victim of this case.")})
    with transaction.atomic():
        link, _created = PerpetratorVictim.objects.update_or_create(
            perpetrator=perpetrator, person=victim, defaults={"relation": relation}
        )
        audit(
            "perpetrator.victim_link",
            actor=actor,
            request=request,
            record=perpetrator,
            fields=["relation"],
        )
    return link


_STATUS_AFTER: dict[str, str] = {
    SanctionKind.PARTIAL_SUSPENSION: LicenceStatus.SUSPENDED,
    SanctionKind.FULL_SUSPENSION: LicenceStatus.SUSPENDED,
    SanctionKind.REVOCATION: LicenceStatus.REVOKED,
    SanctionKind.REINSTATED: LicenceStatus.ACTIVE,
}


SUSPENSIONS = (SanctionKind.PARTIAL_SUSPENSION, SanctionKind.FULL_SUSPENSION)


def apply_sanction_status(
    holder: Perpetrator | PlacementCompany,
    kind: str,
    effective_from: date | None,
    effective_to: date | None,
) -> bool:
    """Set and save the licence status a sanction leaves on a defendant company or a company
    of the register (a suspension carries its dates); False when it leaves the status as it
    was (a written warning)."""
    if kind not in _STATUS_AFTER:
        return False
    suspension = kind in SUSPENSIONS
    holder.licence_status = _STATUS_AFTER[kind]
    holder.suspended_from = effective_from if suspension else None
    holder.suspended_to = effective_to if suspension else None
    holder.version += 1
    holder.save(
        update_fields=["licence_status", "suspended_from", "suspended_to", "version", "updated_at"]
    )
    return True


def sanction_errors(
    kind: str, decision_number: str, effective_from: date | None, effective_to: date | None
) -> dict[str, str]:
    """A sanction's own rules, for a defendant company and a company of the register alike."""
    errors: dict[str, str] = {}
    if kind not in SanctionKind.values:
        errors["kind"] = _("Choose a sanction from the list.")
    if not decision_number.strip():
        errors["decision_number"] = _("Enter the decision number.")
    if kind in SUSPENSIONS and not (effective_from and effective_to):
        errors["effective_to"] = _("A suspension needs its start and end dates.")
    elif effective_from and effective_to and effective_to < effective_from:
        errors["effective_to"] = _("The end date cannot be before the start date.")
    return errors


def record_sanction(
    actor: User,
    perpetrator: Perpetrator,
    *,
    kind: str,
    decision_number: str,
    decided_on: date,
    effective_from: date | None = None,
    effective_to: date | None = None,
    request: HttpRequest | None = None,
) -> LicenceSanction:
    """A sanction on a placement company's licence; suspension, revocation and reinstatement
    change the licence status (a suspension carries its from-to dates)."""
    if not can_access(actor, perpetrator, Perm.EDIT_RECORDS):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if perpetrator.kind != PerpetratorKind.COMPANY or not perpetrator.licence_number:
        errors["kind"] = _("Only a company with a placement licence can be sanctioned.")
    errors.update(sanction_errors(kind, decision_number, effective_from, effective_to))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sanction = LicenceSanction.objects.create(
            perpetrator=perpetrator,
            kind=kind,
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            effective_from=effective_from,
            effective_to=effective_to,
            recorded_by=actor,
        )
        fields = ["sanctions"]
        if apply_sanction_status(perpetrator, kind, effective_from, effective_to):
            fields.append("licence_status")
        audit(
            "perpetrator.sanction", actor=actor, request=request, record=perpetrator, fields=fields
        )
    return sanction
