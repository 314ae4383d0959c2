"""The handover of an accompanied return (berita acara serah terima): drafted from a check-out
with "returned home", sent (the passport in safekeeping is handed over, the receiving UPTD PPA
gets scoped access), acknowledged by the origin regency's UPTD PPA; refusals change nothing; a
handover not acknowledged in time is escalated once to both agencies' supervisors; the PDF."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent, Outcome
from simpul.cases.queries import cases_for
from simpul.identity.queries import persons_for
from simpul.jobs.schedule import SCHEDULE
from simpul.shelters import actions, queries
from simpul.shelters.codes import ExitReason, HandoverStatus, StayStatus
from simpul.shelters.models import CustodyDocument, Handover, HandoverEvent, Stay
from simpul.shelters.queries import handover as hq
from simpul.shelters.tasks import escalate_handovers
from simpul.web.work import waiting_work_for
from tests.shelters.helpers import accepted_shelter_referral, make_shelter, officer
from tests.web.test_words_not_codes import assert_words_only

SAMBAS = "UPTD PPA Kabupaten Sambas"


def _returned_home() -> tuple[Stay, CustodyDocument]:
    """A Sambas victim referred to the RPTC, checked in with her passport in safekeeping,
    checked out because she returns home."""
    referral, _person = accepted_shelter_referral()
    shelter = make_shelter()
    [stay] = actions.plan_stay_from_referral(officer(), referral, shelter)
    stay = actions.check_in(officer(), stay, consent_basis="own")
    passport = actions.receive_document(
        officer(), stay, document_type="passport", number="C1234567", consent=True
    )
    stay = actions.check_out(officer(), stay, exit_reason=ExitReason.RETURNED_HOME)
    return stay, passport


def _input(stay: Stay, **kwargs) -> actions.HandoverInput:
    values = {
        "to_agency": Agency.objects.get(name=SAMBAS),
        "handover_on": timezone.localdate(),
        "place": "Kantor UPTD PPA Kabupaten Sambas",
        "escort_users": [officer()],
        "escorts": "Bripka Andi (Polres Tanjungpinang)",
        "custody_ids": [d.pk for d in stay.documents.all()],
        "other_documents": ["travel"],
    }
    values.update(kwargs)
    return actions.HandoverInput(**values)


def waiting_work(user: User) -> dict[str, int]:
    return {w.key: w.count for w in waiting_work_for(user)}


def _worker() -> User:
    return User.objects.get(username="pekerja.sambas")


@pytest.mark.django_db
def test_a_handover_goes_from_draft_to_acknowledged_and_the_receiver_gets_access(world):
    stay, passport = _returned_home()
    worker = _worker()
    handover = actions.create_handover(officer(), stay, _input(stay))
    assert (handover.status, handover.owner_agency_id) == (
        HandoverStatus.DRAFT,
        stay.owner_agency_id,
    )
    assert handover.code.startswith("BA-")
    assert [p.person_id for p in handover.persons.all()] == [stay.person_id]
    assert sorted(d.document_type for d in handover.documents.all()) == ["passport", "travel"]
    assert hq.escorts_text(handover) == "Bripka Andi (Polres Tanjungpinang)"
    # A draft is the sender's own: the receiving agency does not see it yet.
    assert hq.handovers_to_acknowledge(worker).count() == 0
    assert not hq.handovers_for(worker).filter(pk=handover.pk).exists()
    handover = actions.send_handover(officer(), handover, version=handover.version)
    passport.refresh_from_db()
    assert passport.returned_at == handover.sent_at  # handed over with the persons
    assert queries.documents_held(stay).count() == 0
    assert list(hq.handovers_to_acknowledge(worker)) == [handover]
    # Before acknowledging, the case worker (scope "assigned") sees neither the stay nor the
    # person by their role; the agency-scope grant is written.
    assert not queries.stays_for(worker).filter(pk=stay.pk).exists()
    handover = actions.acknowledge_handover(worker, handover, version=handover.version)
    assert handover.status == HandoverStatus.ACKNOWLEDGED
    assert (handover.received_by, handover.acknowledged_by) == (worker, worker)
    assert list(handover.events.values_list("to_status", flat=True)) == [
        HandoverStatus.DRAFT,
        HandoverStatus.SENT,
        HandoverStatus.RECEIVED,
        HandoverStatus.ACKNOWLEDGED,
    ]
    assert queries.stays_for(worker).filter(pk=stay.pk).exists()
    assert persons_for(worker).filter(pk=stay.person_id).exists()
    assert cases_for(worker).filter(pk=stay.case_id).exists()
    assert hq.handovers_to_acknowledge(worker).count() == 0
    actions_logged = list(
        AuditEvent.objects.filter(record_id=str(handover.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions_logged == ["handover.create", "handover.send", "handover.acknowledge"]


@pytest.mark.django_db
def test_refused_handovers_change_nothing(world):
    stay, passport = _returned_home()
    before = (Handover.objects.count(), HandoverEvent.objects.count(), AuditEvent.objects.count())
    tpi_rptc = Agency.objects.get(name="RPTC Tanjungpinang")
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    for bad, field in (
        ({"to_agency": police}, "to_agency"),  # not a UPTD PPA or Dinas Sosial
        ({"to_agency": tpi_rptc}, "to_agency"),
        ({"place": "  "}, "place"),
        ({"escort_users": [], "escorts": ""}, "escorts"),
        ({"escort_users": [_worker()]}, "escort_users"),  # not of the handing-over agency
        ({"custody_ids": [passport.pk + 999]}, "custody_ids"),
        ({"person_ids": [officer().pk and stay.pk]}, "person_ids"),  # not a victim of the case
    ):
        with pytest.raises(ValidationError) as refused:
            actions.create_handover(officer(), stay, _input(stay, **bad))
        assert field in refused.value.message_dict, bad
    # Only the operating agency's staff draft it.
    with pytest.raises(PermissionDenied):
        actions.create_handover(_worker(), stay, _input(stay))
    assert (
        Handover.objects.count(),
        HandoverEvent.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    first = actions.create_handover(officer(), stay, _input(stay))
    with pytest.raises(ValidationError):
        actions.create_handover(officer(), stay, _input(stay))
    # Below the action, the database keeps one live handover per stay.
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.create(
            owner_agency_id=first.owner_agency_id,
            code="BA-XX-DUPLIC",
            stay=stay,
            to_agency=first.to_agency,
            handover_on=first.handover_on,
            place="x",
        )
    # The sender cannot acknowledge; the receiver cannot send.
    with pytest.raises(PermissionDenied):
        actions.acknowledge_handover(officer(), first)
    with pytest.raises(PermissionDenied):
        actions.send_handover(_worker(), first)
    sent = actions.send_handover(officer(), first)
    with pytest.raises(ValidationError):
        actions.send_handover(officer(), sent)
    # Cancelled after sending: the passport is held again, and a new draft may follow.
    actions.cancel_handover(officer(), sent, reason="Keluarga belum siap menerima")
    passport.refresh_from_db()
    assert passport.returned_at is None
    actions.create_handover(officer(), stay, _input(stay))


@pytest.mark.django_db
def test_an_unacknowledged_handover_is_escalated_once_to_both_supervisors(world):
    stay, _passport = _returned_home()
    handover = actions.send_handover(
        officer(), actions.create_handover(officer(), stay, _input(stay))
    )
    supervisor = User.objects.get(username="supervisor.sambas")
    assert actions.escalate_unacknowledged() == 0
    assert waiting_work(supervisor)["shelters.handovers_late"] == 0
    Handover.objects.filter(pk=handover.pk).update(sent_at=timezone.now() - timedelta(days=4))
    assert actions.escalate_unacknowledged() == 1
    assert actions.escalate_unacknowledged() == 0  # once
    assert waiting_work(supervisor)["shelters.handovers_late"] == 1
    assert waiting_work(_worker())["shelters.handovers_to_acknowledge"] == 1
    with override_settings(HANDOVER_ACK_DAYS=10):
        Handover.objects.filter(pk=handover.pk).update(escalated_at=None)
        assert actions.escalate_unacknowledged() == 0
    assert AuditEvent.objects.filter(action="handover.escalate").count() == 1
    assert any(p.name == "handover_escalation" and p.task is escalate_handovers for p in SCHEDULE)


@pytest.mark.django_db
def test_pages_check_out_to_handover_to_acknowledgement_and_the_pdf(world, signed_in):
    referral, _person = accepted_shelter_referral()
    shelter = make_shelter()
    [stay] = actions.plan_stay_from_referral(officer(), referral, shelter)
    stay = actions.check_in(officer(), stay, consent_basis="own")
    client = signed_in("shelter.tpi")
    out = client.post(
        f"/shelters/stays/{stay.pk}/check-out/",
        {"exit_reason": "returned_home", "version": stay.version},
    )
    assert out.status_code == 302
    assert out["Location"] == f"/shelters/stays/{stay.pk}/handover/"
    form = client.get(out["Location"])
    assert form.status_code == 200
    assert_words_only(form.content.decode(), "handover form")
    sambas = Agency.objects.get(name=SAMBAS)
    refused = client.post(out["Location"], {"to_agency": sambas.pk, "place": ""})
    assert refused.status_code == 422
    assert Handover.objects.count() == 0
    made = client.post(
        out["Location"],
        {
            "to_agency": sambas.pk,
            "handover_on": timezone.localdate().isoformat(),
            "place": "Kantor UPTD PPA Kabupaten Sambas",
            "escort_users": [officer().pk],
        },
    )
    handover = Handover.objects.get()
    assert made["Location"] == f"/shelters/handovers/{handover.pk}/"
    client.post(f"/shelters/handovers/{handover.pk}/send/", {"version": handover.version})
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT
    worker = signed_in("pekerja.sambas")
    listed = worker.get("/shelters/handovers/?direction=in")
    assert handover.code in listed.content.decode()
    page = worker.get(f"/shelters/handovers/{handover.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="acknowledge-form"' in html
    assert_words_only(html, "handover page")
    assert "Riwayat" in html  # the page is in Indonesian (LANGUAGE_CODE "id")
    done = worker.post(
        f"/shelters/handovers/{handover.pk}/acknowledge/", {"version": handover.version}
    )
    assert done.status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACKNOWLEDGED
    pdf = worker.get(f"/shelters/handovers/{handover.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert stay.case.code.encode() in pdf.content
    assert AuditEvent.objects.filter(action="handover.pdf", record_id=str(handover.pk)).count() == 1
    # Another agency's user gets 404, audited.
    intruder = signed_in("polisi.sambas")
    assert intruder.get(f"/shelters/handovers/{handover.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="handover.access", record_id=str(handover.pk), outcome=Outcome.DENIED
    ).exists()
    stay.refresh_from_db()
    assert stay.status == StayStatus.CHECKED_OUT


@pytest.mark.django_db
def test_a_return_links_to_its_handover_and_both_pages_show_it(world, signed_in):
    from simpul.migration.models import ReturnEvent

    stay, _passport = _returned_home()
    post = User.objects.get(username="pos.aruk").memberships.get().agency

    def border_record(person, key: str) -> ReturnEvent:
        # Below the actions: the post recorded the person's arrival at the border.
        return ReturnEvent.objects.create(
            owner_agency=post,
            person=person,
            returned_on=timezone.localdate() - timedelta(days=20),
            entry_point="PLBN_ARUK",
            travel_document="splp",
            natural_key=key,
        )

    arrival = border_record(stay.person, "test-return-handover")
    someone_else = border_record(accepted_shelter_referral("Rosa Simbolon")[1], "test-other")
    with pytest.raises(ValidationError) as refused:
        actions.create_handover(officer(), stay, _input(stay, return_event=someone_else))
    assert "return_event" in refused.value.message_dict
    handover = actions.create_handover(officer(), stay, _input(stay, return_event=arrival))
    assert list(hq.handovers_of_return(arrival)) == [handover]
    page = signed_in("shelter.tpi").get(f"/shelters/handovers/{handover.pk}/").content.decode()
    assert "Return (border record)" in page or "Kepulangan" in page or "PLBN_ARUK" in page
    border = signed_in("pos.aruk").get(f"/migration/returns/{arrival.pk}/").content.decode()
    shown = border.split('id="return-handover"')[1][:400]
    assert handover.code in shown and "UPTD PPA Kabupaten Sambas" in shown


@pytest.mark.django_db
def test_the_handover_list_takes_the_same_queries_however_long(world, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in("pekerja.sambas")

    def hand_over(name: str) -> None:
        referral, _person = accepted_shelter_referral(name)
        [stay] = actions.plan_stay_from_referral(
            officer(), referral, make_shelter(beds=9, name=f"RPTC {name}")
        )
        stay = actions.check_in(officer(), stay, consent_basis="own")
        stay = actions.check_out(officer(), stay, exit_reason=ExitReason.RETURNED_HOME)
        actions.send_handover(officer(), actions.create_handover(officer(), stay, _input(stay)))

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/shelters/handovers/?direction=in")
        assert page.status_code == 200
        return len(captured)

    hand_over("Agustina Sitompul")
    one = queries_for_list()
    hand_over("Bernadeta Hutapea")
    hand_over("Clara Napitupulu")
    assert queries_for_list() == one
    assert Handover.objects.count() == 3
