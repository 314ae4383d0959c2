"""Possible duplicates of a person about to be created, within the user's scope.

Exact: the same NIK, passport or phone (blind indexes). Similar: a person sharing a name token
(after the Indonesian spelling folding) whose identity, opened in memory only, agrees by the
comparison levels of the linkage model's one-record check (`simpul.linkage.engine.model`):
the sorted canonical name within two edits, a NIK within two edits or a passport within one (a
typo), a birth date one digit off, the same birth year and the same regency of origin. A
candidate needs a strong agreement (an identifier, or a close name that the birth year and the
regency do not contradict).

Each candidate carries the reasons (which fields agree) and what the user may see of it in a
list anyway: code, masked name, birth year and regency, never the name or the identifiers.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Count

from simpul.accounts.models import User
from simpul.identity.crypto import blind_index, keyring
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import persons_for
from simpul.identity.sealing import name_token_hashes, person_aad
from simpul.lib.names import name_tokens
from simpul.lib.nik import validate_nik
from simpul.lib.phone import normalise_phone
from simpul.regions.models import Region

# Reason codes, in the order they are shown; labels live with the templates
# (`REASON_LABELS` in simpul.identity.forms).
REASONS = (
    "nik",
    "nik_typo",
    "passport",
    "passport_typo",
    "phone",
    "name",
    "name_similar",
    "birth_date",
    "birth_date_typo",
    "birth_year",
    "regency",
)
SIMILAR_LIMIT = 50


@dataclass(frozen=True)
class Candidate:
    person: Person
    reasons: tuple[str, ...]
    birth_year: int | None = None
    regency: str = ""  # the regency's name, "" when unknown


def _regency(code: str | None) -> str:
    return ".".join(code.split(".")[:2]) if code else ""


def edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 as soon as it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _sorted_name(name: str) -> str:
    return " ".join(sorted(name_tokens(name)))


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _birth_year(data: IdentityData) -> int | None:
    if data.birth_year is not None:
        return data.birth_year
    nik = _digits(data.nik)
    if len(nik) == 16:
        try:
            born = validate_nik(nik).birth_date
        except ValueError:
            return None
        return born.year if born else None
    return None


def compare(new: IdentityData, other: IdentityData, new_region: str, other_region: str) -> set[str]:
    """Which fields of two identities agree, by the linkage model's levels."""
    reasons: set[str] = set()
    a_nik, b_nik = _digits(new.nik), _digits(other.nik)
    if a_nik and b_nik:
        if a_nik == b_nik:
            reasons.add("nik")
        elif len(a_nik) == len(b_nik) == 16 and edits(a_nik, b_nik, 2) <= 2:
            reasons.add("nik_typo")
    a_pass, b_pass = new.passport.strip().upper(), other.passport.strip().upper()
    if a_pass and b_pass:
        if a_pass == b_pass:
            reasons.add("passport")
        elif edits(a_pass, b_pass, 1) <= 1:
            reasons.add("passport_typo")
    a_phone = normalise_phone(new.phone) if new.phone else ""
    if a_phone and a_phone == (normalise_phone(other.phone) if other.phone else ""):
        reasons.add("phone")
    a_name, b_name = _sorted_name(new.full_name), _sorted_name(other.full_name)
    if a_name and b_name:
        if a_name == b_name:
            reasons.add("name")
        elif edits(a_name, b_name, 2) <= 2:
            reasons.add("name_similar")
    if len(new.birth_date) == 10 and len(other.birth_date) == 10:
        if new.birth_date == other.birth_date:
            reasons.add("birth_date")
        elif edits(new.birth_date, other.birth_date, 1) <= 1:
            reasons.add("birth_date_typo")
    a_year, b_year = _birth_year(new), _birth_year(other)
    if a_year is not None and a_year == b_year:
        reasons.add("birth_year")
    if new_region and _regency(new_region) == _regency(other_region):
        reasons.add("regency")
    return reasons


def _is_candidate(
    reasons: set[str], new: IdentityData, other: IdentityData, new_region: str, other_region: str
) -> bool:
    if reasons & {"nik", "passport", "phone", "nik_typo", "passport_typo"}:
        return True
    if not reasons & {"name", "name_similar"}:
        return False
    # A close name counts unless the birth year or the regency says it is someone else.
    a_year, b_year = _birth_year(new), _birth_year(other)
    year_fits = a_year is None or b_year is None or a_year == b_year or "birth_date_typo" in reasons
    region_fits = not new_region or not other_region or "regency" in reasons
    return year_fits and region_fits


def find_candidates(
    user: User, data: IdentityData, region_code: str | None = None, *, limit: int = 10
) -> list[Candidate]:
    """Persons in the user's scope who may be the one `data` describes, strongest first."""
    scoped = persons_for(user)
    ids: set[uuid.UUID] = set()
    if data.nik.strip():
        ids.update(
            scoped.filter(nik_index=blind_index("nik", data.nik)).values_list("pk", flat=True)[
                :limit
            ]
        )
    if data.passport.strip():
        ids.update(
            scoped.filter(passport_index=blind_index("passport", data.passport)).values_list(
                "pk", flat=True
            )[:limit]
        )
    if data.phone.strip():
        phone = normalise_phone(data.phone) or data.phone
        ids.update(
            scoped.filter(phone_index=blind_index("phone", phone)).values_list("pk", flat=True)[
                :limit
            ]
        )
    hashes = name_token_hashes(IdentityData(full_name=data.full_name))
    if hashes:
        # Sharing at least one name token: a typo in the other tokens still meets.
        ids.update(
            scoped.filter(name_tokens__token__in=hashes)
            .annotate(hits=Count("name_tokens"))
            .order_by("-hits", "-created_at")
            .values_list("pk", flat=True)[:SIMILAR_LIMIT]
        )
    if not ids:
        return []
    region = region_code or ""
    people = Person.objects.filter(pk__in=ids).select_related("scope_region")
    found: list[tuple[int, Candidate]] = []
    regencies: dict[str, str] = {}
    for p in people:
        other = IdentityData.from_bytes(keyring().open(p.sealed_identity, person_aad(p.id)))
        other_region = p.scope_region_id or ""
        reasons = compare(data, other, region, other_region)
        if not _is_candidate(reasons, data, other, region, other_region):
            continue
        regencies.setdefault(_regency(other_region), "")
        strength = sum(3 if r in {"nik", "passport", "phone"} else 1 for r in reasons)
        found.append(
            (
                strength,
                Candidate(
                    p,
                    tuple(r for r in REASONS if r in reasons),
                    _birth_year(other),
                    _regency(other_region),
                ),
            )
        )
    names = dict(
        Region.objects.filter(pk__in=[c for c in regencies if c]).values_list("pk", "name")
    )
    found.sort(key=lambda item: (-item[0], str(item[1].person.code)))
    return [
        Candidate(c.person, c.reasons, c.birth_year, names.get(c.regency, ""))
        for _strength, c in found[:limit]
    ]
