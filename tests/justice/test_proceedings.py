"""Proceedings through the real actions: order rules, round trips, identifiers, the regime,
append-only events, need-to-know access, charges and sentences."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import Http404

from simpul.audit.models import AuditEvent, Outcome
from simpul.justice import actions, queries
from simpul.justice.actions import EventInput, PerpetratorInput, SentenceInput
from simpul.justice.codes import (
    Aggravation,
    LicenceStatus,
    PerpetratorKind,
    RangeFlag,
    Regime,
    SanctionKind,
    Stage,
    StopReason,
)
from simpul.justice.codes import (
    EventCode as E,
)
from simpul.justice.models import ProceedingEvent
from tests.cases.helpers import indonesian
from tests.justice.support import ago, convicted, justice_case, opened, step, to_p21
from tests.referrals.support import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return justice_case()


def test_report_to_p21_counts_p19_round_trips_and_fills_identifiers(case):
    p = opened(case)
    to_p21(p)
    assert p.stage == Stage.PROSECUTION
    assert p.p19_count == 1
    assert (p.police_report_number, p.spdp_number, p.case_file_number) == (
        "LP/B/12/2026",
        "SPDP/7/2026",
        "BP/3/2026",
    )
    assert p.regime == (Regime.KUHAP_2025 if ago(60).year >= 2026 else Regime.KUHAP_1981)
    notes = [queries.event_note(e) for e in queries.events_of(p) if e.code == E.P19]
    assert notes == ["Lengkapi keterangan saksi korban."]
    assert ProceedingEvent.objects.filter(proceeding=p).count() == p.event_count == 8


def test_p21_before_the_file_comes_back_is_refused_and_nothing_changes(case):
    p = opened(case)
    step(p, "polisi.sambas", E.INVESTIGATION, 55)
    step(p, "polisi.sambas", E.SPDP, 54)
    actions.assign_prosecutor(user("polisi.sambas"), p, user("jaksa.sambas"))
    step(p, "polisi.sambas", E.FILE_HANDED_OVER, 40)
    step(p, "jaksa.sambas", E.P19, 38, note="Petunjuk.")
    before = (p.event_count, p.version)
    with pytest.raises(ValidationError) as exc:
        step(p, "jaksa.sambas", E.P21, 30)
    message = exc.value.message_dict["code"][0]
    assert message == indonesian(
        "The file was returned to the investigator; it must come back before %(code)s.",
        code=indonesian("File complete (P-21)"),
    )
    p.refresh_from_db()
    assert (p.event_count, p.version) == before


def test_recorder_and_field_rules(case):
    p = opened(case)
    with pytest.raises(PermissionDenied):  # a prosecutor not on the file
        actions.append_event(user("jaksa.sambas"), p, EventInput(E.INVESTIGATION, ago(50)))
    with pytest.raises(ValidationError) as exc:
        step(p, "polisi.sambas", E.INVESTIGATION, 70)  # before the report
    assert set(exc.value.message_dict) == {"occurred_on"}
    step(p, "polisi.sambas", E.INVESTIGATION, 50)
    with pytest.raises(ValidationError) as exc:
        step(p, "polisi.sambas", E.SP3, 40)
    assert set(exc.value.message_dict) == {"stop_reason"}
    step(p, "polisi.sambas", E.SP3, 40, stop_reason=StopReason.WITHDRAWN_UNDER_PRESSURE)
    assert (p.stage, p.stop_reason) == (Stage.STOPPED, StopReason.WITHDRAWN_UNDER_PRESSURE)
    with pytest.raises(ValidationError):
        step(p, "polisi.sambas", E.SPDP, 30)


def test_regime_override_needs_a_reason(case):
    other = Regime.KUHAP_1981 if ago(10).year >= 2026 else Regime.KUHAP_2025
    with pytest.raises(ValidationError) as exc:
        actions.open_proceeding(
            user("polisi.sambas"),
            case,
            reported_on=ago(10),
            police_report_number="LP/1",
            regime=other,
        )
    assert set(exc.value.message_dict) == {"regime_reason"}
    p = actions.open_proceeding(
        user("polisi.sambas"),
        case,
        reported_on=ago(10),
        police_report_number="LP/1",
        regime=other,
        regime_reason="Penyidikan dimulai sebelum 2 Januari 2026.",
    )
    assert (p.regime, p.regime_overridden) == (other, True)


def test_only_a_police_investigator_who_sees_the_case_opens_a_proceeding(case):
    with pytest.raises(PermissionDenied):
        actions.open_proceeding(
            user("jaksa.sambas"), case, reported_on=ago(3), police_report_number="X"
        )


def test_events_are_append_only(case):
    p = opened(case)
    event = ProceedingEvent.objects.get(proceeding=p)
    event.document_number = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ProceedingEvent.objects.filter(pk=event.pk).update(document_number="changed")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            ProceedingEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert ProceedingEvent.objects.get(pk=event.pk).document_number == "LP/B/12/2026"


def test_need_to_know(case):
    p = opened(case)
    to_p21(p)
    # The assigned prosecutor sees it whole.
    assert queries.get_proceeding_for(user("jaksa.sambas"), p.pk) == p
    # The case worker of the owning agency sees stages and dates, not the proceeding.
    worker = user("pekerja.sambas")
    seen, track = queries.case_track(worker, case.pk)
    assert seen == case
    assert [row.stage for row in track] == [Stage.PROSECUTION]
    assert [c for c, _on in track[0].events][:2] == [E.REPORT, E.INVESTIGATION]
    with pytest.raises(Http404):
        queries.get_proceeding_for(worker, p.pk)
    denied = AuditEvent.objects.filter(action="proceeding.access", outcome=Outcome.DENIED)
    assert denied.count() == 1
    # Someone from another agency sees neither.
    with pytest.raises(Http404):
        queries.case_track(user("pekerja.tpi"), case.pk)


def test_charges_and_sentence_flagged_below_minimum(case):
    p = convicted(case)
    defendant = actions.add_defendant(
        user("polisi.sambas"),
        p,
        PerpetratorInput(
            kind=PerpetratorKind.PERSON,
            full_name="Bambang Sutrisno",
            sex="M",
            roles=["RecruiterOrIntermediary"],
        ),
    )
    assert defendant.perpetrator.person_id and defendant.perpetrator.cases.get() == case
    jaksa = user("jaksa.sambas")
    with pytest.raises(ValidationError) as exc:
        actions.add_charge(
            jaksa, defendant, law="uu21_2007", article="2_1", aggravations=[Aggravation.DEATH]
        )
    assert set(exc.value.message_dict) == {"aggravations"}
    charge = actions.add_charge(
        jaksa, defendant, law="uu21_2007", article="2_1", aggravations=[Aggravation.CHILD]
    )
    sentence = actions.record_sentence(
        jaksa, charge, SentenceInput(prison_months=36, fine=120_000_000)
    )
    # Child victim: 4-20 years, Rp 160-800 jt; 3 years and Rp 120 jt are below.
    assert (sentence.prison_flag, sentence.fine_flag) == (RangeFlag.BELOW, RangeFlag.BELOW)
    with pytest.raises(ValidationError):
        actions.record_sentence(jaksa, charge, SentenceInput(prison_months=60))
    kuhp = actions.add_charge(jaksa, defendant, law="kuhp", article="328", aggravations=[])
    assert (
        actions.record_sentence(jaksa, kuhp, SentenceInput(prison_months=24)).prison_flag
        == RangeFlag.NO_RULE
    )


def test_company_licence_sanctions(case):
    p = opened(case)
    police = user("polisi.sambas")
    company = actions.add_defendant(
        police,
        p,
        PerpetratorInput(
            kind=PerpetratorKind.COMPANY,
            company_name="PT Maju Jaya Abadi",
            nib="1234567890123",
            licence_number="P3MI/123/2020",
            licence_status=LicenceStatus.ACTIVE,
        ),
    ).perpetrator
    with pytest.raises(ValidationError) as exc:
        actions.record_sanction(
            police,
            company,
            kind=SanctionKind.FULL_SUSPENSION,
            decision_number="7/2026",
            decided_on=ago(5),
        )
    assert set(exc.value.message_dict) == {"effective_to"}
    actions.record_sanction(
        police,
        company,
        kind=SanctionKind.FULL_SUSPENSION,
        decision_number="Kepdirjen 7/2026",
        decided_on=ago(5),
        effective_from=ago(4),
        effective_to=ago(-86),
    )
    company.refresh_from_db()
    assert (company.licence_status, company.suspended_from) == (LicenceStatus.SUSPENDED, ago(4))
    actions.record_sanction(
        police, company, kind=SanctionKind.REVOCATION, decision_number="9/2026", decided_on=ago(1)
    )
    company.refresh_from_db()
    assert (company.licence_status, company.sanctions.count()) == (LicenceStatus.REVOKED, 2)


def test_relation_to_a_victim_of_the_case_only(case):
    p = opened(case)
    police = user("polisi.sambas")
    perpetrator = actions.add_defendant(
        police,
        p,
        PerpetratorInput(
            kind=PerpetratorKind.PERSON,
            full_name="Joko Purnomo",
            complicit_official=True,
            office_held="Kepala desa",
        ),
    ).perpetrator
    victim = case.victims.get().person
    link = actions.link_victim(police, perpetrator, victim, "recruiter", case_victims=[victim])
    assert (link.relation, perpetrator.office_held) == ("recruiter", "Kepala desa")
    with pytest.raises(ValidationError):
        actions.link_victim(police, perpetrator, victim, "recruiter", case_victims=[])
    with pytest.raises(PermissionDenied):  # not on the file
        actions.link_victim(
            user("pekerja.tpi"), perpetrator, victim, "friend", case_victims=[victim]
        )


def test_the_prosecutor_is_assigned_once(case):
    p = opened(case)
    police = user("polisi.sambas")
    actions.assign_prosecutor(police, p, user("jaksa.sambas"))
    actions.assign_prosecutor(police, p, user("jaksa.sambas"))  # the same again: no change
    with pytest.raises(ValidationError) as exc:
        actions.assign_prosecutor(police, p, user("polisi.sambas"))
    assert set(exc.value.message_dict) == {"prosecutor"}
