"""Every write to the identity vault: validate, change, audit, in one transaction."""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.queries import acts_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.codes import random_part, unique_code, unique_codes
from simpul.core.errors import StaleRecordError
from simpul.core.grants import Kind, grant_access
from simpul.identity.crypto import blind_index, keyring
from simpul.identity.data import IdentityData, mask_name
from simpul.identity.duplicates import Candidate, find_candidates
from simpul.identity.models import IdentifierLock, Person, PersonNameToken
from simpul.identity.queries import get_person_for, persons_for
from simpul.identity.sealing import hash_name_tokens, name_token_hashes, person_aad
from simpul.identity.validation import clean_identity
from simpul.regions.models import Region


def _person_code() -> str:
    return "P-" + random_part(7)


def new_person_code() -> str:
    return unique_code(Person, "code", _person_code)


class KnownIdentifier(Exception):
    """A person with this NIK is already in the actor's scope (recorded meanwhile)."""


@dataclass(frozen=True)
class _Sealed:
    """Everything a person row and its name tokens need, computed from the input alone.

    Tokenising, blind indexes and sealing run before the write transaction opens, so the
    transaction (which on SQLite holds the one write lock every page's audit row needs) is
    only the writes (issue 21, finding 4)."""

    sealed_identity: str
    key_id: str
    masked_name: str
    nik_index: str
    passport_index: str
    phone_index: str
    token_hashes: tuple[str, ...]

    @classmethod
    def of(
        cls, person_id: uuid.UUID, data: IdentityData, tokens: Iterable[str] | None = None
    ) -> "_Sealed":
        """`tokens`: the name tokens when the caller computed them already (an import)."""
        ring = keyring()
        hashes = name_token_hashes(data) if tokens is None else hash_name_tokens(tokens)
        return cls(
            sealed_identity=ring.seal(data.to_bytes(), person_aad(person_id)),
            key_id=ring.current_id,
            masked_name=mask_name(data.full_name),
            nik_index=blind_index("nik", data.nik) if data.nik else "",
            passport_index=blind_index("passport", data.passport) if data.passport else "",
            phone_index=blind_index("phone", data.phone) if data.phone else "",
            token_hashes=tuple(sorted(hashes)),
        )

    def apply(self, person: Person) -> None:
        person.sealed_identity = self.sealed_identity
        person.key_id = self.key_id
        person.masked_name = self.masked_name
        person.nik_index = self.nik_index
        person.passport_index = self.passport_index
        person.phone_index = self.phone_index


def _replace_tokens(person: Person, sealed: _Sealed) -> None:
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person=person, token=t) for t in sealed.token_hashes
    )


def _lock_identifier(key: str) -> None:
    """Hold a row lock keyed by a blind index until the transaction ends (see IdentifierLock).

    The insert is a no-op when the row exists (and on PostgreSQL waits for a concurrent
    inserter to finish); the SELECT ... FOR UPDATE then queues writers of the same key."""
    IdentifierLock.objects.bulk_create([IdentifierLock(key=key)], ignore_conflicts=True)
    IdentifierLock.objects.select_for_update().get(key=key)


def _require_edit(actor: User, agency: Agency) -> None:
    if not acts_for(actor, agency.id):
        raise PermissionDenied(_("You cannot record persons for this agency."))


@dataclass(frozen=True)
class PreparedPerson:
    """A validated, sealed person not yet written: `prepare_person`, then `save_person`."""

    person: Person
    data: IdentityData
    sealed: _Sealed
    warnings: list[str]


def prepare_person(
    actor: User,
    data: IdentityData,
    *,
    owner_agency: Agency,
    scope_region: Region | None,
) -> PreparedPerson:
    """Check, validate, tokenise and seal a new person; nothing is written and no
    transaction is needed. Raises PermissionDenied or ValidationError (keyed by field)."""
    _require_edit(actor, owner_agency)
    data, warnings = clean_identity(data)
    person = Person(
        id=uuid.uuid4(),
        code=new_person_code(),
        owner_agency=owner_agency,
        scope_region=scope_region,
        created_by=actor,
    )
    sealed = _Sealed.of(person.id, data)
    sealed.apply(person)
    return PreparedPerson(person, data, sealed, warnings)


def save_person(
    actor: User,
    prepared: PreparedPerson,
    *,
    unless_nik_known: bool = False,
    request: HttpRequest | None = None,
) -> Person:
    """Write a prepared person, its name tokens, the creator grant and the audit entry.

    With `unless_nik_known`, raises KnownIdentifier (nothing written) if a person with the
    same NIK is in the actor's scope, checked under a lock on that NIK so that concurrent
    requests cannot all find it unknown and all create it."""
    person, sealed = prepared.person, prepared.sealed
    with transaction.atomic():
        if unless_nik_known and sealed.nik_index:
            _lock_identifier(f"nik:{sealed.nik_index}")
            if persons_for(actor).filter(nik_index=sealed.nik_index).exists():
                raise KnownIdentifier
        person.save(force_insert=True)
        _replace_tokens(person, sealed)
        grant_access(Person, person.id, user=actor, kind=Kind.CREATOR, granted_by=actor)
        audit(
            "person.create",
            actor=actor,
            request=request,
            record=person,
            fields=prepared.data.filled_fields(),
        )
    return person


