"""Issue 13: the interview is one action (`screening.actions.run_interview`): someone new is
added to the report through find-or-create-person (duplicates shown with the answers kept),
and a refused screening leaves no new person behind."""

import pytest
from django.urls import reverse

from simpul.identity.actions import NEW_PERSON
from simpul.identity.models import Person
from simpul.intake.models import IntakePerson
from simpul.screening.models import RuleSet, ScreeningResult

pytestmark = pytest.mark.django_db

NEW = {"subject": "new", "p-full_name": "Siti Aminah", "p-phone": "0812 5555 1234"}


def test_someone_new_is_added_then_a_second_time_shown_as_a_duplicate(intake, signed_in):
    client = signed_in("operator.sambas")
    url = reverse("screening:interview", args=[intake.id])
    assert client.post(url, {**NEW, "d1_wages": "on"}).status_code == 302
    first = ScreeningResult.objects.get()
    assert IntakePerson.objects.filter(intake=intake, person=first.person).exists()
    persons = Person.objects.count()
    shown = client.post(url, {**NEW, "d1_wages": "on", "age_at_act": "17"})
    assert shown.status_code == 200
    assert [c.person for c in shown.context["candidates"]] == [first.person]
    html = shown.content.decode()
    assert 'value="17"' in html and 'value="Siti Aminah"' in html
    assert (Person.objects.count(), ScreeningResult.objects.count()) == (persons, 1)
    # The operator says it is the same person: screened again, nobody new.
    same = client.post(url, {**NEW, "p-duplicate_choice": str(first.person.pk)})
    assert same.status_code == 302
    assert Person.objects.count() == persons
    assert ScreeningResult.objects.filter(person=first.person).count() == 2


def test_a_refused_screening_leaves_no_new_person_behind(intake, signed_in):
    RuleSet.objects.all().delete()  # no rule set valid today: screening is refused
    client = signed_in("operator.sambas")
    persons = Person.objects.count()
    url = reverse("screening:interview", args=[intake.id])
    refused = client.post(url, {**NEW, "p-duplicate_choice": NEW_PERSON})
    assert refused.status_code == 422
    assert refused.context["form"].non_field_errors()
    assert Person.objects.count() == persons
    assert not IntakePerson.objects.filter(intake=intake).exists()
    assert ScreeningResult.objects.count() == 0
