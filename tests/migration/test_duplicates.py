"""The duplicate warning on the migration forms: a departure or a return for someone already
recorded under a misspelt name (and another NIK or none) shows the possible person with the
reasons first; nothing is written until the user answers; the check and the answer are
audited. The migration actions find or create the person through identity's
`find_or_create_person`."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.identity.models import Person
from simpul.migration.models import Departure, ReturnEvent
from tests.migration.builders import SEBUNGA, identity, nik, register

BORN = date(1995, 3, 12)


def _departure_form(**values: str) -> dict[str, str]:
    data = {
        "full_name": "Siti Aminha",  # "Siti Aminah" with a typo
        "nik": nik(BORN, 9005),  # the recorded NIK with one digit mistyped
        "birth_date": BORN.isoformat(),
        "sex": "F",
        "home_village": SEBUNGA,
        "planned_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "destination_country": "MY",
        "job": "plantation",
        "channel": "p3mi",
        "recruiter": "licensed_company",
        "route": "official_border",
        "travel_document": "work_visa",
        "travel_purpose": "work",
        "checkin_months": "1, 3",
        "family_contact_name": "Ibu Maria",
        "family_contact_phone": "0812 3456 7890",
    }
    data.update(values)
    return data


def test_a_misspelt_departure_warns_first_then_reuses_the_chosen_person(people, signed_in):
    first = register(people.desa, identity(name="Siti Aminah", born=BORN, serial=9001))
    client = signed_in("desa.sebunga")
    counts = (Person.objects.count(), Departure.objects.count())
    warned = client.post(reverse("migration:departure_create"), _departure_form())
    assert warned.status_code == 200
    assert (Person.objects.count(), Departure.objects.count()) == counts
    html = warned.content.decode()
    assert re.findall(r'data-person="(P-[A-Z0-9]+)"', html) == [first.person.code]
    reasons = re.findall(r'data-reason="([a-z_]+)"', html)
    assert reasons == ["nik_typo", "name_similar", "birth_date", "birth_year", "regency"]
    assert 'value="Siti Aminha"' in html  # nothing typed is lost
    check = AuditEvent.objects.get(action="person.duplicate_check")
    assert check.count == 1 and check.actor_username == "desa.sebunga"
    same = client.post(
        reverse("migration:departure_create"),
        _departure_form(duplicate_choice=str(first.person.id)),
    )
    assert same.status_code == 302
    assert Person.objects.count() == counts[0]
    assert Departure.objects.count() == counts[1] + 1
    assert Departure.objects.order_by("-created_at").first().person_id == first.person_id
    assert AuditEvent.objects.filter(
        action="person.duplicate_decision", reason="linked", record_id=str(first.person.id)
    ).exists()


def test_a_return_for_someone_else_is_recorded_once_the_user_says_so(people, signed_in):
    client = signed_in("pos.aruk")
    form = {
        "full_name": "Dewi Lestari",
        "birth_date": BORN.isoformat(),
        "sex": "F",
        "home_region": SEBUNGA,
        "returned_on": timezone.localdate().isoformat(),
        "entry_point": "PLBN_ARUK",
        "kind": "deportation",
        "from_country": "MY",
        "travel_document": "splp",
        "passport": "SPLP 4410",
    }
    first = client.post(reverse("migration:return_create"), form)
    assert first.status_code == 302, first.context["form"].errors
    persons, returns = Person.objects.count(), ReturnEvent.objects.count()
    other_day = {
        **form,
        "full_name": "Dewi Lestary",
        "passport": "SPLP 7720",
        "returned_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }
    warned = client.post(reverse("migration:return_create"), other_day)
    assert 'data-candidates="1"' in warned.content.decode()
    assert (Person.objects.count(), ReturnEvent.objects.count()) == (persons, returns)
    new = client.post(reverse("migration:return_create"), {**other_day, "duplicate_choice": "new"})
    assert new.status_code == 302
    assert (Person.objects.count(), ReturnEvent.objects.count()) == (persons + 1, returns + 1)
    assert (
        AuditEvent.objects.filter(
            action="person.duplicate_decision", reason="confirmed_new"
        ).count()
        == 1
    )
