"""The public "cek tawaran kerja" self-check: rules as data, no login, nothing stored."""

import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation

from simpul.audit.models import AuditEvent
from simpul.prevention import job_offer

URL = "/prevention/cek-tawaran-kerja/"

RISKY = {
    "where": "abroad",
    "recruiter": "online",
    "licence": "claimed",
    "fees": "wage_deduction",
    "visa": "visit",
    "contract": "later",
    "job_details": "vague",
    "passport": "recruiter",
    "documents_changed": "no",
    "route": "unofficial",
    "cover_story": "yes",
    "family_consent": "secret",
    "age": "adult",
}
SAFE = {
    "where": "abroad",
    "recruiter": "licensed_company",
    "licence": "checked",
    "fees": "own_documents",
    "visa": "work",
    "contract": "signed_clear",
    "job_details": "known",
    "passport": "me",
    "documents_changed": "no",
    "route": "official",
    "cover_story": "no",
    "family_consent": "yes",
    "age": "adult",
}


def test_every_question_and_flag_is_written_in_both_languages():
    rules = job_offer.rules()
    assert rules.version == "2025.1"
    for q in rules.questions:
        assert q.text["id"] and q.text["en"]
        assert all(o.label["id"] and o.label["en"] for o in q.options)
    for f in rules.flags:
        for text in (f.title, f.why, f.what_to_do):
            assert text["id"] and text["en"], f.code
        assert f.basis, f.code
    asked = {q.code for q in rules.questions}
    # The brief's subjects: who recruits, licence, fees/debts, visa, contract, passport, route, age.
    assert {"recruiter", "licence", "fees", "visa", "contract", "passport", "route", "age"} <= asked


def test_a_risky_offer_raises_the_expected_red_flags_dangers_first():
    result = job_offer.evaluate(job_offer.rules(), RISKY)
    codes = [f.code for f in result.flags]
    assert result.verdict == job_offer.VERDICT_HIGH
    assert {
        "visit_visa",
        "unlicensed_recruiter",
        "debt",
        "no_contract",
        "passport_withheld",
        "unofficial_route",
        "cover_story",
        "secret_from_family",
    } <= set(codes)
    assert {"licence_unchecked", "vague_job"} <= set(codes)
    assert "underage" not in codes and "forged_documents" not in codes
    severities = [f.severity for f in result.flags]
    assert severities == sorted(severities, key=lambda s: s != "danger")
    assert result.points == 3 * len(result.dangers) + len(result.cautions)


def test_a_child_or_forged_documents_is_always_a_danger():
    for answers in ({"age": "under_18"}, {"documents_changed": "yes"}):
        result = job_offer.evaluate(job_offer.rules(), answers)
        assert result.verdict == job_offer.VERDICT_HIGH


def test_a_safe_offer_has_no_flag_and_too_few_answers_say_so():
    assert job_offer.evaluate(job_offer.rules(), SAFE).verdict == job_offer.VERDICT_CLEAR
    few = job_offer.evaluate(job_offer.rules(), {"age": "adult", "visa": "work"})
    assert few.verdict == job_offer.VERDICT_INCOMPLETE
    assert job_offer.evaluate(job_offer.rules(), {"visa": "nonsense"}).answered == 0


def test_unless_conditions_and_unknown_rule_answers():
    domestic = job_offer.evaluate(job_offer.rules(), {"where": "indonesia", "family_consent": "no"})
    assert "no_family_consent" not in [f.code for f in domestic.flags]
    with pytest.raises(ValueError):
        job_offer.parse_rules(
            {
                "version": "x",
                "valid_from": "2025-01-01",
                "questions": [{"code": "a", "text": {"id": "A"}, "options": []}],
                "flags": [
                    {
                        "code": "f",
                        "severity": "danger",
                        "when": {"a": ["nope"]},
                        "title": {},
                        "why": {},
                        "what_to_do": {},
                    }
                ],
            }
        )


def _row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_the_public_page_works_without_login_and_stores_nothing(world):
    client = Client()
    before = _row_counts()
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override("id"):
        assert job_offer.localised(job_offer.rules().questions[1].text) in html
    response = client.post(URL, RISKY, HTTP_ACCEPT_LANGUAGE="id")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="verdict"' in html and 'data-flag="visit_visa"' in html
    assert 'href="/intake/report/"' in html
    assert "129" in html and "08111-129-129" in html
    assert "Bekerja tanpa visa kerja" in html  # the flag explained in Bahasa Indonesia
    # Not a row anywhere: no audit entry, no session, no answer.
    assert _row_counts() == before
    assert AuditEvent.objects.count() == before["audit.AuditEvent"]
    assert Session.objects.count() == before["sessions.Session"]
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_the_public_page_needs_csrf_for_posts():
    client = Client(enforce_csrf_checks=True)
    assert client.post(URL, RISKY).status_code == 403


@pytest.mark.django_db
def test_the_public_page_is_small_and_runs_without_script():
    client = Client()
    client.get(URL)
    html = client.post(URL, RISKY).content.decode()
    assert "<script" not in html and "style=" not in html
    total = len(html.encode())
    for asset in re.findall(r'href="/static/([^"]+)"', html):
        with open(finders.find(asset), "rb") as fh:
            total += len(fh.read())
    assert total < 50 * 1024, total


@pytest.mark.django_db
def test_the_page_follows_the_language_switch():
    client = Client()
    html = client.post(URL, RISKY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Working without a work visa" in html
