"""The intake API: token authentication, idempotent creation, scoped reads."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils.translation import gettext, override

from simpul.accounts.models import User
from simpul.api.tokens import issue_token
from simpul.intake.models import Intake

BODY = {
    "channel": "hotline",
    "narrative": "Telepon: dua remaja dibawa agen ke Batam.",
    "place_region": "61.01.09",
    "immediate_danger": True,
}


@pytest.fixture
def token(world) -> str:
    return issue_token(User.objects.get(username="operator.sambas"), "test")


def post(token: str, body: dict, key: str = "") -> object:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client().post(
        "/api/v1/intakes", json.dumps(body), content_type="application/json", **headers
    )


@pytest.mark.django_db
def test_the_schema_is_served_and_calls_without_a_valid_token_are_refused(token):
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/intakes" in schema.json()["paths"]
    assert Client().get("/api/v1/cases").status_code == 401
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer sp_wrong").status_code == 401
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_a_retried_submission_returns_the_first_result(token):
    first = post(token, BODY, key="abc-123")
    assert first.status_code == 201
    again = post(token, BODY, key="abc-123")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Intake.objects.count() == 1
    other = post(token, {**BODY, "narrative": "lain"}, key="abc-123")
    assert other.status_code == 409
    assert Intake.objects.count() == 1


@pytest.mark.django_db
def test_a_client_id_makes_creation_idempotent_too(token):
    cid = str(uuid.uuid4())
    first = post(token, {**BODY, "client_id": cid})
    second = post(token, {**BODY, "client_id": cid})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert post(token, {**BODY, "client_id": cid, "child_involved": True}).status_code == 409
    assert Intake.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_identical_submissions_create_one_intake(world):
    token = issue_token(User.objects.get(username="operator.sambas"), "test")
    statuses: list[int] = []
    bodies: list[str] = []

    def submit() -> None:
        try:
            r = post(token, BODY, key="concurrent-1")
            statuses.append(r.status_code)
            bodies.append(r.json()["id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 9 + [201]
    assert len(set(bodies)) == 1
    assert Intake.objects.count() == 1


@pytest.mark.django_db
def test_invalid_fields_are_named_and_nothing_is_stored(token):
    r = post(token, {"narrative": "", "place_region": "99.99", "place_country": "malaysia"})
    assert r.status_code == 422
    assert Intake.objects.count() == 0
    unknown = post(token, {"narrative": "x", "place_region": "61.99"})
    assert unknown.status_code == 422
    with override("id"):
        message = gettext("Unknown region code.")
    assert unknown.json() == {"detail": {"place_region": [message]}}


@pytest.mark.django_db
def test_reads_are_scoped_to_the_token_owner(world, token):
    created = post(token, BODY).json()
    outsider = issue_token(User.objects.get(username="pekerja.tpi"), "other")
    r = Client().get(f"/api/v1/intakes/{created['id']}", HTTP_AUTHORIZATION=f"Bearer {outsider}")
    assert r.status_code == 404
    own = Client().get(f"/api/v1/intakes/{created['id']}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert own.status_code == 200 and own.json()["reference"] == created["reference"]
    listed = Client().get("/api/v1/intakes", HTTP_AUTHORIZATION=f"Bearer {outsider}").json()
    assert listed == []
