"""Outreach events: recording through the pages, validation, scoping by jurisdiction, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from simpul.accounts.models import Agency
from simpul.audit.models import AuditEvent
from simpul.core.errors import StaleRecordError
from simpul.prevention import actions, queries
from simpul.prevention.models import OutreachEvent, ParticipantCount
from tests.prevention.conftest import SEBUNGA, SENGGARANG, event_data, make_event

pytestmark = pytest.mark.django_db


def _form(village=SEBUNGA, **extra):
    data = {
        "title": "Sosialisasi TPPO bagi keluarga pekerja migran",
        "held_on": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "village": village,
        "audiences": ["families", "departing_migrants"],
        "topics": ["safe_migration", "where_to_report"],
        "materials": ["leaflet", "video"],
        "materials_note": "Leaflet BP2MI",
        "other_organisers": "FISIP Universitas Tanjungpura",
        "count_F_2": "14",
        "count_M_3": "9",
        "count_F_1": "",
    }
    data.update(extra)
    return data


def test_a_coordinator_records_an_event_with_counts_and_it_is_audited(signed_in):
    client = signed_in("gt.kalbar")
    assert client.get("/prevention/events/new/").status_code == 200
    iom = Agency.objects.get(name="IOM Indonesia, Pontianak")
    response = client.post("/prevention/events/new/", _form(co_organisers=[iom.pk]))
    assert response.status_code == 302, response.content[:2000]
    event = OutreachEvent.objects.get()
    assert response["Location"] == f"/prevention/events/{event.id}/"
    assert event.owner_agency.name == "GT PP-TPPO Provinsi Kalimantan Barat"
    assert event.village_id == event.scope_region_id == SEBUNGA
    assert event.audiences == ["families", "departing_migrants"]
    assert list(event.co_organisers.all()) == [iom]
    counts = {(c.sex, c.age_band): c.count for c in ParticipantCount.objects.filter(event=event)}
    assert counts == {("F", "18-24"): 14, ("M", "25-44"): 9}
    audit = AuditEvent.objects.get(action="prevention.event.create")
    assert audit.record_id == str(event.id) and audit.actor_username == "gt.kalbar"
    page = client.get(f"/prevention/events/{event.id}/").content.decode()
    assert "FISIP Universitas Tanjungpura" in page and "Sebunga" in page and ">23<" in page


def test_invalid_events_are_refused_and_nothing_is_stored(signed_in):
    client = signed_in("gt.kalbar")
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = client.post("/prevention/events/new/", _form(audiences=[]))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"audiences"}
    response = client.post(
        "/prevention/events/new/", _form(held_on=future, title="Call 081234567890")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"held_on", "title"}
    # A village of another province is outside the coordinator's area.
    response = client.post("/prevention/events/new/", _form(village=SENGGARANG))
    assert "village" in response.context["form"].errors
    assert OutreachEvent.objects.count() == 0
    assert not AuditEvent.objects.filter(action="prevention.event.create").exists()


def test_the_owner_agency_must_be_one_the_actor_manages(coordinator):
    kepri = Agency.objects.get(name="GT PP-TPPO Provinsi Kepulauan Riau")
    with pytest.raises(PermissionDenied):
        actions.create_event(coordinator, event_data(SENGGARANG), owner_agency=kepri)
    assert OutreachEvent.objects.count() == 0


def test_events_are_seen_only_within_the_agency_jurisdiction(
    signed_in, coordinator, kalbar, kepri_coordinator
):
    analyst = kepri_coordinator
    kepri = Agency.objects.get(name="GT PP-TPPO Provinsi Kepulauan Riau")
    ours = make_event(coordinator, kalbar, n_questions=0)
    theirs = make_event(analyst, kepri, SENGGARANG, n_questions=0)
    assert list(queries.events_for(coordinator)) == [ours]
    assert list(queries.events_for(analyst)) == [theirs]
    client = signed_in("gt.kalbar")
    listed = client.get("/prevention/events/").context["events"]
    assert [e.id for e in listed] == [ours.id]
    assert client.get(f"/prevention/events/{theirs.id}/").status_code == 404
    assert client.get(f"/prevention/events/{theirs.id}/results/").status_code == 404
    denied = AuditEvent.objects.filter(
        action="prevention.event.access", record_id=str(theirs.id), outcome="denied"
    )
    assert denied.count() == 2


def test_roles_without_the_prevention_permission_are_refused(signed_in):
    client = signed_in("pekerja.sambas")
    for path in ["/prevention/", "/prevention/events/", "/prevention/coverage/"]:
        assert client.get(path).status_code == 403, path


def test_an_event_is_changed_with_optimistic_locking(signed_in, coordinator, kalbar):
    event = make_event(coordinator, kalbar, n_questions=0)
    client = signed_in("gt.kalbar")
    form = _form(title="Sosialisasi diperbarui", version=event.version)
    response = client.post(f"/prevention/events/{event.id}/edit/", form)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.version) == ("Sosialisasi diperbarui", 2)
    stale = client.post(f"/prevention/events/{event.id}/edit/", _form(title="Old", version=1))
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors()
    event.refresh_from_db()
    assert event.title == "Sosialisasi diperbarui"
    with pytest.raises(StaleRecordError):
        actions.update_event(coordinator, event, event_data(), expected_version=1)


def test_identifiers_are_kept_out_of_free_text(coordinator, kalbar):
    for text in ["NIK 6101094107900001", "WA 0812-3456-7890", "ketua@example.org"]:
        with pytest.raises(ValidationError) as exc:
            actions.create_event(coordinator, event_data(materials_note=text), owner_agency=kalbar)
        assert "materials_note" in exc.value.message_dict
    assert OutreachEvent.objects.count() == 0
