"""Returns, returnee screening and referral, the screening log, Imigrasi's decisions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.intake.models import Intake
from simpul.migration import actions, queries, stats
from simpul.migration.codes import ScreeningOutcome
from simpul.migration.models import ImmigrationDecision, ReturnEvent, Screening
from simpul.regions.models import Region
from tests.migration.builders import SEBUNGA, identity, register, return_input

pytestmark = pytest.mark.django_db


def _returnee(serial: int = 9100, **extra: str) -> IdentityData:
    ident = identity(name="Dewi Lestari", serial=serial, **extra)
    ident.passport = f"SPLP{serial}"
    return ident


def test_a_return_at_the_post_shows_in_the_home_village_register(people):
    d = register(
        people.desa,
        identity(serial=9101),
        already_left=True,
        departed_on=timezone.localdate() - timedelta(days=300),
    )
    ident = identity(serial=9101)
    ident.passport = "SPLP 77"
    event = actions.record_return(
        people.pos, ident, return_input(), home_region=Region.objects.get(pk=SEBUNGA)
    )
    assert event.owner_agency.name == "Tim Terpadu PLBN Aruk"
    assert event.scope_region_id == SEBUNGA
    # The post cannot see the village's person, so the vault holds a second record with the
    # same NIK; the village register links them by the NIK's blind index.
    assert event.person_id != d.person_id
    assert event.person.nik_index == d.person.nik_index
    reg = queries.village_register(people.desa, timezone.localdate())
    assert [(r.id, dep.id if dep else None) for r, dep in reg.returned] == [(event.id, d.id)]
    assert d.id not in {row.departure.id for row in reg.away}
    assert queries.returns_of_departure(people.desa, d) == [event]


def test_the_post_reuses_its_own_person_and_refuses_the_same_return_twice(people):
    first = actions.record_return(
        people.pos, _returnee(), return_input(returned_on=timezone.localdate() - timedelta(days=30))
    )
    second = actions.record_return(people.pos, _returnee(), return_input())
    assert first.person_id == second.person_id
    count = (ReturnEvent.objects.count(), Person.objects.count())
    with pytest.raises(ValidationError):
        actions.record_return(people.pos, _returnee(), return_input())
    assert (ReturnEvent.objects.count(), Person.objects.count()) == count


def test_a_returnee_is_screened_and_referred_in_one_step(people):
    event = actions.record_return(people.pos, _returnee(), return_input())
    screening = actions.screen_return(
        people.pos,
        event,
        actions.ScreeningInput(
            outcome=ScreeningOutcome.REFERRED,
            red_flags=["passport_held", "fees_or_debt"],
            documents_checked=["splp"],
            note="Upah tidak dibayar 8 bulan.",
        ),
    )
    intake = screening.referred_intake
    assert intake is not None and intake.channel == "referral_border"
    assert intake.owner_agency.name == "UPTD PPA Kabupaten Sambas"
    assert intake.source_type == "migration.returnevent" and intake.source_id == str(event.id)
    assert ReturnEvent.objects.get(pk=event.pk).referred_intake_id == intake.id
    before = (Intake.objects.count(), Screening.objects.count())
    with pytest.raises(ValidationError):
        actions.refer_screening(people.pos, screening)
    assert (Intake.objects.count(), Screening.objects.count()) == before


def test_other_posts_and_villages_cannot_screen_or_refer_this_return(people):
    event = actions.record_return(people.pos, _returnee(), return_input())
    before = (Intake.objects.count(), Screening.objects.count())
    for user in (people.sbp, people.desa, people.gt):
        with pytest.raises((Http404, PermissionDenied)):
            actions.screen_return(user, event, actions.ScreeningInput(outcome="referred"))
    assert (Intake.objects.count(), Screening.objects.count()) == before


def test_invalid_returns_are_refused(people):
    before = ReturnEvent.objects.count()
    for ident, data in [
        (_returnee(), return_input(entry_point="NOWHERE")),
        (_returnee(), return_input(returned_on=timezone.localdate() + timedelta(days=1))),
        (IdentityData(full_name="Ayu"), return_input()),  # SPLP without its number
    ]:
        with pytest.raises(ValidationError):
            actions.record_return(people.pos, ident, data)
    with pytest.raises(PermissionDenied):
        actions.record_return(people.desa, _returnee(), return_input())
    assert ReturnEvent.objects.count() == before


def test_the_screening_log_tallies_per_post_and_day_and_refers_suspected_cases(people):
    for flags, outcome in [
        ([], "allowed"),
        (["cover_pilgrimage", "visit_pass_for_work"], "deferred"),
        (["minor", "escorted"], "referred"),
    ]:
        actions.record_screening(
            people.pos,
            IdentityData(full_name="Yohana Simanjuntak"),
            actions.ScreeningInput(
                outcome=outcome,
                crossing_point="PLBN_ARUK",
                direction="departing",
                destination_country="MY",
                red_flags=flags,
            ),
        )
    referred = Screening.objects.get(outcome="referred")
    assert referred.referred_intake is not None
    assert referred.referred_intake.child_involved is True
    deferred = Screening.objects.get(outcome="deferred")
    intake = actions.refer_screening(people.pos, deferred, note="Calo ikut mengantar.")
    assert Screening.objects.get(pk=deferred.pk).outcome == "referred"
    assert intake.source_type == "migration.screening"
    [row] = stats.screening_tally(people.pos)
    assert (row.screened, row.flagged) == (3, 2)
    assert row.outcomes == {"allowed": 1, "referred": 2}
    assert stats.screening_tally(people.sbp) == []


def test_passport_refusals_and_deferrals_are_recorded_with_reasons(people):
    decision = actions.record_immigration_decision(
        people.pos,
        identity(serial=9200),
        actions.DecisionInput(
            kind="passport_refused",
            decided_on=timezone.localdate(),
            office="Kantor Imigrasi Sambas",
            reasons=["cover_pilgrimage", "minor"],
        ),
        home_region=Region.objects.get(pk=SEBUNGA),
    )
    assert decision.reasons == ["cover_pilgrimage", "minor"]
    assert list(queries.decisions_for(people.desa)) == [decision]
    assert list(queries.decisions_for(people.kaliau)) == []
    with pytest.raises(ValidationError):
        actions.record_immigration_decision(
            people.pos,
            identity(serial=9201),
            actions.DecisionInput(
                kind="passport_refused", decided_on=timezone.localdate(), office="Kanim", reasons=[]
            ),
        )
    with pytest.raises(PermissionDenied):
        actions.record_immigration_decision(
            people.desa,
            identity(serial=9202),
            actions.DecisionInput(
                kind="passport_refused",
                decided_on=timezone.localdate(),
                office="Kanim",
                reasons=["minor"],
            ),
        )
    assert ImmigrationDecision.objects.count() == 1
