"""Issue 21, finding 2: a referral grant covers exactly the shared sections, read-only unless
the referral asks the receiver to act; a receiver refers on only what it was shown, only
within the victim's consent; nobody downstream reveals a victim whose identity was not shared."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from simpul.accounts.roles import Perm
from simpul.audit.models import AuditEvent
from simpul.cases import actions as case_actions
from simpul.cases.models import Case, ServiceDelivery
from simpul.core.models import AccessGrant
from simpul.core.scoping import visible_to
from simpul.identity.models import Person
from simpul.identity.queries import reveal_identity
from simpul.referrals.actions import accept_referral, send_referral
from simpul.referrals.models import Referral
from tests.referrals.support import CANARY_NIK, agency, canary_case, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _refer(sender: str, case: Case, to: str, sections: list[str], **kw) -> Referral:
    return send_referral(user(sender), case, agency(to), reason="Layanan", sections=sections, **kw)


def _services_referral_accepted(world, **kw) -> tuple[Case, Person]:
    case, person = canary_case(**kw)
    referral = _refer("pekerja.sambas", case, "police", ["services"])
    accept_referral(user("polisi.sambas"), referral)
    case.refresh_from_db()
    return case, person


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        Referral.objects.count(),
        AccessGrant.objects.count(),
        list(AccessGrant.objects.values_list("id", "can_edit", "sections").order_by("id")),
        case.version,
        case.activities.count(),
    )


def test_a_services_referral_grants_read_only_access_to_the_case_and_none_to_the_victim(world):
    case, person = _services_referral_accepted(world)
    police = user("polisi.sambas")
    case_ct = ContentType.objects.get_for_model(Case)
    grants = AccessGrant.objects.filter(record_type=case_ct, kind=AccessGrant.Kind.REFERRAL)
    assert sorted((g.can_edit, g.sections, bool(g.agency_id)) for g in grants) == [
        (False, ["services"], False),
        (False, ["services"], True),
    ]
    person_ct = ContentType.objects.get_for_model(Person)
    assert not AccessGrant.objects.filter(record_type=person_ct, kind="referral").exists()
    assert list(visible_to(police, Case)) == [case]
    assert not visible_to(police, Case, Perm.EDIT_RECORDS).exists()
    assert not visible_to(police, Case, Perm.REVEAL_IDENTITY).exists()
    assert not visible_to(police, Person).filter(pk=person.pk).exists()


def test_an_identity_referral_lets_the_receiver_reveal_but_not_edit_the_victim(world):
    case, person = canary_case()
    accept_referral(user("polisi.sambas"), _refer("pekerja.sambas", case, "police", ["identity"]))
    police = user("polisi.sambas")
    assert list(visible_to(police, Person, Perm.REVEAL_IDENTITY)) == [person]
    assert not visible_to(police, Person, Perm.EDIT_RECORDS).exists()
    assert reveal_identity(police, person, "penyidikan perkara").nik == CANARY_NIK


def test_the_receiver_cannot_change_the_owners_case_file(world):
    case, _ = _services_referral_accepted(world)
    police = user("polisi.sambas")
    before = _state(case)
    with pytest.raises(PermissionDenied):
        case_actions.submit_assessment(police, case, "ditulis", expected_version=case.version)
    with pytest.raises(PermissionDenied):
        case_actions.update_details(
            police, case, {"exploitation_types": []}, expected_version=case.version
        )
    assert _state(case) == before


def test_the_receiver_cannot_refer_on_a_section_it_was_not_shown(world):
    case, _ = _services_referral_accepted(world)
    before = _state(case)
    with pytest.raises(ValidationError) as refused:
        _refer("polisi.sambas", case, "kejari", ["identity", "services"])
    assert refused.value.message_dict == {
        "sections": ["You can refer on only what was shared with your agency: Services delivered."]
    }
    assert _state(case) == before
    assert (
        AuditEvent.objects.filter(
            action="referral.refused_not_shared", record_id=str(case.id), outcome="denied"
        ).count()
        == 1
    )


def test_the_receiver_refers_on_only_within_the_victims_consent_and_cannot_override(world):
    case, _ = _services_referral_accepted(world)
    before = _state(case)
    with pytest.raises(ValidationError) as refused:
        _refer(
            "polisi.sambas",
            case,
            "iom",
            ["services"],
            override_reason="mendesak sekali, tidak bisa menunggu",
        )
    assert list(refused.value.message_dict) == ["to_agency"]
    assert "Only the case's own agency" in refused.value.message_dict["to_agency"][0]
    assert _state(case) == before


def test_a_receiver_that_was_not_asked_to_act_cannot_ask_others_to(world):
    case, _ = _services_referral_accepted(world)
    before = _state(case)
    with pytest.raises(ValidationError) as refused:
        _refer("polisi.sambas", case, "kejari", ["services"], receiver_acts=True)
    assert list(refused.value.message_dict) == ["receiver_acts"]
    assert _state(case) == before


def test_a_third_agency_never_gets_to_reveal_the_victim(world):
    case, person = _services_referral_accepted(world)
    onward = _refer("polisi.sambas", case, "kejari", ["services"])
    assert (onward.from_agency, onward.sections) == (agency("police"), ["services"])
    prosecutor = user("jaksa.sambas")
    accept_referral(prosecutor, onward)
    assert list(visible_to(prosecutor, Case)) == [case]
    assert not visible_to(prosecutor, Person).exists()
    with pytest.raises(Http404):
        reveal_identity(prosecutor, person, "ingin melihat identitas")
    assert not AuditEvent.objects.filter(action="person.reveal", outcome="ok").exists()


def test_a_referral_asking_the_receiver_to_act_lets_it_record_only_its_own_part(world):
    case, _ = canary_case(services_stage=True)
    referral = _refer("pekerja.sambas", case, "police", ["services"], receiver_acts=True)
    assert referral.receiver_acts is True
    police = user("polisi.sambas")
    accept_referral(police, referral)
    assert list(visible_to(police, Case, Perm.EDIT_RECORDS)) == [case]
    case_actions.record_service(
        police,
        case,
        service="legal_aid",
        delivered_on=date.today(),
        provider=agency("police"),
        outcome="BAP dibuat.",
    )
    assert ServiceDelivery.objects.filter(case=case, recorded_by=police).count() == 1
    before = _state(case)
    with pytest.raises(PermissionDenied):
        case_actions.request_closure(
            police, case, reason="goals_met", expected_version=case.version
        )
    with pytest.raises(PermissionDenied):
        case_actions.record_consent(
            police, case, case.victims.get().person, items=[], share_with=[]
        )
    assert _state(case) == before


def test_a_second_accepted_referral_widens_the_grant_to_the_union(world):
    case, _ = _services_referral_accepted(world)
    accept_referral(user("polisi.sambas"), _refer("pekerja.sambas", case, "police", ["events"]))
    grants = AccessGrant.objects.filter(kind="referral", agency=agency("police"))
    assert [(g.can_edit, g.sections) for g in grants] == [(False, ["events", "services"])]


def test_existing_referral_grants_migrate_to_read_only_with_the_referrals_sections(world):
    case, person = canary_case()
    referral = _refer("pekerja.sambas", case, "police", ["identity", "services"])
    accept_referral(user("polisi.sambas"), referral)
    # As the grants were before the migration: counting for everything.
    AccessGrant.objects.filter(kind="referral").update(can_edit=True, sections=[])
    intake_like = AccessGrant.objects.create(
        record_type=ContentType.objects.get_for_model(Person),
        record_id=Person.objects.exclude(pk=person.pk).first().pk,
        agency=agency("kejari"),
        kind="referral",
    )
    migration = importlib.import_module("simpul.core.migrations.0003_accessgrant_can_edit_sections")
    migration.referral_grants_read_only(apps, None)
    rows = {
        (g.record_type.model, g.can_edit, tuple(g.sections))
        for g in AccessGrant.objects.filter(kind="referral").exclude(pk=intake_like.pk)
    }
    assert rows == {("case", False, ("identity", "services")), ("person", False, ("identity",))}
    intake_like.refresh_from_db()
    assert (intake_like.can_edit, intake_like.sections) == (True, [])
    assert not visible_to(user("polisi.sambas"), Case, Perm.EDIT_RECORDS).exists()
