"""Every write to the identity vault: validate, change, audit, in one transaction."""

import secrets
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.core.models import AccessGrant
from simpul.identity.crypto import blind_index, keyring
from simpul.identity.data import IdentityData, mask_name
from simpul.identity.models import Person, PersonNameToken
from simpul.identity.validation import clean_identity
from simpul.lib.names import name_tokens
from simpul.regions.models import Region

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_person_code() -> str:
    while True:
        code = "P-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(7))
        if not Person.objects.filter(code=code).exists():
            return code


def person_aad(person_id: uuid.UUID) -> bytes:
    return f"identity.person.sealed_identity:{person_id}".encode()


def name_token_hashes(data: IdentityData) -> set[str]:
    tokens: set[str] = set()
    for name in [data.full_name, *data.aliases]:
        tokens.update(name_tokens(name))
    return {blind_index("name", t, length=32) for t in tokens}


def _apply(person: Person, data: IdentityData) -> None:
    person.sealed_identity = keyring().seal(data.to_bytes(), person_aad(person.id))
    person.key_id = keyring().current_id
    person.masked_name = mask_name(data.full_name)
    person.nik_index = blind_index("nik", data.nik) if data.nik else ""
    person.passport_index = blind_index("passport", data.passport) if data.passport else ""
    person.phone_index = blind_index("phone", data.phone) if data.phone else ""


def _replace_tokens(person: Person, data: IdentityData) -> None:
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person=person, token=t) for t in sorted(name_token_hashes(data))
    )


def _require_edit(actor: User, agency: Agency) -> None:
    grants = principal_for(actor).grants_with(Perm.EDIT_RECORDS)
    if not any(g.agency_id == agency.id for g in grants):
        raise PermissionDenied(_("You cannot record persons for this agency."))


def create_person(
    actor: User,
    data: IdentityData,
    *,
    owner_agency: Agency,
    scope_region: Region | None,
    request: HttpRequest | None = None,
) -> tuple[Person, list[str]]:
    """Put a person in the vault. Returns the person and any warnings (e.g. unknown NIK area)."""
    _require_edit(actor, owner_agency)
    data, warnings = clean_identity(data)
    with transaction.atomic():
        person = Person(
            id=uuid.uuid4(),
            code=new_person_code(),
            owner_agency=owner_agency,
            scope_region=scope_region,
            created_by=actor,
        )
        _apply(person, data)
        person.save()
        _replace_tokens(person, data)
        AccessGrant.objects.create(
            record_type=ContentType.objects.get_for_model(Person),
            record_id=person.id,
            user=actor,
            kind=AccessGrant.Kind.CREATOR,
            granted_by=actor,
        )
        audit(
            "person.create",
            actor=actor,
            request=request,
            record=person,
            fields=data.filled_fields(),
        )
    return person, warnings


def update_identity(
    actor: User,
    person: Person,
    data: IdentityData,
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> tuple[Person, list[str]]:
    """Change a person's identity; refused if someone else saved since `expected_version`."""
    from simpul.identity.queries import get_person_for

    get_person_for(actor, person.id, perm=Perm.EDIT_RECORDS, request=request)
    data, warnings = clean_identity(data)
    with transaction.atomic():
        fresh = Person.objects.select_for_update().get(pk=person.pk)
        if fresh.version != expected_version:
            raise StaleRecordError(fresh.version)
        _apply(fresh, data)
        fresh.version += 1
        fresh.save()
        _replace_tokens(fresh, data)
        audit(
            "person.update",
            actor=actor,
            request=request,
            record=fresh,
            fields=data.filled_fields(),
        )
    return fresh, warnings


def rotate_vault_keys(batch_size: int = 500) -> int:
    """Re-encrypt every person not sealed under the current key. Returns how many changed."""
    ring = keyring()
    changed = 0
    while True:
        with transaction.atomic():
            batch = list(
                Person.objects.select_for_update()
                .exclude(key_id=ring.current_id)
                .order_by("id")[:batch_size]
            )
            if not batch:
                break
            for person in batch:
                plain = ring.open(person.sealed_identity, person_aad(person.id))
                person.sealed_identity = ring.seal(plain, person_aad(person.id))
                person.key_id = ring.current_id
            Person.objects.bulk_update(batch, ["sealed_identity", "key_id"])
            changed += len(batch)
            audit("vault.rotate_keys", record_type="identity.person", count=len(batch))
    return changed
