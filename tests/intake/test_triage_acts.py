"""Issue 12, item 1: triage that acts, and reports with a case that no late triage can close."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from simpul.accounts.models import Agency, User
from simpul.accounts.roles import Perm
from simpul.audit.models import AuditEvent
from simpul.cases.models import Case, Consent
from simpul.core.errors import StaleRecordError
from simpul.intake.actions import (
    IntakeDetails,
    ReferralRequest,
    complete_triaged,
    link_person,
    receiving_agencies,
    record_case_opened,
    record_intake,
    triage,
)
from simpul.intake.models import Intake, Status
from simpul.intake.queries import close_reason_of, intakes_for, triage_queue, triaged_not_done
from simpul.referrals.models import Referral
from simpul.regions.models import Region


def _operator() -> User:
    return User.objects.get(username="operator.sambas")


def _new_report(**details: object) -> Intake:
    return record_intake(
        _operator(),
        IntakeDetails(channel="hotline", narrative="Tetangga dibawa agen.", **details),  # type: ignore[arg-type]
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
    )


@pytest.mark.django_db
def test_a_case_opened_from_a_report_is_recorded_by_intake_and_blocks_a_late_triage(world):
    operator = _operator()
    intake = _new_report()
    before = intake.version
    record_case_opened(operator, intake, object())
    intake.refresh_from_db()
    assert (intake.status, intake.version) == (Status.CASE_OPENED, before + 1)
    assert (
        AuditEvent.objects.filter(action="intake.case_opened", record_id=str(intake.id)).count()
        == 1
    )
    with pytest.raises(StaleRecordError):
        triage(
            operator, intake, "no_action", immediate_danger=False, child_involved=False, note="x"
        )
    intake.refresh_from_db()
    assert (intake.status, intake.triage_decision) == (Status.CASE_OPENED, "")
    assert AuditEvent.objects.filter(action="intake.triage").count() == 0


def _person(name: str = "Yuliana Siregar"):
    from simpul.identity.actions import prepare_person, save_person
    from simpul.identity.data import IdentityData

    operator = _operator()
    prepared = prepare_person(
        operator,
        IdentityData(full_name=name, phone="0812 7777 1111"),
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
        scope_region=None,
    )
    return save_person(operator, prepared)


def _with_person(**details: object) -> Intake:
    return record_intake(
        _operator(),
        IntakeDetails(channel="hotline", narrative="Anak dibawa ke Malaysia.", **details),  # type: ignore[arg-type]
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
        persons=[_person()],
    )


def _state(intake: Intake) -> tuple:
    intake.refresh_from_db()
    return (
        intake.status,
        intake.triage_decision,
        intake.version,
        Case.objects.filter(intake=intake).count(),
        Referral.objects.count(),
        AuditEvent.objects.filter(action__in=["intake.triage", "intake.follow_up"]).count(),
    )


def _decide(intake: Intake, decision: str, user: User | None = None, **kw: object) -> Intake:
    return triage(
        user or _operator(),
        intake,
        decision,
        immediate_danger=False,
        child_involved=False,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.django_db
def test_a_decision_outside_the_code_list_is_refused_and_nothing_changes(world):
    intake = _new_report()
    before = _state(intake)
    with pytest.raises(ValidationError) as refused:
        _decide(intake, "delete_it")
    assert "decision" in refused.value.message_dict
    assert _state(intake) == before


@pytest.mark.django_db
def test_open_case_opens_the_case_for_the_person_concerned(world):
    intake = _with_person()
    done = _decide(intake, "open_case")
    case = Case.objects.get(intake=intake)
    assert (done.status, done.triage_decision) == (Status.CASE_OPENED, "open_case")
    assert [v.person for v in case.victims.all()] == [intake.persons.get().person]
    assert case.owner_agency == intake.owner_agency
    assert AuditEvent.objects.filter(action="case.open", record_id=str(case.pk)).count() == 1
    assert intake not in triaged_not_done(_operator())
    assert intake not in triage_queue(_operator())


@pytest.mark.django_db
def test_open_case_for_a_report_naming_nobody_goes_to_screening_and_stays_on_the_worklist(
    world,
):
    operator = _operator()
    intake = _new_report()
    done = _decide(intake, "open_case")
    assert (done.status, done.triage_decision) == (Status.TRIAGED, "open_case")
    assert Case.objects.filter(intake=intake).count() == 0
    assert list(triaged_not_done(operator)) == [intake]
    # The next step cannot open a case for nobody...
    before = _state(intake)
    with pytest.raises(ValidationError):
        complete_triaged(operator, intake, "open_case")
    assert _state(intake) == before
    # ...and the triage itself can not be made again.
    with pytest.raises(StaleRecordError):
        _decide(intake, "no_action", reason="Terlambat.")
    # Once the screening interview recorded the person, the case opens.
    link_person(operator, intake, _person("Maria Siregar"))
    done = complete_triaged(operator, intake, "open_case")
    assert done.status == Status.CASE_OPENED
    assert Case.objects.filter(intake=intake).count() == 1
    assert list(triaged_not_done(operator)) == []
    assert AuditEvent.objects.filter(action="intake.follow_up").count() == 1


@pytest.mark.django_db
def test_screen_keeps_the_report_on_the_worklist_until_it_is_closed_with_a_reason(world):
    operator = _operator()
    intake = _new_report()
    assert _decide(intake, "screen").status == Status.TRIAGED
    assert list(triaged_not_done(operator)) == [intake]
    with pytest.raises(ValidationError) as refused:
        complete_triaged(operator, intake, "no_action")
    assert "reason" in refused.value.message_dict
    closed = complete_triaged(operator, intake, "no_action", reason="Bukan TPPO: pindah kerja.")
    assert closed.status == Status.CLOSED
    assert close_reason_of(closed) == "Bukan TPPO: pindah kerja."
    assert "pindah" not in closed.close_reason_sealed
    assert list(triaged_not_done(operator)) == []


@pytest.mark.django_db
def test_no_action_needs_a_reason(world):
    intake = _new_report()
    before = _state(intake)
    with pytest.raises(ValidationError) as refused:
        _decide(intake, "no_action", reason="   ")
    assert "reason" in refused.value.message_dict
    assert _state(intake) == before
    closed = _decide(intake, "no_action", reason="Salah sambung.")
    assert (closed.status, close_reason_of(closed)) == (Status.CLOSED, "Salah sambung.")


@pytest.mark.django_db
def test_refer_asks_which_agency_and_follows_the_consent_rules(world):
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    intake = _with_person()
    before = _state(intake)
    # No agency chosen.
    with pytest.raises(ValidationError) as refused:
        _decide(intake, "refer", reason="Perlu penyidikan.", referral=ReferralRequest(None))
    assert "to_agency" in refused.value.message_dict
    # An agency nobody works at cannot receive.
    empty = Agency.objects.get(name="Pemerintah Desa Kaliau'")
    assert not receiving_agencies().filter(pk=empty.pk).exists()
    with pytest.raises(ValidationError):
        _decide(intake, "refer", reason="Perlu.", referral=ReferralRequest(empty))
    # No consent, no override: refused, and the case opened on the way is rolled back.
    with pytest.raises(ValidationError) as refused:
        _decide(intake, "refer", reason="Perlu penyidikan.", referral=ReferralRequest(police))
    assert "to_agency" in refused.value.message_dict
    assert _state(intake) == before
    assert AuditEvent.objects.filter(action="intake.refer_refused", outcome="denied").count() == 2
    # An operator cannot override consent.
    with pytest.raises(PermissionDenied):
        _decide(
            intake,
            "refer",
            reason="Perlu penyidikan.",
            referral=ReferralRequest(police, override_reason="Korban dalam bahaya, segera."),
        )
    assert _state(intake) == before
    # With the consent given on the call, the case is opened and referred.
    done = _decide(
        intake,
        "refer",
        reason="Perlu penyidikan.",
        referral=ReferralRequest(police, sections=("identity", "events"), consent_given=True),
    )
    assert (done.status, done.triage_decision) == (Status.CASE_OPENED, "refer")
    referral = Referral.objects.get()
    assert (referral.case.intake, referral.to_agency, referral.sections) == (
        intake,
        police,
        ["events", "identity"],
    )
    assert referral.consent_override_reason == ""
    assert Consent.objects.filter(case=referral.case, share_with=police).count() == 1


@pytest.mark.django_db
def test_a_supervisor_refers_without_consent_only_with_a_reason(world):
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    supervisor = User.objects.get(username="supervisor.sambas")
    intake = _with_person(immediate_danger=True)
    done = _decide(
        intake,
        "refer",
        supervisor,
        reason="Korban disekap.",
        referral=ReferralRequest(police, override_reason="Korban disekap malam ini, segera."),
    )
    assert done.status == Status.CASE_OPENED
    referral = Referral.objects.get()
    assert referral.consent_override_reason == "Korban disekap malam ini, segera."
    assert AuditEvent.objects.filter(action="referral.consent_override").count() == 1


@pytest.mark.django_db
def test_a_role_that_does_not_triage_cannot_triage_a_report_it_sees(world):
    village = User.objects.get(username="desa.sebunga")
    intake = _new_report(place_region=Region.objects.get(pk="61.01.09.2002"))
    assert intake in intakes_for(village, Perm.EDIT_RECORDS)
    before = _state(intake)
    with pytest.raises(PermissionDenied):
        _decide(intake, "no_action", village, reason="Bukan urusan desa.")
    assert _state(intake) == before


@pytest.mark.django_db
def test_the_triage_page_opens_the_case_and_refuses_a_reasonless_close_at_the_field(signed_in):
    client = signed_in("operator.sambas")
    intake = _with_person()
    refused = client.post(f"/intake/{intake.id}/", {"decision": "no_action", "reason": ""})
    assert refused.status_code == 422
    assert refused.context["form"].errors["reason"]
    assert _state(intake)[0] == Status.NEW
    bogus = client.post(f"/intake/{intake.id}/", {"decision": "destroy"})
    assert bogus.status_code == 422 and bogus.context["form"].errors["decision"]
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    no_consent = client.post(
        f"/intake/{intake.id}/",
        {
            "decision": "refer",
            "reason": "Perlu penyidikan.",
            "to_agency": police.pk,
            "sections": ["identity"],
            "note": "Ibu korban menelpon.",
        },
    )
    assert no_consent.status_code == 422
    assert no_consent.context["form"].errors["to_agency"]
    assert no_consent.context["form"]["note"].value() == "Ibu korban menelpon."  # kept
    done = client.post(
        f"/intake/{intake.id}/",
        {
            "decision": "refer",
            "reason": "Perlu penyidikan.",
            "to_agency": police.pk,
            "sections": ["identity"],
            "consent_given": "on",
        },
    )
    assert done.status_code == 302
    page = client.get(f"/intake/{intake.id}/")
    case = Case.objects.get(intake=intake)
    assert f'data-case="{case.code}"' in page.content.decode()
    assert 'id="triage-form"' not in page.content.decode()
    late = client.post(f"/intake/{intake.id}/", {"decision": "no_action", "reason": "x"})
    assert late.status_code == 409
    assert _state(intake)[0] == Status.CASE_OPENED
