"""Lost writes on the intake path (issue 21, finding 7) and the length limits on its forms
(finding 4): a stale triage never overwrites a newer one, ten concurrent identical hotline
submissions make one person, and an oversized value is refused at its field."""

import threading
from http.cookies import SimpleCookie

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.identity.crypto import blind_index
from simpul.identity.models import Person
from simpul.intake.actions import IntakeDetails, record_intake
from simpul.intake.models import Intake, IntakeNote, Status
from tests.conftest import sign_in


@pytest.fixture(autouse=True)
def _english_and_no_rate_limits():
    cache.clear()
    with translation.override("en"):
        yield


def _english(client: Client) -> Client:
    client.cookies["simpul_language"] = "en"
    return client


def _new_intake() -> Intake:
    operator = User.objects.get(username="operator.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    return record_intake(
        operator, IntakeDetails(channel="hotline", narrative="call"), owner_agency=agency
    )


def _seen_version(client: Client, intake: Intake) -> int:
    page = client.get(f"/intake/{intake.id}/")
    assert page.status_code == 200
    return int(page.context["form"]["version"].value())


@pytest.mark.django_db
def test_a_stale_triage_is_refused_and_the_newer_decision_stays(signed_in):
    intake = _new_intake()
    first = _english(signed_in("operator.sambas"))
    second = _english(signed_in("supervisor.sambas"))
    # Both operators open the report while it waits for triage.
    first_seen, second_seen = _seen_version(first, intake), _seen_version(second, intake)
    assert first_seen == second_seen == intake.version
    done = first.post(
        f"/intake/{intake.id}/", {"decision": "screen", "version": first_seen, "note": "call"}
    )
    assert done.status_code == 302
    events = AuditEvent.objects.filter(action="intake.triage").count()
    # The second decision was made on the report as it was before the first one.
    stale = second.post(
        f"/intake/{intake.id}/",
        {"decision": "no_action", "version": second_seen, "note": "spam, close it"},
    )
    assert stale.status_code == 409
    assert "someone else triaged this report" in stale.content.decode()
    intake.refresh_from_db()
    assert (intake.status, intake.triage_decision, intake.triaged_by.username) == (
        Status.TRIAGED,
        "screen",
        "operator.sambas",
    )
    assert intake.version == first_seen + 1
    assert IntakeNote.objects.filter(intake=intake).count() == 1
    assert AuditEvent.objects.filter(action="intake.triage").count() == events


@pytest.mark.django_db
def test_a_triage_without_a_version_cannot_reopen_or_close_a_triaged_report(signed_in):
    intake = _new_intake()
    client = signed_in("supervisor.sambas")
    assert client.post(f"/intake/{intake.id}/", {"decision": "screen"}).status_code == 302
    again = client.post(f"/intake/{intake.id}/", {"decision": "no_action"})
    assert again.status_code == 409
    intake.refresh_from_db()
    assert (intake.status, intake.triage_decision) == (Status.TRIAGED, "screen")


@pytest.mark.django_db
def test_a_triage_is_refused_once_a_case_was_opened_from_the_report(signed_in):
    intake = _new_intake()
    client = signed_in("supervisor.sambas")
    seen = _seen_version(client, intake)
    # Meanwhile a case was opened from the report (cases.actions.open_case sets this status).
    Intake.objects.filter(pk=intake.pk).update(status=Status.CASE_OPENED)
    refused = client.post(f"/intake/{intake.id}/", {"decision": "no_action", "version": seen})
    assert refused.status_code == 409
    intake.refresh_from_db()
    assert (intake.status, intake.triage_decision, intake.version) == (
        Status.CASE_OPENED,
        "",
        seen,
    )


HOTLINE = {
    "narrative": "Ibu menelpon: anaknya hilang di Malaysia.",
    "channel": "hotline",
    "place_region": "61.01.09",
    "concerned_name": "Yuliana Siregar",
    "concerned_nik": "6101094107990001",
}


def _submit_concurrently(clients: list[Client], form: dict[str, str]) -> list[int]:
    statuses: list[int] = []
    barrier = threading.Barrier(len(clients))

    def submit(client: Client) -> None:
        try:
            barrier.wait()
            statuses.append(client.post("/intake/new/", form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_identical_hotline_submissions_create_one_person(world):
    # One signed-in session used from ten browser tabs (a second factor code works only once).
    signed = sign_in(Client(), "operator.sambas")
    clients = []
    for _ in range(10):
        tab = Client()
        tab.cookies = SimpleCookie(signed.cookies)
        clients.append(tab)
    nik = blind_index("nik", HOTLINE["concerned_nik"])
    persons_before = Person.objects.filter(nik_index=nik).count()
    assert persons_before == 0
    creations = AuditEvent.objects.filter(action="person.create").count()
    statuses = _submit_concurrently(clients, HOTLINE)
    # One submission recorded the report and the person; every other one was shown the
    # person just recorded as a possible duplicate, exactly as a later submission would be.
    assert sorted(statuses) == [200] * 9 + [302]
    assert Person.objects.filter(nik_index=nik).count() == 1
    assert Intake.objects.count() == 1
    assert AuditEvent.objects.filter(action="person.create").count() == creations + 1


@pytest.mark.django_db
def test_a_hotline_submission_that_lost_the_race_shows_the_winner_as_a_duplicate(signed_in):
    # Sequentially: the second identical submission is shown the first one's person.
    client = signed_in("operator.sambas")
    assert client.post("/intake/new/", HOTLINE).status_code == 302
    shown = client.post("/intake/new/", HOTLINE)
    assert shown.status_code == 200
    assert [c.reasons for c in shown.context["candidates"]] == [
        ("nik", "name", "birth_year", "regency")
    ]
    assert (
        Person.objects.filter(nik_index=blind_index("nik", HOTLINE["concerned_nik"])).count() == 1
    )
    # The operator confirms a new record: that stays possible (two records of one person
    # are for linkage and review to merge, not for the form to forbid).
    confirmed = client.post("/intake/new/", {**HOTLINE, "duplicate_choice": "new"})
    assert confirmed.status_code == 302
    assert (
        Person.objects.filter(nik_index=blind_index("nik", HOTLINE["concerned_nik"])).count() == 2
    )


@pytest.mark.django_db
def test_oversized_values_are_refused_at_their_field_on_the_hotline_form(signed_in):
    client = _english(signed_in("operator.sambas"))
    page = client.get("/intake/new/").content.decode()
    assert 'name="concerned_name" maxlength="120"' in page
    assert 'maxlength="10000"' in page
    response = client.post(
        "/intake/new/",
        {**HOTLINE, "concerned_name": "a" * 60_000, "reporter_name": "b" * 121},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["concerned_name"] == ["Write at most 120 characters here (this has 60000)."]
    assert errors["reporter_name"] == ["Write at most 120 characters here (this has 121)."]
    assert (
        Intake.objects.count(),
        Person.objects.filter(created_by__username="operator.sambas").count(),
    ) == (0, 0)
