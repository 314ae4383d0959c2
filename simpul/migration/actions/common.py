"""Helpers every migration action shares: references, people and dates. (The acting agency
is in `capabilities`, the sealing AAD in `sealing`, so queries and views need no actions.)"""

from datetime import date

from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.core.codes import random_part, unique_code
from simpul.identity.actions import PossibleDuplicates, create_person, find_or_create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import find_by_identifier
from simpul.lib.nik import validate_nik
from simpul.regions.models import Region


def new_reference(model: type[Model], prefix: str) -> str:
    return unique_code(
        model, "reference", lambda: f"{prefix}-{timezone.localdate():%y}-" + random_part(6)
    )


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
    duplicate_choice: str | None = None,
) -> tuple[Person, bool, list[str]]:
    """The person this identity names: one already in the actor's scope with the same NIK
    (else passport/SPLP number), or a new vault entry. Returns (person, created, warnings).

    A page passes the user's answer to the duplicate warning as `duplicate_choice` ("" when
    not asked yet): the identity's `find_or_create_person` then raises `PossibleDuplicates`
    for similar persons in scope (typos tolerated) until the user picks one or a new person.
    Without it (imports, other actions) only the exact identifiers are matched.

    Only the actor's own scope is searched: a person another agency recorded out of this
    actor's sight is matched later by the linkage module, never silently reused here.
    """
    for kind, value in (("nik", identity.nik), ("passport", identity.passport)):
        if value.strip():
            found = find_by_identifier(actor, kind, value).order_by("created_at").first()
            if found is not None:
                return found, False, []
    if duplicate_choice is None:
        person, warnings = create_person(
            actor, identity, owner_agency=owner_agency, scope_region=scope_region, request=request
        )
        return person, True, warnings
    result = find_or_create_person(
        actor,
        identity,
        owner_agency=owner_agency,
        scope_region=scope_region,
        choice=duplicate_choice,
        request=request,
        audit_check=False,  # inside the action's transaction: the page audits the check
    )
    if result.person is None:
        raise PossibleDuplicates(result.candidates)
    return result.person, result.created, result.warnings


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
