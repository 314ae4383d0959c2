"""Helpers every migration action shares: the acting agency, references, people, sealing."""

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import find_by_identifier
from simpul.lib.nik import validate_nik
from simpul.migration.capabilities import DUTIES, Duty
from simpul.regions.models import Region

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def acting_agency(actor: User, duty: Duty) -> Agency:
    """The actor's agency that may do `duty`: an edit grant at an agency of the right kind."""
    agency_ids = [g.agency_id for g in principal_for(actor).grants_with(Perm.EDIT_RECORDS)]
    allowed = DUTIES[duty]
    for agency in Agency.objects.filter(id__in=agency_ids, is_active=True).order_by("id"):
        if agency.agency_type in allowed:
            return agency
    raise PermissionDenied(_("Your agency does not record this."))


def may(actor: User, duty: Duty) -> bool:
    try:
        acting_agency(actor, duty)
    except PermissionDenied:
        return False
    return True


def new_reference(model: type[Model], prefix: str) -> str:
    while True:
        ref = f"{prefix}-{timezone.localdate():%y}-" + "".join(
            secrets.choice(_ALPHABET) for _ in range(6)
        )
        if not model._default_manager.filter(reference=ref).exists():
            return ref


def aad(model: str, field: str, row_id: object) -> str:
    return f"migration.{model}.{field}:{row_id}"


def nik_birth_date(nik: str) -> date | None:
    return validate_nik(nik).birth_date if nik else None


def nik_district(nik: str) -> Region | None:
    """The kecamatan where a NIK was first issued, if it is in the region table."""
    if not nik:
        return None
    code = validate_nik(nik).district_code
    return Region.objects.filter(pk=code).first() if code else None


def resolve_person(
    actor: User,
    identity: IdentityData,
    *,
    owner_agency: Agency,
    scope_region: Region | None,
    request: HttpRequest | None = None,
) -> tuple[Person, bool, list[str]]:
    """The person this identity names: one already in the actor's scope with the same NIK
    (else passport/SPLP number), or a new vault entry. Returns (person, created, warnings).

    Only the actor's own scope is searched: a person another agency recorded out of this
    actor's sight is matched later by the linkage module, never silently reused here.
    """
    for kind, value in (("nik", identity.nik), ("passport", identity.passport)):
        if value.strip():
            found = find_by_identifier(actor, kind, value).order_by("created_at").first()
            if found is not None:
                return found, False, []
    person, warnings = create_person(
        actor, identity, owner_agency=owner_agency, scope_region=scope_region, request=request
    )
    return person, True, warnings


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def parse_iso_date(value: str) -> date | None:
    """A full ISO date from an identity field ('1990-04-02'); None for partial dates."""
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
