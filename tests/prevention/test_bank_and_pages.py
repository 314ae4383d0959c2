"""The starter question bank; every prevention page renders; the access rules of its URLs."""

import json
import uuid
from collections import Counter

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from simpul.accounts.access import PUBLIC, access_level
from simpul.accounts.models import User
from simpul.audit.models import AuditEvent
from simpul.prevention import bank
from simpul.prevention.demo import load_demo
from simpul.prevention.models import EventQuestion, OutreachEvent, Question, Topic, Volunteer
from tests.conftest import sign_in

PUBLIC_NAMES = {"prevention:job_offer_check", "prevention:phone_test"}


def test_the_starter_bank_is_well_formed_and_shuffled():
    questions = bank.read_bank()
    assert len(questions) == 45
    per_topic = Counter(q.topic for q in questions)
    assert set(per_topic) == set(Topic.values) and min(per_topic.values()) >= 5
    assert all(q.language == "id" and q.bank_version == "2025.1" for q in questions)
    # Authors put the right answer first; the loader moves it, the same way every time.
    positions = Counter(q.correct for q in questions)
    assert len(positions) >= 3 and max(positions.values()) < 25
    assert [q.correct for q in questions] == [q.correct for q in bank.read_bank()]
    benar = next(q for q in questions if q.code == "CAU-05")
    assert benar.options == ["Benar", "Salah"] and benar.correct == 0


@pytest.mark.django_db
def test_the_migration_loaded_the_bank_and_reloading_changes_nothing(world):
    assert Question.objects.count() == 45
    assert bank.load_bank(Question, EventQuestion) == (0, 0)


@pytest.mark.django_db
def test_a_question_used_in_a_test_is_never_rewritten(world, coordinator, kalbar, tmp_path):
    from tests.prevention.conftest import make_event

    make_event(coordinator, kalbar, n_questions=2)
    used = EventQuestion.objects.first().question
    changed = tmp_path / "bank.json"
    bank_data = {
        "bank_version": "2026.1",
        "questions": [
            {
                "code": used.code,
                "topic": used.topic,
                "text": "Teks baru",
                "options": ["Ya", "Tidak"],
                "correct": 0,
            }
        ],
    }
    changed.write_text(json.dumps(bank_data))
    with pytest.raises(ValueError, match="new code"):
        bank.load_bank(Question, EventQuestion, changed)
    used.refresh_from_db()
    assert used.text != "Teks baru"


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}", p.callback


def _prevention_urls(event_id, volunteer_id, token="closed-or-unknown-token"):
    for route, name, callback in _walk(get_resolver().url_patterns):
        if not name.startswith("prevention:"):
            continue
        path = "/" + route.replace("<uuid:event_id>", str(event_id))
        path = path.replace("<uuid:volunteer_id>", str(volunteer_id))
        path = path.replace("<slug:token>", token)
        assert "<" not in path, route
        yield path, name, callback


@pytest.mark.django_db
def test_only_the_two_public_pages_are_open_and_the_rest_need_the_permission(world):
    load_demo()
    event = OutreachEvent.objects.filter(village_id="61.01.09.2002").order_by("-held_on").first()
    volunteer = Volunteer.objects.filter(village_id="61.01.09.2002").first()
    urls = list(_prevention_urls(event.id, volunteer.id))
    assert len(urls) >= 20
    assert {name for _p, name, cb in urls if access_level(cb) == PUBLIC} == PUBLIC_NAMES
    anonymous = Client()
    for path, name, _cb in urls:
        if name in PUBLIC_NAMES:
            continue
        response = anonymous.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
    worker = sign_in(Client(), "pekerja.sambas")  # a role without the prevention permission
    for path, name, _cb in urls:
        if name not in PUBLIC_NAMES:
            assert worker.get(path).status_code == 403, path


@pytest.mark.django_db
def test_every_prevention_page_renders_on_demo_data(world):
    load_demo()
    event = OutreachEvent.objects.filter(village_id="61.01.09.2002").order_by("-held_on").first()
    volunteer = Volunteer.objects.filter(village_id="61.01.09.2002").first()
    client = sign_in(Client(), "gt.kalbar")
    for path, name, _cb in _prevention_urls(event.id, volunteer.id):
        if name in {
            "prevention:event_phone",
            "prevention:volunteer_contact",
            "prevention:phone_test",
        }:
            continue  # POST-only, or a closed phone test (404)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        assert 'style="' not in html, path
        assert "<script>" not in html, path
    results = client.get(f"/prevention/events/{event.id}/results/").context["test"]
    assert results.n_paired == 30
    assert results.wilcoxon.p_value < 0.001


@pytest.mark.django_db
def test_unknown_ids_are_404_and_not_audited_as_refusals(world):
    client = sign_in(Client(), "gt.kalbar")
    missing = uuid.uuid4()
    assert client.get(f"/prevention/events/{missing}/").status_code == 404
    assert client.get(f"/prevention/volunteers/{missing}/").status_code == 404
    assert not AuditEvent.objects.filter(outcome="denied", record_id=str(missing)).exists()
    assert User.objects.filter(username="gt.kalbar").exists()
