"""Issue 13: the hotline form is one action (`intake.actions.record_hotline_report`): the
person concerned goes through `identity.actions.find_or_create_person`, the duplicate decision
is shown with everything typed kept, and a refusal anywhere stores nothing."""

import pytest
from django.core.exceptions import ValidationError

from simpul.accounts.models import User
from simpul.audit.models import AuditEvent
from simpul.identity.actions import NEW_PERSON
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.intake.actions import Caller, IntakeDetails, record_hotline_report
from simpul.intake.models import Intake, IntakePerson

pytestmark = pytest.mark.django_db

FORM = {
    "narrative": "Ibu menelpon: anaknya hilang di Malaysia.",
    "channel": "hotline",
    "place_region": "61.01.09",
    "concerned_name": "Yuliana Siregar",
    "concerned_phone": "0812 7777 1111",
}


def _details() -> IntakeDetails:
    return IntakeDetails(channel="hotline", narrative="Laporan telepon")


def test_possible_duplicates_keep_what_was_typed_store_nothing_and_are_audited(signed_in):
    client = signed_in("operator.sambas")
    assert client.post("/intake/new/", FORM).status_code == 302
    persons, intakes = Person.objects.count(), Intake.objects.count()
    checks = AuditEvent.objects.filter(action="person.duplicate_check").count()
    typed = {**FORM, "narrative": "Telepon kedua", "reporter_phone": "0813 1111 2222"}
    shown = client.post("/intake/new/", typed)
    assert shown.status_code == 200
    assert len(shown.context["candidates"]) == 1
    form = shown.context["form"]
    assert form["narrative"].value() == "Telepon kedua"
    assert form["concerned_name"].value() == "Yuliana Siregar"
    assert form["reporter_phone"].value() == "0813 1111 2222"
    assert (Person.objects.count(), Intake.objects.count()) == (persons, intakes)
    assert AuditEvent.objects.filter(action="person.duplicate_check").count() == checks + 1
    # "Someone else": a second person and a second report, the decision audited.
    done = client.post("/intake/new/", {**typed, "duplicate_choice": NEW_PERSON})
    assert done.status_code == 302
    assert (Person.objects.count(), Intake.objects.count()) == (persons + 1, intakes + 1)
    decision = AuditEvent.objects.filter(action="person.duplicate_decision").latest("id")
    assert decision.reason == "confirmed_new"


def test_a_refused_caller_leaves_no_person_concerned_behind(world):
    operator = User.objects.get(username="operator.sambas")
    persons = Person.objects.count()
    with pytest.raises(ValidationError) as refused:
        record_hotline_report(
            operator,
            _details(),
            concerned=IdentityData(full_name="Dewi Lestari Ningsih"),
            caller=Caller(name="Ibu Dewi", phone="not a phone"),
        )
    assert set(refused.value.message_dict) == {"reporter_phone"}
    assert Person.objects.count() == persons
    assert Intake.objects.count() == 0


def test_the_report_its_person_and_its_caller_are_written_together(world):
    operator = User.objects.get(username="operator.sambas")
    persons = Person.objects.count()
    outcome = record_hotline_report(
        operator,
        _details(),
        concerned=IdentityData(full_name="Dewi Lestari Ningsih"),
        caller=Caller(phone="0812 3456 7890", anonymous=True),
    )
    intake = outcome.intake
    assert intake is not None and outcome.candidates == []
    assert Person.objects.count() == persons + 1
    assert IntakePerson.objects.filter(intake=intake).count() == 1
    assert intake.reporter is None and intake.reporter_contact_sealed


def test_errors_of_the_person_concerned_and_of_the_caller_show_together(signed_in):
    client = signed_in("operator.sambas")
    typed = {**FORM, "concerned_nik": "123", "reporter_name": "Ibu", "reporter_phone": "abc"}
    refused = client.post("/intake/new/", typed)
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert set(errors) == {"concerned_nik", "reporter_phone"}
    assert refused.context["form"]["reporter_phone"].value() == "abc"
    assert Intake.objects.count() == 0
