"""Issue 12, item 3: people who reported can be reached. The caller's name and phone and a
public reporter's contact are kept (nothing typed is dropped), shown masked to those who handle
the report, and revealed with a reason, audited."""

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.intake.models import Intake
from simpul.intake.queries import reporter_contact_of

HOTLINE = {
    "narrative": "Ibu menelpon: anaknya hilang di Malaysia.",
    "channel": "hotline",
    "place_region": "61.01.09",
}


def _reveal(client: Client, intake: Intake, reason: str):
    return client.post(
        f"/intake/{intake.id}/reporter/reveal/", {"reason": reason}, HTTP_HX_REQUEST="true"
    )


@pytest.mark.django_db
def test_the_callers_name_and_phone_are_masked_then_revealed_with_a_reason(signed_in):
    client = signed_in("operator.sambas")
    form = {**HOTLINE, "reporter_name": "Maria Kanarisari", "reporter_phone": "0812 5555 7777"}
    assert client.post("/intake/new/", form).status_code == 302
    intake = Intake.objects.get()
    page = client.get(f"/intake/{intake.id}/").content.decode()
    assert 'id="reporter"' in page and 'aria-live="polite"' in page
    assert 'data-field="reporter_name" data-masked' in page
    assert intake.reporter.masked_name in page
    assert "Kanarisari" not in page and "5555" not in page
    # No reason: refused, audited, nothing shown.
    refused = _reveal(client, intake, "lihat")
    assert refused.status_code == 422
    assert "Kanarisari" not in refused.content.decode()
    denied = AuditEvent.objects.filter(action="intake.reveal_reporter", outcome="denied")
    assert [e.reason for e in denied] == ["no_reason"]
    shown = _reveal(client, intake, "Menelpon balik penelpon untuk alamat korban")
    assert shown.status_code == 200
    body = shown.content.decode()
    assert "Maria Kanarisari" in body and "5555" in body
    ok = AuditEvent.objects.get(action="intake.reveal_reporter", outcome="ok")
    assert ok.record_id == str(intake.id)
    assert ok.reason == "Menelpon balik penelpon untuk alamat korban"
    assert set(ok.fields) == {"reporter_name", "reporter_phone"}
    assert AuditEvent.objects.filter(
        action="person.reveal", outcome="ok", record_id=str(intake.reporter_id)
    ).exists()


@pytest.mark.django_db
def test_a_phone_without_a_name_is_kept_as_the_contact(signed_in):
    client = signed_in("operator.sambas")
    form = {**HOTLINE, "reporter_phone": "0813 1111 2222"}
    assert client.post("/intake/new/", form).status_code == 302
    intake = Intake.objects.get()
    assert intake.reporter is None
    assert reporter_contact_of(intake) == "0813 1111 2222"
    assert "1111" not in intake.reporter_contact_sealed
    page = client.get(f"/intake/{intake.id}/").content.decode()
    assert 'data-field="reporter_contact" data-masked' in page and "1111" not in page
    shown = _reveal(client, intake, "Menelpon balik untuk keterangan tambahan")
    assert "0813 1111 2222" in shown.content.decode()


@pytest.mark.django_db
def test_an_anonymous_caller_keeps_a_call_back_number_and_a_typed_name_is_never_dropped(
    signed_in,
):
    client = signed_in("operator.sambas")
    both = {
        **HOTLINE,
        "reporter_anonymous": "on",
        "reporter_name": "Budi",
        "reporter_phone": "0813 3",
    }
    refused = client.post("/intake/new/", both)
    assert refused.status_code == 200
    assert refused.context["form"].errors["reporter_name"]
    assert refused.context["form"]["reporter_name"].value() == "Budi"
    assert Intake.objects.count() == 0
    phone_only = {**HOTLINE, "reporter_anonymous": "on", "reporter_phone": "0813 4444 5555"}
    assert client.post("/intake/new/", phone_only).status_code == 302
    intake = Intake.objects.get()
    assert (intake.reporter_anonymous, intake.reporter) == (True, None)
    assert reporter_contact_of(intake) == "0813 4444 5555"


@pytest.mark.django_db
def test_a_bad_caller_phone_is_marked_at_the_callers_field(signed_in):
    client = signed_in("operator.sambas")
    form = {**HOTLINE, "reporter_name": "Maria", "reporter_phone": "telepon rumah saya"}
    response = client.post("/intake/new/", form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "reporter_phone" in errors and "concerned_phone" not in errors
    assert response.context["form"]["reporter_phone"].value() == "telepon rumah saya"
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_a_public_reporters_contact_is_masked_and_revealed_only_in_scope(signed_in):
    cache.clear()
    started = signing.dumps(timezone.now().timestamp() - 30, salt="report")
    Client().post(
        "/intake/report/",
        {
            "narrative": "Tetangga saya dibawa agen.",
            "place_region": "61.01.09.2002",
            "contact": "WA 0857 9999 0000",
            "started": started,
            "website": "",
        },
    )
    intake = Intake.objects.get()
    operator = signed_in("operator.sambas")
    page = operator.get(f"/intake/{intake.id}/").content.decode()
    assert 'data-field="reporter_contact" data-masked' in page and "9999" not in page
    outsider = signed_in("pekerja.tpi")
    assert _reveal(outsider, intake, "Saya ingin menghubungi pelapor").status_code == 404
    denied = AuditEvent.objects.get(action="intake.reveal_reporter", outcome="denied")
    assert (denied.reason, denied.record_id) == ("out_of_scope", str(intake.id))
    shown = _reveal(operator, intake, "Menghubungi pelapor untuk lokasi")
    assert "WA 0857 9999 0000" in shown.content.decode()
    assert AuditEvent.objects.filter(action="intake.reveal_reporter", outcome="ok").count() == 1
