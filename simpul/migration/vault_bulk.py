"""Put many people in the identity vault at once, for deportee lists of tens of thousands.

This mirrors `simpul.identity.actions.create_person` and its `_apply` (same sealing, AAD,
blind indexes and name tokens), with three differences that make 50,000 rows fit in seconds:
codes are drawn in memory and checked in chunks, rows are written with `bulk_create`, and the
batch gets one audit entry (record type and count) instead of one per person. No creator
grant is written: the importing post owns the rows and its roles see them by agency scope.
The caller validates the identities (see `importer.py`) and holds the transaction.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest

from simpul.accounts.models import Agency, User
from simpul.audit.log import record as audit
from simpul.core.codes import random_part
from simpul.identity.actions import person_aad
from simpul.identity.crypto import blind_index, keyring
from simpul.identity.data import IdentityData, mask_name
from simpul.identity.models import Person, PersonNameToken

BATCH_SIZE = 2000
_CHUNK = 500


@dataclass(frozen=True)
class NewPerson:
    identity: IdentityData  # already validated and normalised
    scope_region_id: str | None
    # The person's canonical name tokens (simpul.lib.names.name_tokens), computed once.
    tokens: tuple[str, ...]


def _unique_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        fresh = {"P-" + random_part(7) for _ in range(wanted)} - codes
        for start in range(0, len(fresh), _CHUNK):
            chunk = list(fresh)[start : start + _CHUNK]
            taken = set(Person.objects.filter(code__in=chunk).values_list("code", flat=True))
            codes.update(set(chunk) - taken)
    return list(codes)[:count]


def bulk_create_persons(
    actor: User,
    people: Sequence[NewPerson],
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> list[Person]:
    """Seal and insert `people`; returns the new Person rows in the same order."""
    if not people:
        return []
    ring = keyring()
    codes = _unique_codes(len(people))
    persons: list[Person] = []
    tokens: list[PersonNameToken] = []
    fields: set[str] = set()
    for new, code in zip(people, codes, strict=True):
        data = new.identity
        person = Person(
            id=uuid.uuid4(),
            code=code,
            owner_agency=owner_agency,
            scope_region_id=new.scope_region_id,
            created_by=actor,
            key_id=ring.current_id,
            masked_name=mask_name(data.full_name),
            nik_index=blind_index("nik", data.nik) if data.nik else "",
            passport_index=blind_index("passport", data.passport) if data.passport else "",
            phone_index=blind_index("phone", data.phone) if data.phone else "",
        )
        person.sealed_identity = ring.seal(data.to_bytes(), person_aad(person.id))
        persons.append(person)
        hashes = {blind_index("name", t, length=32) for t in new.tokens}
        tokens.extend(PersonNameToken(person=person, token=h) for h in sorted(hashes))
        fields.update(data.filled_fields())
    Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)
    PersonNameToken.objects.bulk_create(tokens, batch_size=BATCH_SIZE * 2)
    audit(
        "person.bulk_create",
        actor=actor,
        request=request,
        record_type="identity.person",
        count=len(persons),
        fields=sorted(fields),
    )
    return persons
