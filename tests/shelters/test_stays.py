"""Stays: the database keeps one open stay per person; check-in refuses a full shelter unless
an overflow reason is given; a shelter with a resident cannot close; the stay's decisions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.shelters import actions, queries
from simpul.shelters.codes import ExitReason, ShelterStatus, StayStatus
from simpul.shelters.models import Shelter, Stay, StayEvent
from tests.cases.helpers import indonesian
from tests.shelters.helpers import checked_in, make_shelter, officer, planned, resident


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_stay_for_one_person(world):
    shelter, other = make_shelter(), make_shelter(name="Rumah Aman Kedua")
    person = resident()
    first = planned(shelter, person)
    # Below every action: a raw insert of a second open stay is refused by the partial index.
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(
            owner_agency_id=other.operator_agency_id,
            shelter=other,
            person=person,
            status=StayStatus.CHECKED_IN,
        )
    # Through the action: a clear refusal at the person field, nothing written.
    with pytest.raises(ValidationError) as refused:
        actions.plan_stay(officer(), other, person)
    assert "person" in refused.value.message_dict
    assert list(Stay.objects.filter(person=person)) == [first]
    # Closed stays do not count: after check-out the person may be planned again.
    actions.check_in(officer(), first, consent_basis="own")
    actions.check_out(officer(), first, exit_reason=ExitReason.TRANSFERRED)
    again = actions.plan_stay(officer(), other, person)
    assert Stay.objects.filter(person=person).count() == 2
    assert again.status == StayStatus.PLANNED


@pytest.mark.django_db
def test_a_full_shelter_refuses_check_in_unless_an_overflow_reason_is_given(world):
    shelter = make_shelter(beds=2, blocked=1)  # one usable bed
    checked_in(shelter)
    waiting = planned(shelter)
    with pytest.raises(ValidationError) as refused:
        actions.check_in(officer(), waiting, consent_basis="own")
    assert "overflow_reason" in refused.value.message_dict
    waiting.refresh_from_db()
    assert (waiting.status, waiting.version) == (StayStatus.PLANNED, 1)
    admitted = actions.check_in(
        officer(), waiting, consent_basis="own", overflow_reason="Korban anak, malam hari"
    )
    assert admitted.status == StayStatus.CHECKED_IN
    assert admitted.overflow_reason == "Korban anak, malam hari"
    assert queries.beds_now(shelter).available == 0


@pytest.mark.django_db
def test_check_in_needs_the_stay_consent_and_sets_the_default_length(world):
    shelter = make_shelter(kind="rumah_aman")
    stay = planned(shelter)
    with pytest.raises(ValidationError) as refused:
        actions.check_in(officer(), stay)
    assert "consent_basis" in refused.value.message_dict
    stay = actions.check_in(officer(), stay, consent_basis="guardian")
    # Rumah aman: 1 x 7 days (the safe-house SOP), then extension decisions.
    assert stay.stay_until == timezone.localdate() + timedelta(days=7)
    assert (stay.consent_basis, stay.consent_recorded_by) == ("guardian", officer())


@pytest.mark.django_db
def test_closing_a_shelter_with_a_resident_is_refused_and_changes_nothing(world):
    shelter = make_shelter()
    stay = checked_in(shelter)
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.close_shelter(officer(), shelter, version=shelter.version)
    assert refused.value.messages == [
        indonesian(
            "The shelter cannot close while %(n)d residents are checked in: check them out first.",
            n=1,
        )
    ]
    fresh = Shelter.objects.get(pk=shelter.pk)
    assert (fresh.status, fresh.version) == (ShelterStatus.OPEN, shelter.version)
    assert AuditEvent.objects.count() == audits
    # A temporarily absent resident still holds the bed: still refused.
    actions.mark_absent(officer(), stay)
    with pytest.raises(ValidationError):
        actions.close_shelter(officer(), shelter)
    actions.mark_back(officer(), stay)
    actions.check_out(officer(), stay, exit_reason=ExitReason.RETURNED_HOME)
    closed = actions.close_shelter(officer(), shelter)
    assert closed.status == ShelterStatus.CLOSED
    with pytest.raises(ValidationError):
        actions.plan_stay(officer(), closed, resident())


@pytest.mark.django_db
def test_the_stay_life_is_recorded_as_history_and_wrong_steps_are_refused(world):
    shelter = make_shelter()
    stay = checked_in(shelter)
    with pytest.raises(ValidationError):
        actions.cancel_stay(officer(), stay, reason="salah input")  # checked in: cannot cancel
    until = stay.stay_until + timedelta(days=14)
    actions.extend_stay(officer(), stay, until=until, reason="Menunggu sidang")
    with pytest.raises(ValidationError) as refused:
        actions.extend_stay(officer(), stay, until=until, reason="Lagi")
    assert "until" in refused.value.message_dict
    review = timezone.localdate() + timedelta(days=1)
    actions.restrict_movement(
        officer(), stay, kind="no_outings", legal_basis="UU 31/2014 Pasal 5", review_on=review
    )
    stay.refresh_from_db()
    assert stay.stay_until == until
    assert stay.extensions.get().decided_by == officer()
    assert queries.restrictions_due(officer()).count() == 1
    stay = actions.check_out(officer(), stay, exit_reason=ExitReason.MOVED_TO_FAMILY)
    assert list(StayEvent.objects.filter(stay=stay).values_list("from_status", "to_status")) == [
        ("", StayStatus.PLANNED),
        (StayStatus.PLANNED, StayStatus.CHECKED_IN),
        (StayStatus.CHECKED_IN, StayStatus.CHECKED_OUT),
    ]


@pytest.mark.django_db
def test_custody_needs_consent_and_a_document_held_after_check_out_is_flagged(world):
    shelter = make_shelter()
    stay = checked_in(shelter)
    with pytest.raises(ValidationError) as refused:
        actions.receive_document(officer(), stay, document_type="passport", consent=False)
    assert "consent" in refused.value.message_dict
    passport = actions.receive_document(
        officer(), stay, document_type="passport", number="C1234567", consent=True
    )
    assert passport.number_index and "C1234567" not in passport.number_index
    assert queries.held_after_checkout(officer()).count() == 0
    actions.check_out(officer(), stay, exit_reason=ExitReason.RETURNED_HOME)
    assert list(queries.held_after_checkout(officer())) == [passport]
    actions.return_document(officer(), passport)
    assert queries.held_after_checkout(officer()).count() == 0


@pytest.mark.django_db
def test_only_the_operating_agency_writes_its_stays(world):
    from simpul.accounts.models import User

    shelter = make_shelter()
    stay = planned(shelter)
    with pytest.raises(PermissionDenied):
        actions.check_in(User.objects.get(username="pekerja.tpi"), stay, consent_basis="own")
    stay.refresh_from_db()
    assert stay.status == StayStatus.PLANNED
