"""Issue 21, API parts of findings 3, 7 and 9: no identifier in a URL, idempotency scoped to the
agency that sent it, JSON errors for bodies the API cannot read."""

import json
import uuid

import pytest
from django.test import Client

from simpul.accounts.models import User
from simpul.api.tokens import issue_token
from simpul.audit.models import AuditEvent
from simpul.intake.models import Intake

BODY = {
    "channel": "hotline",
    "narrative": "Telepon: dua remaja dibawa agen ke Batam.",
    "place_region": "61.01.09",
}


def _token(username: str) -> str:
    return issue_token(User.objects.get(username=username), "test")


def _post(token: str, path: str, body: object, **extra) -> object:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return Client().post(
        path, raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **extra
    )


@pytest.mark.django_db
def test_the_same_client_id_from_another_agency_is_an_independent_request(world):
    sambas, tpi = _token("operator.sambas"), _token("pekerja.tpi")
    cid = str(uuid.uuid4())
    first = _post(
        sambas,
        "/api/v1/intakes",
        {**BODY, "client_id": cid, "child_involved": True, "immediate_danger": True},
    )
    assert first.status_code == 201
    # Another agency, same id, same body as the first would have been: its own new intake.
    other = _post(tpi, "/api/v1/intakes", {**BODY, "client_id": cid})
    assert other.status_code == 201, other.content
    got = other.json()
    assert got["id"] != first.json()["id"]
    assert got["reference"] != first.json()["reference"]
    assert (got["child_involved"], got["immediate_danger"]) == (False, False)
    assert got["owner_agency"] != first.json()["owner_agency"]
    # Another agency, same id, another body: no 409 that would confirm the id exists.
    third = _post(tpi, "/api/v1/intakes", {**BODY, "client_id": str(uuid.uuid4())})
    assert third.status_code == 201
    again = _post(tpi, "/api/v1/intakes", {**BODY, "client_id": cid})
    assert again.status_code == 200 and again.json()["id"] == got["id"]
    assert Intake.objects.count() == 3
    assert Intake.objects.filter(client_id=cid).count() == 2


@pytest.mark.django_db
def test_the_same_client_id_with_another_body_from_the_same_agency_is_a_generic_409(world):
    sambas = _token("operator.sambas")
    cid = str(uuid.uuid4())
    assert _post(sambas, "/api/v1/intakes", {**BODY, "client_id": cid}).status_code == 201
    conflict = _post(sambas, "/api/v1/intakes", {**BODY, "client_id": cid, "narrative": "lain"})
    assert conflict.status_code == 409
    detail = conflict.json()["detail"]
    assert isinstance(detail, str)
    for leak in ["reference", "child", "danger", "Batam", cid]:
        assert leak not in detail
    assert Intake.objects.count() == 1


@pytest.mark.django_db
def test_an_oversized_api_body_gets_a_json_413_and_stores_nothing(world):
    sambas = _token("operator.sambas")
    huge = json.dumps({**BODY, "narrative": "x" * (20 * 1024 * 1024)})
    r = _post(sambas, "/api/v1/intakes", huge)
    assert r.status_code == 413
    assert r["Content-Type"].startswith("application/json")
    assert set(r.json()) == {"detail"}
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_a_malformed_api_body_gets_a_json_400(world):
    sambas = _token("operator.sambas")
    for raw in ["{not json", b"\xff\xfe\x00", "[1, 2"]:
        r = _post(sambas, "/api/v1/intakes", raw)
        assert r.status_code == 400, (raw, r.status_code)
        assert r["Content-Type"].startswith("application/json")
        assert "detail" in r.json()
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_case_search_is_a_post_and_a_query_in_the_url_is_refused(world):
    from simpul.identity.actions import person_aad
    from simpul.identity.crypto import keyring
    from simpul.identity.data import IdentityData
    from simpul.identity.models import Person

    token = _token("pekerja.sambas")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = AuditEvent.objects.filter(action="case.search").count()
    refused = Client().get("/api/v1/cases", {"q": "6101094507880031"}, **auth)
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/json")
    assert AuditEvent.objects.filter(action="case.search").count() == before
    assert Client().get("/api/v1/cases", **auth).status_code == 200

    person = Person.objects.filter(owner_agency__name="UPTD PPA Kabupaten Sambas").first()
    name = IdentityData.from_bytes(keyring().open(person.sealed_identity, person_aad(person.id)))
    found = _post(token, "/api/v1/cases/search", {"q": name.full_name})
    assert found.status_code == 200
    assert isinstance(found.json(), list)
    assert AuditEvent.objects.filter(action="case.search").count() == before + 1
    empty = _post(token, "/api/v1/cases/search", {"q": ""})
    assert empty.status_code == 422
    # An outsider's search finds nothing of Sambas.
    outsider = _token("pekerja.tpi")
    assert _post(outsider, "/api/v1/cases/search", {"q": name.full_name}).json() == []


@pytest.mark.django_db
def test_the_schema_invites_no_identifier_in_a_url(world):
    schema = Client().get("/api/openapi.json").json()
    assert "/api/v1/cases/search" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/cases/search"]
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                if param["in"] != "query" or path == "/api/v1/regions":
                    continue
                assert param["name"] not in {"q", "nik", "name", "phone", "passport"}
                text = (param.get("description", "") + str(param["schema"])).lower()
                for word in ["nik", "name", "phone", "passport"]:
                    assert word not in text, (path, method, param)
    search = schema["paths"]["/api/v1/cases/search"]["post"]
    assert not [p for p in search.get("parameters", []) if p["in"] == "query"]
