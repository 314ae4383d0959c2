"""Community volunteers (sealed contact details) and issues raised in hearing discussions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from simpul.accounts.models import User
from simpul.audit.models import AuditEvent
from simpul.prevention import actions, results
from simpul.prevention.models import (
    OutreachEvent,
    RaisedIssue,
    Volunteer,
    VolunteerReport,
    VolunteerTraining,
)
from simpul.regions.models import Region
from tests.prevention.conftest import SANTABAN, SEBUNGA, SENGGARANG, in_english, make_event

pytestmark = pytest.mark.django_db


def _volunteer(client, **extra):
    data = {
        "name": "Yohana Lestari",
        "phone": "0812 3456 7890",
        "network": "sapa",
        "village": SEBUNGA,
        "since": "2024-03-01",
    }
    data.update(extra)
    return client.post("/prevention/volunteers/new/", data)


def test_a_volunteer_is_recorded_with_sealed_contact_details(signed_in):
    client = signed_in("gt.kalbar")
    response = _volunteer(client)
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.masked_name == "Y••• L•••"
    assert "Yohana" not in volunteer.contact_sealed and "3456" not in volunteer.contact_sealed
    listed = client.get("/prevention/volunteers/").content.decode()
    assert "Y••• L•••" in listed and "Yohana" not in listed
    detail = client.get(f"/prevention/volunteers/{volunteer.id}/").content.decode()
    assert "Yohana" not in detail
    shown = client.post(f"/prevention/volunteers/{volunteer.id}/contact/")
    html = shown.content.decode()
    assert "Yohana Lestari" in html and "+6281234567890" in html
    assert (
        AuditEvent.objects.filter(
            action="prevention.volunteer.contact", record_id=str(volunteer.id)
        ).count()
        == 1
    )


def test_volunteer_input_is_validated(signed_in):
    client = signed_in("gt.kalbar")
    response = _volunteer(client, village=SENGGARANG)  # the picker accepts only province 61
    assert set(response.context["form"].errors) == {"village"}
    response = _volunteer(client, phone="not a phone", name="x")
    assert set(response.context["form"].errors) == {"phone", "name"}
    assert Volunteer.objects.count() == 0


def test_trainings_and_reports_are_recorded_and_counted(signed_in):
    client = signed_in("gt.kalbar")
    _volunteer(client)
    _volunteer(client, name="Markus Ahui", village=SANTABAN, network="patbm")
    first, second = Volunteer.objects.order_by("village_id")
    response = client.post(
        "/prevention/volunteers/trainings/new/",
        {
            "title": "Pelatihan relawan SAPA",
            "held_on": "2025-06-01",
            "hours": "6",
            "topics": ["forms_modus", "where_to_report"],
            "organiser": "UPTD PPA",
            "volunteers": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    training = VolunteerTraining.objects.get()
    assert set(training.volunteers.all()) == {first, second}
    report = client.post(
        f"/prevention/volunteers/{first.id}/report/",
        {
            "received_on": dt.date.today().isoformat(),
            "kind": "suspicious_recruitment",
            "village": SEBUNGA,
            "intake_reference": "adu-26-abc234",
        },
    )
    assert report.status_code == 302
    assert VolunteerReport.objects.get().intake_reference == "ADU-26-ABC234"
    refused = client.post(
        f"/prevention/volunteers/{first.id}/report/",
        {
            "received_on": dt.date.today().isoformat(),
            "kind": "other",
            "village": SEBUNGA,
            "intake_reference": "Ibu Siti",
        },
    )
    assert "intake_reference" in refused.context["form"].errors
    listed = client.get("/prevention/volunteers/").context["volunteers"]
    counts = {v.code: (v.n_trainings, v.n_reports) for v in listed}
    assert counts == {first.code: (1, 1), second.code: (1, 0)}
    overview = client.get("/prevention/").context
    assert overview["volunteers"] == 2 and overview["volunteer_reports_12m"] == 1


def test_volunteers_of_another_province_are_out_of_reach(signed_in, kepri_coordinator):
    kepri_analyst = kepri_coordinator
    kepri = kepri_analyst.memberships.get().agency
    volunteer = actions.create_volunteer(
        kepri_analyst,
        actions.VolunteerData("Nur Aini", "", "sapa", Region.objects.get(pk=SENGGARANG)),
        owner_agency=kepri,
    )
    client = signed_in("gt.kalbar")
    assert client.get(f"/prevention/volunteers/{volunteer.id}/").status_code == 404
    assert client.post(f"/prevention/volunteers/{volunteer.id}/contact/").status_code == 404
    assert not AuditEvent.objects.filter(action="prevention.volunteer.contact").exists()
    with pytest.raises(ValidationError):
        coordinator = User.objects.get(username="gt.kalbar")
        actions.record_training(
            coordinator,
            actions.TrainingData("T", dt.date.today(), 2, []),
            [volunteer],
            owner_agency=coordinator.memberships.get().agency,
        )


def test_issues_are_coded_counted_and_trended(signed_in, coordinator, kalbar):
    event = make_event(coordinator, kalbar, n_questions=0)
    older = make_event(coordinator, kalbar, n_questions=0)
    OutreachEvent.objects.filter(pk=older.pk).update(
        held_on=dt.date.today() - dt.timedelta(days=200)
    )
    client = signed_in("gt.kalbar")
    url = f"/prevention/events/{event.id}/issues/"
    assert (
        client.post(
            url,
            {
                "theme": "unofficial_routes",
                "mentions": 4,
                "summary": "Banyak yang lewat jalan tikus ke Sarawak",
            },
        ).status_code
        == 302
    )
    assert client.post(url, {"theme": "stigma", "mentions": 2}).status_code == 302
    refused = client.post(url, {"theme": "debts", "mentions": 1, "summary": "Hub. 081234567890"})
    assert "summary" in refused.context["form"].errors
    actions.add_issue(coordinator, older, "unofficial_routes", 3)
    labels, trends = results.issue_trends(OutreachEvent.objects.all(), dt.date.today())
    assert len(labels) == 8
    by_theme = {t.theme: t for t in trends}
    assert by_theme["unofficial_routes"].total == 7 and by_theme["unofficial_routes"].events == 2
    assert trends[0].theme == "unofficial_routes"
    page = in_english(client).get("/prevention/issues/")
    assert page.status_code == 200 and "Unofficial routes" in page.content.decode()
    stigma = RaisedIssue.objects.get(theme="stigma")
    client.post(url, {"remove": stigma.pk})
    assert not RaisedIssue.objects.filter(pk=stigma.pk).exists()
    assert AuditEvent.objects.filter(action="prevention.issue.delete").count() == 1
