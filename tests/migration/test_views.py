"""The pages: every migration URL is closed, forms go through the actions, statistics
suppress small counts for aggregate-only roles."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from simpul.accounts.models import User
from simpul.audit.models import AuditEvent
from simpul.intake.models import Intake
from simpul.migration import actions
from simpul.migration.models import Departure, ReturnEvent
from tests.conftest import sign_in
from tests.migration.builders import SEBUNGA, identity, nik, register
from tests.migration.test_import import _csv, _row

pytestmark = pytest.mark.django_db


def _migration_urls():
    resolver = get_resolver()
    for p in resolver.url_patterns:
        if getattr(p, "namespace", None) == "migration":
            for sub in p.url_patterns:
                assert isinstance(sub, URLPattern)
                path = "/migration/" + re.sub(r"<uuid:\w+>", str(uuid.uuid4()), str(sub.pattern))
                yield path, sub.callback


def test_every_migration_url_is_closed_and_declares_its_permission(world):
    urls = list(_migration_urls())
    assert len(urls) >= 25
    anonymous = Client()
    User.objects.create_user("norole", password="a-long-enough-passphrase")
    no_role = sign_in(Client(), "norole", "a-long-enough-passphrase")
    for path, callback in urls:
        assert getattr(callback, "simpul_perm", None) is not None, path
        for method in ("get", "post"):
            response = getattr(anonymous, method)(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/login/")
        assert no_role.get(path).status_code == 403, path


def test_pages_render_for_the_roles_that_use_them(people, signed_in):
    d = register(people.desa, already_left=True, departed_on=timezone.localdate())
    desa = signed_in("desa.sebunga")
    for name, kwargs in [
        ("migration:register", {}),
        ("migration:departure_create", {}),
        ("migration:departure_detail", {"departure_id": d.id}),
        ("migration:missing_list", {}),
        ("migration:missing_create", {}),
        ("migration:missing_from_departure", {"departure_id": d.id}),
        ("migration:statistics", {}),
        ("migration:decision_list", {}),
    ]:
        assert desa.get(reverse(name, kwargs=kwargs)).status_code == 200, name
    pos = signed_in("pos.aruk")
    assert pos.get(reverse("migration:register")).status_code == 302
    for name in [
        "return_list",
        "return_create",
        "return_import",
        "screening_list",
        "screening_create",
        "decision_create",
        "statistics",
    ]:
        assert pos.get(reverse(f"migration:{name}")).status_code == 200, name
    assert pos.get(reverse("migration:departure_create")).status_code == 403


def test_registering_a_departure_through_the_form(people, signed_in):
    client = signed_in("desa.sebunga")
    born = timezone.localdate().replace(year=1998, month=7, day=1)
    response = client.post(
        reverse("migration:departure_create"),
        {
            "full_name": "Yuliana Kristina",
            "nik": nik(born, 9400),
            "birth_date": born.isoformat(),
            "sex": "F",
            "home_village": SEBUNGA,
            "planned_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "destination_country": "MY",
            "job": "plantation",
            "channel": "unlicensed_agent",
            "recruiter": "unlicensed",
            "route": "unofficial",
            "travel_document": "visit_pass",
            "travel_purpose": "family_visit",
            "checkin_months": "1, 2, 6",
            "doc_passport": "on",
            "family_contact_name": "Ibu Maria",
            "family_contact_phone": "0812 3456 7890",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    d = Departure.objects.get()
    assert d.procedural_status == "non_procedural"
    assert d.checkin_months == [1, 2, 6]
    page = client.get(response["Location"]).content.decode()
    assert "Dokumen Pasal 13 yang belum ada: Surat keterangan status perkawinan" in page
    # the sealed contacts open only with a reason, and the opening is audited
    reveal = client.post(
        reverse("migration:departure_contacts", kwargs={"departure_id": d.id}),
        {"reason": "calling the family for the check-in"},
    )
    assert "Ibu Maria" in reveal.content.decode()
    assert AuditEvent.objects.filter(action="departure.reveal", record_id=str(d.id)).count() == 1


def test_a_form_error_keeps_the_page_and_changes_nothing(people, signed_in):
    client = signed_in("desa.sebunga")
    response = client.post(reverse("migration:departure_create"), {"full_name": "X"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Departure.objects.count() == 0


def test_check_in_with_referral_through_the_page(people, signed_in):
    d = register(people.desa, already_left=True, departed_on=timezone.localdate())
    client = signed_in("desa.sebunga")
    response = client.post(
        reverse("migration:checkin_create", kwargs={"departure_id": d.id}),
        {
            "contacted_on": timezone.localdate().isoformat(),
            "outcome": "problem",
            "contact_with": "family",
            "problems": ["confined"],
            "refer": "on",
        },
    )
    assert response.status_code == 302
    assert Intake.objects.get().source_id == str(d.checkins.exclude(outcome="").get().id)


def test_upload_a_deportee_list(people, signed_in):
    client = signed_in("pos.aruk")
    bad = _csv([_row(0, tanggal_tiba="kemarin")])
    response = client.post(
        reverse("migration:return_import"), {"file": SimpleUploadedFile("a.csv", bad)}
    )
    assert response.status_code == 422
    assert response.context["result"].errors[0].row == 2
    good = _csv([_row(i) for i in range(3)])
    response = client.post(
        reverse("migration:return_import"),
        {"file": SimpleUploadedFile("a.csv", good), "list_reference": "L1"},
    )
    assert response.status_code == 200 and response.context["result"].created == 3
    assert ReturnEvent.objects.count() == 3


def test_screen_and_refer_a_returnee_through_the_page(people, signed_in):
    from simpul.identity.data import IdentityData
    from tests.migration.builders import return_input

    event = actions.record_return(
        people.pos, IdentityData(full_name="Ani", passport="S1"), return_input()
    )
    client = signed_in("pos.aruk")
    response = client.post(
        reverse("migration:return_screen", kwargs={"return_id": event.id}),
        {
            "outcome": "referred",
            "red_flags": ["passport_held"],
            "tasks": ["check_documents"],
        },
    )
    assert response.status_code == 302
    assert ReturnEvent.objects.get().referred_intake is not None


def test_statistics_count_exactly_in_scope_and_suppress_small_counts_for_the_task_force(
    people, signed_in
):
    register(people.desa, identity(serial=9501))
    register(people.desa, identity(serial=9502), route="unofficial")
    desa = signed_in("desa.sebunga").get(reverse("migration:statistics"))
    [row] = desa.context["tables"]["area"]
    assert row.counts["total"] == 2 and row.counts["non_procedural"] == 1
    gt = signed_in("gt.kalbar").get(reverse("migration:statistics"))
    assert gt.status_code == 200
    [row] = gt.context["tables"]["area"]
    assert row.label == "Kabupaten Sambas" and str(row.counts["total"]) == "<11"
    assert signed_in("admin.sambas").get(reverse("migration:statistics")).status_code == 403