def create_person(
    actor: User,
    data: IdentityData,
    *,
    owner_agency: Agency,
    scope_region: Region | None,
    unless_nik_known: bool = False,
    request: HttpRequest | None = None,
) -> tuple[Person, list[str]]:
    """Put a person in the vault. Returns the person and any warnings (e.g. unknown NIK area)."""
    prepared = prepare_person(actor, data, owner_agency=owner_agency, scope_region=scope_region)
    person = save_person(actor, prepared, unless_nik_known=unless_nik_known, request=request)
    return person, prepared.warnings


BULK_BATCH_SIZE = 2000


@dataclass(frozen=True)
class NewPerson:
    """One identity for `create_persons_bulk`, validated and normalised by the caller."""

    identity: IdentityData
    scope_region_id: str | None
    # Canonical name tokens (simpul.lib.names.name_tokens) if the caller has them already.
    tokens: tuple[str, ...] | None = None


def create_persons_bulk(
    actor: User,
    people: Sequence[NewPerson],
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> list[Person]:
    """Put many people in the vault at once (a deportee list of tens of thousands).

    The same sealing, AAD, blind indexes and name tokens as `create_person` (`_Sealed`), with
    three differences that make 50,000 rows fit in seconds: codes are drawn in memory and
    checked in chunks, rows are written with `bulk_create`, and the batch gets one audit entry
    (record type and count) instead of one per person. No creator grant: the owning agency's
    roles see the rows by agency scope. Returns the new persons in the order given."""
    if not people:
        return []
    _require_edit(actor, owner_agency)
    codes = unique_codes(Person, "code", _person_code, len(people))
    persons: list[Person] = []
    tokens: list[PersonNameToken] = []
    fields: set[str] = set()
    for new, code in zip(people, codes, strict=True):
        person = Person(
            id=uuid.uuid4(),
            code=code,
            owner_agency=owner_agency,
            scope_region_id=new.scope_region_id,
            created_by=actor,
        )
        sealed = _Sealed.of(person.id, new.identity, new.tokens)
        sealed.apply(person)
        persons.append(person)
        tokens.extend(PersonNameToken(person=person, token=t) for t in sealed.token_hashes)
        fields.update(new.identity.filled_fields())
    with transaction.atomic():
        Person.objects.bulk_create(persons, batch_size=BULK_BATCH_SIZE)
        PersonNameToken.objects.bulk_create(tokens, batch_size=BULK_BATCH_SIZE * 2)
        audit(
            "person.bulk_create",
            actor=actor,
            request=request,
            record_type="identity.person",
            count=len(persons),
            fields=sorted(fields),
        )
    return persons


NEW_PERSON = "new"  # the duplicate choice "none of these: a new person"


class PossibleDuplicates(ValidationError):
    """Raised by an action that records a person when the user has not yet answered the
    duplicate warning; `candidates` are the persons to choose from. A page shows them (and
    audits the check with `audit_duplicate_check`, outside the rolled-back transaction)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        super().__init__(
            {
                "duplicate_choice": [
                    _("This person may already be recorded: choose one, or a new person.")
                ]
            }
        )
        self.candidates = candidates


def audit_duplicate_check(
    actor: User,
    data: IdentityData,
    candidates: list[Candidate],
    *,
    request: HttpRequest | None = None,
) -> None:
    """A duplicate check shows who is already recorded: audited like a search, with what was
    looked for sealed (never in clear text)."""
    audit(
        "person.duplicate_check",
        actor=actor,
        request=request,
        record_type="identity.person",
        count=len(candidates),
        searched=data.full_name,
    )


@dataclass(frozen=True)
class PersonChoice:
    """What `find_or_create_person` decided: a person (existing or new), or the possible
    duplicates the user has to choose between first (`person` is None)."""

    person: Person | None
    created: bool = False
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PersonDecision:
    """`find_or_create_person` in two steps, for a caller that writes more in the same
    transaction and must keep it to the writes (issue 21, finding 4): `decide_person` reads,
    validates, tokenises and seals before the transaction, `record_decision` writes inside it.
    One of: the person the user chose (`existing`), a new person (`prepared`), or the possible
    duplicates to show first (`candidates`)."""

    existing: Person | None = None
    prepared: PreparedPerson | None = None
    confirmed_new: bool = False
    candidates: list[Candidate] = field(default_factory=list)

    def choice(self, person: Person) -> PersonChoice:
        if self.prepared is None:
            return PersonChoice(person)
        return PersonChoice(person, created=True, warnings=self.prepared.warnings)


def duplicate_candidates(
    actor: User,
    data: IdentityData,
    scope_region: Region | None,
    *,
    audit_check: bool = True,
    request: HttpRequest | None = None,
) -> list[Candidate]:
    """Possible duplicates of `data` in the actor's scope (typo-tolerant), the check audited
    like a search when any are shown (unless the caller audits it: `audit_check=False`)."""
    found = find_candidates(actor, data, scope_region.code if scope_region else None)
    if found and audit_check:
        audit_duplicate_check(actor, data, found, request=request)
    return found


def decide_person(
    actor: User,
    data: IdentityData,
    *,
    owner_agency: Agency,
    scope_region: Region | None,
    choice: str = "",
    request: HttpRequest | None = None,
    audit_check: bool = True,
) -> PersonDecision:
    """The first step of `find_or_create_person` (see there for `choice`); writes nothing but
    the audit of a duplicate check. Raises ValidationError (keyed by field) for a new person."""
    if choice and choice != NEW_PERSON:
        return PersonDecision(existing=get_person_for(actor, choice, request=request))
    if choice != NEW_PERSON:
        candidates = duplicate_candidates(
            actor, data, scope_region, audit_check=audit_check, request=request
        )
        if candidates:
            return PersonDecision(candidates=candidates)
    prepared = prepare_person(actor, data, owner_agency=owner_agency, scope_region=scope_region)
    return PersonDecision(prepared=prepared, confirmed_new=choice == NEW_PERSON)


def record_decision(
    actor: User, decision: PersonDecision, *, request: HttpRequest | None = None
) -> Person:
    """The second step, inside the caller's transaction: the chosen person with the decision
    audited, or the new person written. Raises KnownIdentifier (nothing written) when a person
    with the same NIK entered the actor's scope meanwhile, unless a new person was confirmed."""
    if decision.existing is not None:
        audit(
            "person.duplicate_decision",
            actor=actor,
            request=request,
            record=decision.existing,
            reason="linked",
        )
        return decision.existing
    if decision.prepared is None:
        raise ValueError("possible duplicates are answered first: nothing to record")
    person = save_person(
        actor, decision.prepared, unless_nik_known=not decision.confirmed_new, request=request
    )
    if decision.confirmed_new:
        audit(
            "person.duplicate_decision",
            actor=actor,
            request=request,
            record=person,
            reason="confirmed_new",
        )
    return person


def find_or_create_person(
    actor: User,
    data: IdentityData,
    *,
    owner_agency: Agency,
    scope_region: Region | None,
    choice: str = "",
    request: HttpRequest | None = None,
    audit_check: bool = True,
    then: Callable[[Person], object] | None = None,
) -> PersonChoice:
    """The one way a page or an import records a person, with the duplicate decision.

    `choice` is what the user answered to the duplicate warning: "" (not asked yet), a person
    id (the same person: reused, the decision audited), or NEW_PERSON (someone else: created
    even though candidates exist, the decision audited). Not asked yet, possible duplicates in
    the actor's scope (`duplicates.find_candidates`, typo-tolerant) are returned instead of a
    person, and the check is audited like a search. A NIK recorded meanwhile by a concurrent
    request turns into a duplicate warning instead of a second record. A caller inside a
    transaction that the warning rolls back passes `audit_check=False` and audits the check
    itself afterwards (`audit_duplicate_check`). `then(person)` runs in the same transaction
    (e.g. linking the person to a report); its errors undo the person too."""
    decision = decide_person(
        actor,
        data,
        owner_agency=owner_agency,
        scope_region=scope_region,
        choice=choice,
        request=request,
        audit_check=audit_check,
    )
    if decision.candidates:
        return PersonChoice(None, candidates=decision.candidates)
    try:
        with transaction.atomic():
            person = record_decision(actor, decision, request=request)
            if then is not None:
                then(person)
    except KnownIdentifier:
        return PersonChoice(
            None,
            candidates=duplicate_candidates(
                actor, data, scope_region, audit_check=audit_check, request=request
            ),
        )
    return decision.choice(person)


def update_identity(
    actor: User,
    person: Person,
    data: IdentityData,
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> tuple[Person, list[str]]:
    """Change a person's identity; refused if someone else saved since `expected_version`."""
    get_person_for(actor, person.id, perm=Perm.EDIT_RECORDS, request=request)
    data, warnings = clean_identity(data)
    sealed = _Sealed.of(person.id, data)  # before the transaction: see _Sealed
    with transaction.atomic():
        fresh = Person.objects.select_for_update().get(pk=person.pk)
        if fresh.version != expected_version:
            raise StaleRecordError(fresh.version)
        sealed.apply(fresh)
        fresh.version += 1
        fresh.save()
        _replace_tokens(fresh, sealed)
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
