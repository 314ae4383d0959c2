"""Every read of the identity vault, scoped by `simpul.core.scoping` and audited."""

import hashlib
import hmac
import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.scoping import get_in_scope, visible_to
from simpul.identity.crypto import (
    VaultOpener,
    blind_index,
    index_key,
    keyring,
)
from simpul.identity.data import IdentityData
from simpul.identity.models import Person, PersonNameToken
from simpul.identity.sealing import name_token_hashes, person_aad
from simpul.lib.phone import normalise_phone

MIN_REASON_LENGTH = 10


def persons_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Person]:
    return visible_to(user, Person, perm)


def get_person_for(
    user: User,
    person_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> Person:
    """The person, if in the user's scope. Missing and forbidden look the same (404)."""
    scoped = persons_for(user, perm).select_related("scope_region", "owner_agency")
    return get_in_scope(user, scoped, person_id, action="person.access", request=request)


def audit_refused_reveal(
    user: User, person_id: uuid.UUID | str, why: str, *, request: HttpRequest | None = None
) -> None:
    """A refused reveal, whatever refused it, is a denied `person.reveal` of that person, so
    "who tried to see this victim's identity" is one query. `why` is a code: no_permission,
    no_second_factor, no_reason, out_of_scope."""
    audit(
        "person.reveal",
        actor=user,
        request=request,
        record_type="identity.person",
        record_id=str(person_id),
        reason=why,
        outcome=Outcome.DENIED,
    )


def reveal_identity(
    user: User, person: Person, reason: str, *, request: HttpRequest | None = None
) -> IdentityData:
    """Decrypt a person's identity for someone with need to know, who states why. Every
    refusal is audited (`audit_refused_reveal`) before it is raised."""
    reason = " ".join(reason.split())
    principal = principal_for(user)
    if not principal.has_perm(Perm.REVEAL_IDENTITY):
        audit_refused_reveal(user, person.id, "no_permission", request=request)
        raise PermissionDenied(_("You may not reveal identities."))
    if request is not None and not two_factor_verified(request.user):
        audit_refused_reveal(user, person.id, "no_second_factor", request=request)
        raise PermissionDenied(_("You may not reveal identities."))
    if len(reason) < MIN_REASON_LENGTH:
        audit_refused_reveal(user, person.id, "no_reason", request=request)
        raise ValueError(_("State why you need to see this identity (at least 10 characters)."))
    try:
        visible = get_person_for(user, person.id, request=request)
    except Http404:
        audit_refused_reveal(user, person.id, "out_of_scope", request=request)
        raise
    data = IdentityData.from_bytes(keyring().open(visible.sealed_identity, person_aad(visible.id)))
    audit(
        "person.reveal",
        actor=user,
        request=request,
        record=visible,
        fields=data.filled_fields(),
        reason=reason,
    )
    return data


def find_by_identifier(user: User, kind: str, value: str) -> QuerySet[Person]:
    """Exact lookup by NIK, passport or phone through the blind index, within scope."""
    if kind == "phone":
        value = normalise_phone(value) or value
    column = {"nik": "nik_index", "passport": "passport_index", "phone": "phone_index"}[kind]
    return persons_for(user).filter(**{column: blind_index(kind, value)})


def search_persons(user: User, text: str, *, limit: int = 50) -> list[Person]:
    """Persons in scope whose name or alias has every token of `text` (spelling variants
    folded), or whose NIK, passport or phone equals `text`."""
    text = text.strip()
    if not text:
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    scoped = persons_for(user)
    if len(digits) == 16 and len(digits) >= len(text.replace(" ", "")) - 2:
        return list(find_by_identifier(user, "nik", digits)[:limit])
    by_id = scoped.filter(passport_index=blind_index("passport", text)) | scoped.filter(
        phone_index=blind_index("phone", normalise_phone(text) or text)
    )
    hashes = name_token_hashes(IdentityData(full_name=text))
    by_name = Person.objects.none()
    if hashes:
        # Persons having every token, found in the token index alone, then scoped.
        having_all = (
            PersonNameToken.objects.filter(token__in=hashes)
            .values("person_id")
            .annotate(hits=Count("id"))
            .filter(hits=len(hashes))
            .values("person_id")
        )
        by_name = scoped.filter(pk__in=having_all)
    found = {p.pk: p for p in by_id[:limit]}
    for p in by_name.order_by("-created_at")[:limit]:
        found.setdefault(p.pk, p)
    return list(found.values())[:limit]


# The one public opener for bulk readers of the vault (record linkage reads every person in a
# system job): no other app decrypts sealed identities or touches the vault keys itself. The
# caller keeps plaintext in memory for the length of its job; the job is audited by its own
# action (`linkage.run`).


class IdentityOpener:
    """Opens many persons' sealed identities in a row: `open(sealed identity, person id in
    canonical text form)` -> the identity's JSON (`IdentityData.to_bytes`). One AES-GCM object
    per vault key, reused. Raises `VaultKeyError` for an unknown key and `VaultIntegrityError`
    for a damaged or misplaced ciphertext, like `Keyring.open` (nothing broader is caught)."""

    def __init__(self) -> None:
        self._opener = VaultOpener(keyring())
        self._prefix = person_aad(uuid.UUID(int=0)).rsplit(b":", 1)[0] + b":"

    def open(self, sealed: str, person_id: str) -> bytes:
        return self._opener.open(sealed, self._prefix + person_id.encode())


def derived_index_key(purpose: bytes) -> bytes:
    """A secret for keyed hashes outside the vault's own indexes (linkage blocking keys),
    derived from the blind-index key for `purpose`, so the key itself never leaves identity."""
    return hmac.new(index_key(), purpose, hashlib.sha256).digest()


def sex_for_statistics(person: Person) -> str:
    """The recorded sex ("F", "M" or "") of a person the caller already holds in scope, for
    de-identified statistics (the reintegration cohorts copy it once onto a plan). Nothing
    else of the identity leaves the vault, and it is never shown next to the person."""
    raw = keyring().open(person.sealed_identity, person_aad(person.id))
    return IdentityData.from_bytes(raw).sex
