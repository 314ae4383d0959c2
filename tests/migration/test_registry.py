"""Departure registry and check-ins through the actions: exact outcomes, and refused actions
change nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.core.errors import StaleRecordError
from simpul.core.models import AccessGrant
from simpul.identity.models import Person
from simpul.intake.models import Intake
from simpul.migration import actions
from simpul.migration.codes import CheckInOutcome, ProceduralStatus, RedFlag, Stage
from simpul.migration.models import CheckIn, Departure, DepartureDocument
from simpul.migration.schedule import add_months
from tests.migration.builders import ALL_DOCS, SEBUNGA, identity, register

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Departure.objects.count(),
        CheckIn.objects.filter(outcome="").count(),
        CheckIn.objects.exclude(outcome="").count(),
        Person.objects.count(),
        Intake.objects.count(),
    )


def test_a_complete_departure_is_procedural_with_a_schedule_of_check_ins(people):
    before = Person.objects.count()
    d = register(people.desa)
    assert d.procedural_status == ProceduralStatus.PROCEDURAL
    assert d.status_reasons == [] and d.risk_flags == []
    assert d.scope_region_id == SEBUNGA
    assert d.owner_agency.name == "Pemerintah Desa Sebunga"
    assert d.stage == Stage.PLANNED
    assert Person.objects.count() == before + 1
    assert DepartureDocument.objects.filter(departure=d, present=True).count() == 8
    due = list(CheckIn.objects.filter(departure=d).values_list("due_on", flat=True))
    assert due == [add_months(d.planned_on, m) for m in (1, 3, 6, 12)]
    assert set(CheckIn.objects.filter(departure=d).values_list("scope_region_id", flat=True)) == {
        SEBUNGA
    }
    assert d.age_at_departure == d.planned_on.year - 1995 - (
        (d.planned_on.month, d.planned_on.day) < (3, 12)
    )
    event = AuditEvent.objects.get(action="departure.create", record_id=str(d.id))
    assert "person" in event.fields and event.reason == "procedural"


def test_incomplete_documents_reported_by_family_after_leaving_is_non_procedural(people):
    docs = dict(ALL_DOCS, work_visa=(False, False), health_cert=(False, False))
    d = register(
        people.desa,
        documents=docs,
        already_left=True,
        departed_on=timezone.localdate() - timedelta(days=40),
        travel_document="visit_pass",
        travel_purpose="tourism",
    )
    assert d.stage == Stage.AWAY
    assert d.procedural_status == ProceduralStatus.NON_PROCEDURAL
    assert [r["code"] for r in d.status_reasons] == ["documents_missing", "no_work_visa_document"]
    assert d.status_reasons[0]["params"] == {"documents": ["health_cert", "work_visa"]}
    assert d.risk_flags == [RedFlag.VISIT_PASS_FOR_WORK, RedFlag.COVER_TOURISM]
    first_due = CheckIn.objects.filter(departure=d).order_by("due_on").first()
    assert first_due.due_on == add_months(d.departed_on, 1)


def test_the_same_nik_reuses_the_vault_person(people):
    d1 = register(people.desa)
    d2 = register(people.desa, identity(name="Siti Aminah binti Usman"))
    assert d1.person_id == d2.person_id


def test_an_age_that_differs_from_the_nik_is_flagged(people):
    forged = identity(serial=9002)
    forged.birth_date = "1990-03-12"  # the NIK says 1995: a forged KTP
    d = register(people.desa, forged)
    assert RedFlag.AGE_MISMATCH in d.risk_flags


def test_a_minor_is_non_procedural(people):
    child = identity(born=date(timezone.localdate().year - 16, 1, 5), serial=9003)
    d = register(people.desa, child)
    assert d.procedural_status == ProceduralStatus.NON_PROCEDURAL
    assert RedFlag.MINOR in d.risk_flags


def test_documents_arriving_later_make_it_procedural_and_a_stale_update_changes_nothing(people):
    d = register(people.desa, documents={"passport": (True, False)})
    assert d.procedural_status == ProceduralStatus.INCOMPLETE
    updated = actions.update_documents(people.desa, d, dict(ALL_DOCS), expected_version=d.version)
    assert updated.procedural_status == ProceduralStatus.PROCEDURAL
    assert updated.version == d.version + 1
    with pytest.raises(StaleRecordError):
        actions.update_documents(people.desa, d, {}, expected_version=d.version)
    fresh = Departure.objects.get(pk=d.pk)
    assert fresh.procedural_status == ProceduralStatus.PROCEDURAL
    assert DepartureDocument.objects.filter(departure=d, present=True).count() == 8


def test_confirming_the_departure_restarts_the_schedule_and_hardens_the_status(people):
    d = register(people.desa, documents={"passport": (True, False)})
    left = timezone.localdate() - timedelta(days=3)
    confirmed = actions.confirm_departure(people.desa, d, left, expected_version=d.version)
    assert confirmed.stage == Stage.AWAY
    assert confirmed.procedural_status == ProceduralStatus.NON_PROCEDURAL
    due = list(CheckIn.objects.filter(departure=d).values_list("due_on", flat=True))
    assert due == [add_months(left, m) for m in (1, 3, 6, 12)]


def test_check_ins_fill_the_schedule_and_a_problem_becomes_an_intake_in_one_action(people):
    left = timezone.localdate() - timedelta(days=100)
    d = register(people.desa, already_left=True, departed_on=left)
    first = actions.record_check_in(
        people.desa,
        d,
        actions.CheckInInput(
            contacted_on=add_months(left, 1), outcome="well", contact_with="family"
        ),
    )
    assert first.due_on == add_months(left, 1)
    second = actions.record_check_in(
        people.desa,
        d,
        actions.CheckInInput(
            contacted_on=timezone.localdate(),
            outcome=CheckInOutcome.PROBLEM,
            contact_with="migrant",
            problems=["unpaid_wages", "documents_held"],
            note="Majikan menahan paspor.",
        ),
        refer=True,
    )
    assert second.due_on == add_months(left, 3)
    intake = second.referred_intake
    assert intake is not None
    assert intake.owner_agency.name == "UPTD PPA Kabupaten Sambas"
    assert intake.channel == "referral_village"
    assert intake.source_type == "migration.checkin" and intake.source_id == str(second.id)
    assert list(intake.persons.values_list("person_id", flat=True)) == [d.person_id]
    assert AccessGrant.objects.filter(
        record_id=d.person_id, agency=intake.owner_agency, kind="referral"
    ).exists()
    before = _counts()
    with pytest.raises(ValidationError):
        actions.refer_check_in(people.desa, second)
    assert _counts() == before


def test_an_unscheduled_contact_is_kept_apart(people):
    d = register(people.desa)  # planned in ten days: first check-in a month later
    c = actions.record_check_in(
        people.desa,
        d,
        actions.CheckInInput(
            contacted_on=timezone.localdate(), outcome="well", contact_with="family"
        ),
    )
    assert c.due_on is None
    assert CheckIn.objects.filter(departure=d, outcome="").count() == 4


@pytest.mark.parametrize("who", ["kaliau", "pos", "gt", "uptd"])
def test_others_cannot_touch_a_sebunga_departure(people, who):
    d = register(people.desa)
    before = _counts()
    user = getattr(people, who)
    with pytest.raises((Http404, PermissionDenied)):
        actions.record_check_in(
            user, d, actions.CheckInInput(timezone.localdate(), "well", "family")
        )
    with pytest.raises((Http404, PermissionDenied)):
        actions.update_documents(user, d, {}, expected_version=d.version)
    assert _counts() == before
    assert Departure.objects.get(pk=d.pk).version == d.version


@pytest.mark.parametrize("who", ["pos", "gt", "uptd", "police"])
def test_agencies_that_do_not_register_departures_are_refused(people, who):
    before = _counts()
    with pytest.raises(PermissionDenied):
        register(getattr(people, who))
    assert _counts() == before


def test_invalid_input_changes_nothing(people):
    before = _counts()
    with pytest.raises(ValidationError) as err:
        register(people.desa, village="61.01.09")  # a district, not a village
    assert "home_village" in err.value.message_dict
    bad_nik = identity()
    bad_nik.nik = "1234"
    with pytest.raises(ValidationError):
        register(people.desa, bad_nik)
    with pytest.raises(ValidationError):
        register(people.desa, checkin_months=[0])
    assert _counts() == before


def test_a_future_contact_or_a_problem_without_detail_is_refused(people):
    d = register(people.desa)
    before = _counts()
    for data in [
        actions.CheckInInput(timezone.localdate() + timedelta(days=1), "well", "family"),
        actions.CheckInInput(timezone.localdate(), "problem", "family"),
    ]:
        with pytest.raises(ValidationError):
            actions.record_check_in(people.desa, d, data)
    with pytest.raises(ValidationError):
        actions.record_check_in(
            people.desa,
            d,
            actions.CheckInInput(timezone.localdate(), "well", "family"),
            refer=True,
        )
    assert _counts() == before


def test_overdue_and_repeatedly_unreachable_people_surface_on_village_and_district_views(
    people,
):
    from simpul.migration import queries

    left = timezone.localdate() - timedelta(days=200)
    d = register(people.desa, already_left=True, departed_on=left)
    today = timezone.localdate()
    for viewer in (people.desa, people.district):
        reg = queries.village_register(viewer, today)
        [row] = reg.overdue
        assert row.departure.id == d.id and row.overdue == 3  # months 1, 3 and 6
        assert reg.unreachable == []
    for days_ago in (20, 5):
        actions.record_check_in(
            people.desa,
            d,
            actions.CheckInInput(today - timedelta(days=days_ago), "unreachable", "family"),
        )
    for viewer in (people.desa, people.district):
        reg = queries.village_register(viewer, today)
        assert [r.departure.id for r in reg.unreachable] == [d.id]
        assert reg.unreachable[0].unreachable == 2
    assert queries.village_register(people.kaliau, today).overdue == []
