"""Issue 21, finding 8 (searches and reveals): every search records what was searched (sealed,
with a keyed blind index), and every refused reveal is audited as a denied `person.reveal`."""

import json

import pytest
from django.test import Client

from simpul.accounts.models import Agency, User
from simpul.api.tokens import issue_token
from simpul.audit.log import open_searched, searched_index
from simpul.audit.models import AuditEvent
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import reveal_identity
from tests.conftest import sign_in

NAME = "Kemuning Saptawarni"
NIK = "6101095203910042"
PHONE = "081377798765"


def _canary() -> Person:
    person, _ = create_person(
        User.objects.get(username="pekerja.sambas"),
        IdentityData(full_name=NAME, nik=NIK, phone=PHONE),
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
        scope_region=None,
    )
    return person


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


@pytest.mark.django_db
def test_the_person_search_page_audits_what_was_searched(world):
    _canary()
    client = sign_in(Client(), "pekerja.sambas")
    for typed, same_as in [(NIK, NIK), ("6101 0952 0391 0042", NIK), (NAME, NAME), (PHONE, PHONE)]:
        before = AuditEvent.objects.filter(action="person.search").count()
        assert client.post("/persons/", {"q": typed}).status_code == 200
        assert AuditEvent.objects.filter(action="person.search").count() == before + 1
        event = _last("person.search")
        assert event.searched_index == searched_index(same_as)
        assert open_searched(event) == typed
        assert event.count == 1
    # "Who looked up this NIK?" is one indexed query.
    assert AuditEvent.objects.filter(searched_index=searched_index(NIK)).count() == 2
    # The plain list is no search.
    client.get("/persons/")
    assert _last("person.list").searched_index == ""


@pytest.mark.django_db
def test_the_case_search_page_and_the_api_audit_what_was_searched(world):
    client = sign_in(Client(), "supervisor.sambas")
    assert client.post("/cases/", {"q": PHONE}).status_code == 200
    event = _last("case.search")
    assert event.searched_index == searched_index(PHONE)
    assert open_searched(event) == PHONE
    token = issue_token(User.objects.get(username="pekerja.sambas"), "test")
    r = Client().post(
        "/api/v1/cases/search",
        json.dumps({"q": NIK}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200
    event = _last("case.search")
    assert event.searched_index == searched_index(NIK) and open_searched(event) == NIK
    assert event.actor_username == "pekerja.sambas"


def _refusals(person: Person) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            action="person.reveal", record_id=str(person.id), outcome="denied"
        ).values_list("reason", flat=True)
    )


@pytest.mark.django_db
def test_a_reveal_without_permission_is_audited_as_a_refused_reveal(world):
    person = _canary()
    admin = sign_in(Client(), "admin.sambas")
    r = admin.post(f"/persons/{person.id}/reveal/", {"reason": "checking the record"})
    assert r.status_code == 403
    assert _refusals(person) == ["no_permission"]
    assert not AuditEvent.objects.filter(action="person.reveal", outcome="ok").exists()


@pytest.mark.django_db
def test_a_reveal_without_a_reason_is_audited_as_a_refused_reveal(world):
    person = _canary()
    worker = sign_in(Client(), "pekerja.sambas")
    for reason in ["", "short", "a        b"]:
        r = worker.post(f"/persons/{person.id}/reveal/", {"reason": reason})
        assert r.status_code == 422, reason
        assert NAME not in r.content.decode()
    assert _refusals(person) == ["no_reason"] * 3
    assert not AuditEvent.objects.filter(action="person.reveal", outcome="ok").exists()


@pytest.mark.django_db
def test_a_reveal_out_of_scope_is_audited_as_a_refused_reveal(world):
    person = _canary()
    outsider = sign_in(Client(), "pekerja.tpi")
    r = outsider.post(f"/persons/{person.id}/reveal/", {"reason": "checking the record"})
    assert r.status_code == 404
    assert _refusals(person) == ["out_of_scope"]
    assert not AuditEvent.objects.filter(action="person.reveal", outcome="ok").exists()


@pytest.mark.django_db
def test_the_vault_query_audits_its_own_refusals(world):
    person = _canary()
    worker = User.objects.get(username="pekerja.sambas")
    with pytest.raises(ValueError):
        reveal_identity(worker, person, "too short")
    outsider = User.objects.get(username="pekerja.tpi")
    from django.http import Http404

    with pytest.raises(Http404):
        reveal_identity(outsider, person, "checking the record")
    assert _refusals(person) == ["no_reason", "out_of_scope"]
    assert reveal_identity(worker, person, "preparing the assessment").full_name == NAME
