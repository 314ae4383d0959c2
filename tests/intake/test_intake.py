"""Intake from the public and from operators: routing, receipts, spam resistance, the queue,
triage and the autosaved hotline draft."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.intake.actions import IntakeDetails, record_intake
from simpul.intake.models import Intake, IntakeNote, Status
from simpul.intake.queries import narrative_of, triage_queue
from simpul.regions.models import Region


def _started(seconds_ago: int = 30) -> str:
    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt="report")


def _report(client: Client, **overrides: str):
    data = {
        "narrative": "Tetangga saya dibawa agen ke Malaysia, paspornya ditahan.",
        "place_region": "61.01.09.2002",
        "place_country": "MY",
        "started": _started(),
        "website": "",
    }
    data.update(overrides)
    return client.post("/intake/report/", data)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.mark.django_db
def test_a_public_report_reaches_the_uptd_ppa_of_the_place_with_a_receipt(world):
    response = _report(Client(), immediate_danger="on")
    assert response.status_code == 200
    receipt = response.context["receipt"]
    intake = Intake.objects.get()
    assert intake.owner_agency == Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    assert (intake.channel, intake.status, intake.reporter_anonymous) == ("public_web", "new", True)
    assert intake.immediate_danger is True
    assert narrative_of(intake).startswith("Tetangga saya")
    assert "Tetangga" not in intake.narrative_sealed
    assert receipt in response.content.decode()
    operator = User.objects.get(username="operator.sambas")
    assert list(triage_queue(operator)) == [intake]
    assert list(triage_queue(User.objects.get(username="pekerja.tpi"))) == []


@pytest.mark.django_db
def test_the_reporter_adds_information_with_the_receipt_and_only_with_it(world):
    receipt = _report(Client()).context["receipt"]
    intake = Intake.objects.get()
    follow = Client().post(
        "/intake/report/follow-up/", {"receipt": receipt.lower(), "text": "Namanya Siti, umur 16."}
    )
    assert follow.context["done"] is True
    wrong = Client().post("/intake/report/follow-up/", {"receipt": "AAAA-BBBB-CCCC", "text": "x"})
    assert wrong.context["done"] is False and "receipt" in wrong.context["form"].errors
    assert IntakeNote.objects.filter(intake=intake, from_reporter=True).count() == 1


@pytest.mark.django_db
def test_bots_filling_the_hidden_field_or_posting_instantly_store_nothing(world):
    assert _report(Client(), website="http://spam.example").status_code == 200
    assert _report(Client(), started=_started(seconds_ago=0)).status_code == 200
    assert _report(Client(), started="forged").status_code == 200
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_public_reports_are_rate_limited_per_address(world):
    client = Client(REMOTE_ADDR="10.20.30.40")
    for _ in range(5):
        assert "receipt" in _report(client).context
    sixth = _report(client)
    assert "receipt" not in sixth.context
    assert Intake.objects.count() == 5
    assert "receipt" in _report(Client(REMOTE_ADDR="10.20.30.41")).context


@pytest.mark.django_db
def test_a_report_without_a_narrative_keeps_what_was_typed_and_names_the_field(world):
    response = _report(Client(), narrative="", contact="0812 3456 7890")
    form = response.context["form"]
    assert list(form.errors) == ["narrative"]
    assert form["contact"].value() == "0812 3456 7890"
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_immediate_danger_stays_on_top_of_the_queue_whatever_its_age(world):
    operator = User.objects.get(username="operator.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    with time_machine.travel(timezone.now() - timedelta(hours=5)):
        old = record_intake(
            operator, IntakeDetails(channel="hotline", narrative="old call"), owner_agency=agency
        )
    danger = record_intake(
        operator,
        IntakeDetails(channel="hotline", narrative="now", immediate_danger=True),
        owner_agency=agency,
    )
    newer = record_intake(
        operator, IntakeDetails(channel="sms", narrative="newer"), owner_agency=agency
    )
    assert list(triage_queue(operator)) == [danger, old, newer]
    client = Client()
    from tests.conftest import sign_in

    sign_in(client, "operator.sambas")
    rows = client.get("/intake/queue/").content.decode()
    assert rows.index(danger.reference) < rows.index(old.reference) < rows.index(newer.reference)
    assert re.search(r"5\W+(jam|hours)", rows)


@pytest.mark.django_db
def test_triage_moves_an_intake_off_the_queue_and_outsiders_cannot_triage(signed_in):
    operator = User.objects.get(username="operator.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    intake = record_intake(
        operator, IntakeDetails(channel="hotline", narrative="call"), owner_agency=agency
    )
    outsider = signed_in("pekerja.tpi")
    assert outsider.post(f"/intake/{intake.id}/", {"decision": "no_action"}).status_code == 404
    intake.refresh_from_db()
    assert intake.status == Status.NEW
    client = signed_in("operator.sambas")
    response = client.post(f"/intake/{intake.id}/", {"decision": "screen", "note": "call back"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert (intake.status, intake.triage_decision, intake.triaged_by) == (
        "triaged",
        "screen",
        operator,
    )
    assert list(triage_queue(operator)) == []
    assert AuditEvent.objects.filter(action="intake.triage", record_id=str(intake.id)).count() == 1


@pytest.mark.django_db
def test_the_hotline_draft_is_saved_sealed_and_comes_back(signed_in):
    client = signed_in("operator.sambas")
    secret = "Penelpon menyebut nama Kanari Burung"
    saved = client.post("/intake/new/draft/", {"narrative": secret, "channel": "hotline"})
    assert saved.status_code == 200
    from django.contrib.sessions.models import Session

    stored = "".join(s.session_data for s in Session.objects.all())
    assert "Kanari" not in stored
    page = client.get("/intake/new/")
    assert page.context["form"]["narrative"].value() == secret
    done = client.post(
        "/intake/new/", {"narrative": secret, "channel": "hotline", "place_region": "61.01.09"}
    )
    assert done.status_code == 302
    assert client.get("/intake/new/").context["form"]["narrative"].value() in (None, "")
    intake = Intake.objects.get()
    assert intake.scope_region == Region.objects.get(pk="61.01.09")


@pytest.mark.django_db
def test_the_hotline_form_records_the_person_concerned_and_warns_of_a_duplicate(signed_in):
    from simpul.identity.models import Person

    client = signed_in("operator.sambas")
    form = {
        "narrative": "Ibu menelpon: anaknya hilang di Malaysia.",
        "channel": "hotline",
        "place_region": "61.01.09",
        "concerned_name": "Yuliana Siregar",
        "concerned_phone": "0812 7777 1111",
        "reporter_name": "Maria Siregar",
    }
    persons_before = Person.objects.count()
    assert client.post("/intake/new/", form).status_code == 302
    first = Intake.objects.get()
    assert first.persons.count() == 1 and first.reporter is not None
    assert Person.objects.count() == persons_before + 2
    # The same person called in again: the operator is warned before a second record exists.
    shown = client.post("/intake/new/", {**form, "reporter_name": ""})
    assert shown.status_code == 200
    candidates = shown.context["candidates"]
    assert [c.person for c in candidates] == [first.persons.get().person]
    assert set(candidates[0].reasons) == {"phone", "name", "regency"}
    assert Intake.objects.count() == 1
    linked = client.post(
        "/intake/new/",
        {**form, "reporter_name": "", "duplicate_choice": str(candidates[0].person.pk)},
    )
    assert linked.status_code == 302
    assert Person.objects.count() == persons_before + 2
    second = Intake.objects.exclude(pk=first.pk).get()
    assert second.persons.get().person == first.persons.get().person


@pytest.mark.django_db
def test_a_bad_nik_on_the_hotline_form_is_marked_and_nothing_is_stored(signed_in):
    client = signed_in("operator.sambas")
    response = client.post(
        "/intake/new/",
        {"narrative": "x", "channel": "hotline", "concerned_name": "Budi", "concerned_nik": "123"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["concerned_nik"]
    assert response.context["form"]["narrative"].value() == "x"
    assert Intake.objects.count() == 0
