"""Possible duplicates of a person about to be created, within the user's scope.

Exact: the same NIK, passport or phone (blind indexes). Similar: every name token shared (after
the Indonesian spelling folding) with the same birth year and the same regency of origin, or the
same name with one of the two unknown. Candidates are decrypted only in memory to compare.
"""

from dataclasses import dataclass

from simpul.accounts.models import User
from simpul.identity.actions import name_token_hashes, person_aad
from simpul.identity.crypto import blind_index, keyring
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import persons_for
from simpul.lib.phone import normalise_phone


@dataclass(frozen=True)
class Candidate:
    person: Person
    reasons: tuple[str, ...]


def _regency(code: str | None) -> str:
    return ".".join(code.split(".")[:2]) if code else ""


def find_candidates(
    user: User, data: IdentityData, region_code: str | None = None, *, limit: int = 10
) -> list[Candidate]:
    scoped = persons_for(user)
    found: dict[object, list[str]] = {}
    exact = []
    if data.nik.strip():
        exact.append(("nik", scoped.filter(nik_index=blind_index("nik", data.nik))))
    if data.passport.strip():
        exact.append(
            ("passport", scoped.filter(passport_index=blind_index("passport", data.passport)))
        )
    if data.phone.strip():
        phone = normalise_phone(data.phone) or data.phone
        exact.append(("phone", scoped.filter(phone_index=blind_index("phone", phone))))
    people: dict[object, Person] = {}
    for reason, qs in exact:
        for p in qs[:limit]:
            people[p.pk] = p
            found.setdefault(p.pk, []).append(reason)

    hashes = name_token_hashes(IdentityData(full_name=data.full_name))
    if hashes:
        from django.db.models import Count

        similar = (
            scoped.filter(name_tokens__token__in=hashes)
            .annotate(hits=Count("name_tokens"))
            .filter(hits=len(hashes))[:50]
        )
        for p in similar:
            other = IdentityData.from_bytes(keyring().open(p.sealed_identity, person_aad(p.id)))
            same_year = (
                data.birth_year is None
                or other.birth_year is None
                or (data.birth_year == other.birth_year)
            )
            same_origin = (
                not region_code
                or not p.scope_region_id
                or (_regency(region_code) == _regency(p.scope_region_id))
            )
            if same_year and same_origin:
                people[p.pk] = p
                found.setdefault(p.pk, []).append("name")
    return [Candidate(people[k], tuple(v)) for k, v in found.items()][:limit]
