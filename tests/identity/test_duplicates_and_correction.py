"""People and duplicates (issue 12, item 9): the persons page warns of possible duplicates in
scope with the reasons, the birth year and the regency (typos tolerated), the user's answer is
audited; an identity is corrected with a version check (409 when stale, nothing lost)."""

import re

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.identity.actions import NEW_PERSON, create_person, find_or_create_person
from simpul.identity.data import IdentityData
from simpul.identity.duplicates import edits, find_candidates
from simpul.identity.models import Person
from simpul.identity.queries import reveal_identity
from simpul.regions.models import Region

SEBUNGA = "61.01.09.2002"  # Desa Sebunga, Kabupaten Sambas (61.01)
NIK = "6101095203950001"


def _worker() -> tuple[User, Agency]:
    return (
        User.objects.get(username="pekerja.sambas"),
        Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
    )


def _siti() -> Person:
    user, agency = _worker()
    person, _ = create_person(
        user,
        IdentityData(full_name="Siti Aminah", nik=NIK, birth_date="1995-03-12", sex="F"),
        owner_agency=agency,
        scope_region=Region.objects.get(pk=SEBUNGA),
    )
    return person


def _form(**values: str) -> dict[str, str]:
    data = {"full_name": "Siti Aminha", "birth_date": "1995", "sex": "F", "region": SEBUNGA}
    data.update(values)
    return data


def test_edits_counts_typos():
    assert edits("aminah siti", "aminha siti", 2) == 2
    assert edits("6101095203950001", "6101095203950007", 2) == 1
    assert edits("abc", "xyzuvw", 2) == 3


def test_a_typo_in_the_name_is_found_with_its_reasons_year_and_regency(world):
    siti = _siti()
    user, _agency = _worker()
    [c] = find_candidates(user, IdentityData(full_name="Siti Aminha", birth_date="1995"), SEBUNGA)
    assert c.person == siti
    assert c.reasons == ("name_similar", "birth_year", "regency")
    assert c.birth_year == 1995 and c.regency == Region.objects.get(pk="61.01").name
    # A NIK one digit off is a typo of the same identifier.
    [c] = find_candidates(user, IdentityData(full_name="Aminah", nik=NIK[:-1] + "7"))
    assert c.person == siti and "nik_typo" in c.reasons
    # A close name born in another year is someone else.
    assert find_candidates(user, IdentityData(full_name="Siti Aminha", birth_date="1971")) == []


def test_the_persons_page_warns_then_creates_only_on_an_answer_and_audits_it(world, signed_in):
    siti = _siti()
    client = signed_in("pekerja.sambas")
    before = Person.objects.count()
    warned = client.post("/persons/new/", _form())
    assert warned.status_code == 200 and Person.objects.count() == before
    html = warned.content.decode()
    assert re.findall(r'data-person="(P-[A-Z0-9]+)"', html) == [siti.code]
    assert re.findall(r'data-reason="([a-z_]+)"', html) == ["name_similar", "birth_year", "regency"]
    assert "1995" in html and Region.objects.get(pk="61.01").name in html
    assert "Siti Aminah" not in html and NIK not in html  # identity stays masked
    check = AuditEvent.objects.get(action="person.duplicate_check")
    assert check.count == 1 and check.searched_index and "Siti" not in check.searched_sealed
    # What was typed is kept in the form.
    assert 'value="Siti Aminha"' in html
    # The same person: nothing new, the choice audited.
    same = client.post("/persons/new/", _form(duplicate_choice=str(siti.id)))
    assert same.status_code == 302 and same["Location"] == f"/persons/{siti.id}/"
    assert Person.objects.count() == before
    assert AuditEvent.objects.get(
        action="person.duplicate_decision", reason="linked"
    ).record_id == str(siti.id)
    # Someone else: created, the decision audited.
    other = client.post("/persons/new/", _form(duplicate_choice=NEW_PERSON))
    assert other.status_code == 302 and Person.objects.count() == before + 1
    created = Person.objects.order_by("-created_at").first()
    assert created.pk != siti.pk
    assert AuditEvent.objects.get(
        action="person.duplicate_decision", reason="confirmed_new"
    ).record_id == str(created.id)


def test_persons_out_of_scope_are_never_offered(world, signed_in):
    _siti()
    police = User.objects.get(username="polisi.sambas")
    assert find_candidates(police, IdentityData(full_name="Siti Aminah", nik=NIK)) == []
    result = find_or_create_person(
        police,
        IdentityData(full_name="Siti Aminah", nik=NIK),
        owner_agency=Agency.objects.get(name="Unit PPA Polres Sambas"),
        scope_region=None,
    )
    assert result.created and result.candidates == []
    # A chosen id outside the user's scope is refused and creates nothing.
    client = signed_in("pekerja.sambas")
    before = Person.objects.count()
    refused = client.post("/persons/new/", _form(duplicate_choice=str(result.person.id)))
    assert refused.status_code == 422 and Person.objects.count() == before
    assert 'role="alert"' in refused.content.decode()


def test_an_identity_is_corrected_audited_and_a_stale_correction_is_refused(world, signed_in):
    siti = _siti()
    client = signed_in("pekerja.sambas")
    revealed = client.post(f"/persons/{siti.id}/reveal/", {"reason": "Koreksi ejaan nama korban"})
    assert revealed.status_code == 200 and 'id="correct-identity"' in revealed.content.decode()
    fixed = {
        "full_name": "Siti Aminah Binti Usman",
        "nik": NIK,
        "birth_date": "1995-03-12",
        "sex": "F",
        "version": str(siti.version),
    }
    done = client.post(f"/persons/{siti.id}/correct/", fixed)
    assert done.status_code == 302
    fresh = Person.objects.get(pk=siti.pk)
    assert fresh.version == siti.version + 1
    user, _agency = _worker()
    assert reveal_identity(user, fresh, "periksa koreksi").full_name == "Siti Aminah Binti Usman"
    assert AuditEvent.objects.filter(action="person.update", record_id=str(siti.id)).count() == 1
    # The same form again, from the version before: refused, nothing changed, typing kept.
    stale = client.post(f"/persons/{siti.id}/correct/", {**fixed, "full_name": "Siti A. Usman"})
    assert stale.status_code == 409
    assert 'value="Siti A. Usman"' in stale.content.decode()
    assert Person.objects.get(pk=siti.pk).version == fresh.version
    assert reveal_identity(user, fresh, "periksa koreksi").full_name == "Siti Aminah Binti Usman"
    # A refused form (no name) is 422 and changes nothing.
    empty = client.post(
        f"/persons/{siti.id}/correct/", {**fixed, "full_name": "", "version": fresh.version}
    )
    assert empty.status_code == 422 and Person.objects.get(pk=siti.pk).version == fresh.version
