"""Issue 15 item 8: the victim reads their status with the case code and a secret given by
the case worker. No name, nobody else; rate-limited; every read and refusal audited."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from simpul.audit.models import AuditEvent
from simpul.cases.models import Case
from simpul.victim_status.models import StatusSecret
from simpul.victim_status.views import PER_ADDRESS
from tests.cases.helpers import other_case
from tests.conftest import sign_in
from tests.referrals.support import CANARY_NAME, CANARY_NIK, canary_case
from tests.shelters.helpers import accepted_shelter_referral, make_shelter, officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    _signed_in.clear()
    yield
    cache.clear()
    _signed_in.clear()


_signed_in: dict[str, Client] = {}


def _worker(username: str = "pekerja.sambas") -> Client:
    """One signed-in client per account and test (a second sign-in within the same 30 s
    would replay the second-factor code, which is refused)."""
    if username not in _signed_in:
        _signed_in[username] = sign_in(Client(), username)
    return _signed_in[username]


def _issue(case: Case, person_id, username: str = "pekerja.sambas") -> str:
    worker = _worker(username)
    response = worker.post(f"/status/case/{case.pk}/", {"person": str(person_id), "do": "issue"})
    assert response.status_code == 200
    [secret] = re.findall(r'id="slip-secret">([A-Z0-9-]+)<', response.content.decode())
    return secret


def _read(case_code: str, secret: str, client: Client | None = None):
    return (client or Client()).post(
        "/status/", {"case_code": case_code, "secret": secret}, HTTP_ACCEPT_LANGUAGE="id"
    )


def test_the_victim_reads_the_stage_and_next_appointment_and_nothing_that_identifies(world):
    case, person = canary_case(services_stage=True)
    secret = _issue(case, person.pk)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", secret)
    row = StatusSecret.objects.get()
    assert secret.replace("-", "") not in row.secret_index  # only the keyed hash is stored

    response = _read(case.code.lower(), secret.lower())  # typed in small letters
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    with translation.override("id"):
        from simpul.victim_status.choices import RecoveryStep

        assert str(RecoveryStep.SERVICES.label) in page
    assert 'data-step="services"' in page
    due = date.today() + timedelta(days=7)
    assert 'id="next-appointment"' in page and "Unit PPA Polres Sambas" in page
    assert f"{due.day} " in page  # the date, in words of the reader's language
    for secret_text in (CANARY_NAME, CANARY_NIK, person.code, person.masked_name):
        assert secret_text not in page
    row.refresh_from_db()
    assert row.reads == 1 and row.last_read_at is not None
    reads = AuditEvent.objects.filter(action="victim_status.read")
    assert [(e.outcome, e.record_id, e.actor_id) for e in reads] == [("ok", str(case.pk), None)]
    assert AuditEvent.objects.filter(action="victim_status.issue").count() == 1


def test_a_wrong_secret_or_another_case_code_is_refused_and_audited(world):
    case, person = canary_case(services_stage=True)
    secret = _issue(case, person.pk)
    other = other_case()
    for code, typed in ((case.code, "AAAA-BBBB-CCCC"), (other.code, secret)):
        response = _read(code, typed)
        page = response.content.decode()
        assert response.status_code == 422 and 'id="status-error"' in page
        assert 'id="victim-status"' not in page
        assert f'value="{code}"' in page  # the case code typed is kept
        assert typed not in page  # the secret is not written back into the page
    assert StatusSecret.objects.get().reads == 0
    refused = AuditEvent.objects.filter(action="victim_status.read", outcome="denied")
    assert refused.count() == 2


def test_attempts_are_limited_per_connection_even_with_the_right_secret(world):
    case, person = canary_case(services_stage=True)
    secret = _issue(case, person.pk)
    client = Client()
    for _ in range(PER_ADDRESS):
        assert _read(case.code, "WRONG-WRONG-00", client).status_code == 422
    response = _read(case.code, secret, client)
    assert response.status_code == 422 and 'id="victim-status"' not in response.content.decode()
    assert StatusSecret.objects.get().reads == 0


def test_a_new_secret_stops_the_old_one(world):
    case, person = canary_case(services_stage=True)
    old = _issue(case, person.pk)
    new = _issue(case, person.pk)
    assert old != new
    assert _read(case.code, old).status_code == 422
    assert _read(case.code, new).status_code == 200
    rows = StatusSecret.objects.order_by("issued_at", "pk")
    assert [r.revoked_at is not None for r in rows] == [True, False]
    # Stopping it: the page no longer opens with it.
    worker = _worker()
    worker.post(f"/status/case/{case.pk}/", {"person": str(person.pk), "do": "revoke"})
    assert _read(case.code, new).status_code == 422
    assert StatusSecret.objects.filter(revoked_at__isnull=True).count() == 0


def test_only_the_owning_agency_issues_secrets(world):
    case, person = canary_case(services_stage=True)
    # Another agency's case worker: the case is not theirs, so the page is a 404, audited.
    other = sign_in(Client(), "pekerja.tpi")
    before = AuditEvent.objects.filter(action="case.access", outcome="denied").count()
    response = other.post(f"/status/case/{case.pk}/", {"person": str(person.pk), "do": "issue"})
    assert response.status_code == 404
    assert StatusSecret.objects.count() == 0
    after = AuditEvent.objects.filter(action="case.access", outcome="denied").count()
    assert after == before + 1
    # A person who is not a victim of this case is refused at the row, nothing issued.
    worker = _worker()
    stranger = other_case().victims.get().person_id
    response = worker.post(f"/status/case/{case.pk}/", {"person": str(stranger), "do": "issue"})
    assert response.status_code == 422 and StatusSecret.objects.count() == 0


def test_the_shelter_stay_is_shown_without_the_shelter(world):
    from simpul.shelters import actions as shelter_actions
    from simpul.shelters.codes import ConsentBasis

    referral, person = accepted_shelter_referral()
    case = referral.case
    shelter = make_shelter(beds=3)
    stay = shelter_actions.plan_stay(officer(), shelter, person, referral=referral)
    shelter_actions.check_in(officer(), stay, consent_basis=ConsentBasis.OWN)
    secret = _issue(case, person.pk)
    page = _read(case.code, secret).content.decode()
    assert 'id="shelter-stay"' in page and shelter.name not in page
    assert 'data-step="getting_to_know"' in page


def test_reintegration_visits_are_shown_without_scores(world):
    from tests.reintegration.helpers import active_plan

    plan = active_plan()
    months = list(plan.visits.order_by("month").values_list("month", flat=True))
    assert months == [0, 3, 6, 12]
    secret = _issue(plan.case, plan.person_id)
    page = _read(plan.case.code, secret).content.decode()
    shown = re.findall(r'<li data-month="(\d+)">', page)
    assert shown == ["0", "3", "6", "12"]
    assert "composite" not in page and "0." not in page.split('id="reintegration-visits"')[1][:400]


def test_an_active_reintegration_plan_means_back_home_whatever_the_case_stage(world):
    """Found walking the issue-15 journey: a victim home again with an active reintegration
    plan read "we are getting to know you" because the case stage was still assessment."""
    from tests.reintegration.helpers import active_plan

    plan = active_plan()
    assert plan.case.stage not in ("monitoring", "closure_requested", "closed")
    secret = _issue(plan.case, plan.person_id)
    page = _read(plan.case.code, secret).content.decode()
    assert 'id="recovery-step" data-step="monitoring"' in page


@pytest.mark.parametrize(
    ("stage", "plan", "step"),
    [
        ("assessment", None, "getting_to_know"),
        ("assessment", "draft", "getting_to_know"),
        ("assessment", "submitted", "planning"),
        ("assessment", "approved", "planning"),
        ("assessment", "active", "monitoring"),
        ("services", "approved", "services"),  # the plan never moves a step back
        ("closed", "active", "finished"),
    ],
)
def test_recovery_step_of_the_case_stage_and_the_plan(stage, plan, step):
    from simpul.victim_status.choices import recovery_step

    assert recovery_step(stage, plan) == step
