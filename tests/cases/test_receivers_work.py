"""Issue 12, item 4: a case accepted through a referral is in the receiving user's and agency's
case lists with what was shared; only the owning agency moves the case's workflow (closure
included), with a clear message and nothing changed; a receiver asked to act records its own
part (services, its tasks)."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from simpul.accounts.models import Membership, User
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEvent
from simpul.cases import actions as case_actions
from simpul.cases.models import Case, PlanItem, ServiceDelivery
from simpul.cases.queries import CaseFilters, case_list, shared_sections
from tests.cases.helpers import (
    agency,
    canary_case,
    in_days,
    indonesian,
    messages_of,
    other_case,
    referred,
    step,
    user,
)

pytestmark = pytest.mark.django_db


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.stage,
        case.version,
        case.closure_reason,
        PlanItem.objects.filter(case=case).count(),
        ServiceDelivery.objects.filter(case=case).count(),
        case.activities.count(),
    )


def test_an_accepted_case_is_in_the_receivers_list_with_what_was_shared(signed_in):
    case, _ = canary_case()
    other = other_case()
    referred(case, "police", "polisi.sambas", ["events", "services"])
    police = signed_in("polisi.sambas")
    listed = police.get("/cases/")
    assert [c.code for c in listed.context["cases"]] == [case.code]
    assert listed.context["shared"] == {case.pk: ["services", "events"]}
    body = listed.content.decode()
    assert f'data-case="{case.code}" data-received="yes"' in body
    assert 'data-shared="services events"' in body
    assert indonesian("What happened (places and dates)") in body
    received = police.get("/cases/?received=1")
    assert [c.code for c in received.context["cases"]] == [case.code]
    assert other.code not in body
    page = police.get(f"/cases/{case.id}/")
    assert page.context["received_sections"] == ["services", "events"]
    assert 'id="shared-sections" data-shared="services events"' in page.content.decode()


def test_the_receiving_agency_sees_it_in_its_list_too(world):
    """An agency-scope colleague at the receiving agency (not the one who accepted)."""
    case, _ = canary_case()
    colleague = User.objects.create_user("pos.aruk2", password="simpul-demo-2026")
    Membership.objects.create(
        user=colleague,
        agency=agency("aruk"),
        role=Role.BORDER_OFFICER,
        granted_by=user("sysadmin"),
    )
    case_actions.record_consent(
        user("pekerja.sambas"),
        case,
        case.victims.get().person,
        items=["sharing"],
        share_with=[agency("aruk")],
    )
    referred(case, "aruk", "pos.aruk", ["services"])
    # Through the list's own query (the page adds only its rendering): a new account would
    # first need its second factor enrolled.
    listed = case_list(colleague, CaseFilters(received=True))
    assert [c.code for c in listed] == [case.code]
    assert shared_sections(colleague, [case.pk]) == {case.pk: ["services"]}


def test_the_police_cannot_request_closure_and_nothing_changes(signed_in):
    case, _ = canary_case(services_stage=True)
    referred(case, "police", "polisi.sambas", ["services"], receiver_acts=True)
    police = signed_in("polisi.sambas")
    before = _snapshot(case)
    refused = step(police, case, "closure", {"reason": "goals_met", "version": case.version})
    assert refused.status_code == 403
    assert messages_of(refused) == [
        indonesian(
            "Only the agency that owns the case (%(agency)s) can request its closure. Your "
            "agency records its own part of the work.",
            agency="UPTD PPA Kabupaten Sambas",
        )
    ]
    assert _snapshot(case) == before
    assert "closure" not in [k for k, _t, _b in refused.context["lazy_steps"]]
    # Nor any other step of the owner's workflow, through the action (API) either.
    for name, data in [
        ("details", {"version": case.version}),
        ("approve_closure", {"approve": "yes"}),
        ("reopen", {"reason": "Korban minta dibuka lagi."}),
        ("assign", {"worker": user("polisi.sambas").pk}),
    ]:
        assert step(police, case, name, data).status_code == 403, name
    refusal = indonesian("Only the agency that owns the case can request its closure.")
    with pytest.raises(PermissionDenied, match=re.escape(refusal)):
        case_actions.request_closure(
            user("polisi.sambas"), case, reason="goals_met", expected_version=case.version
        )
    assert _snapshot(case) == before


def test_a_receiver_asked_to_act_records_its_own_services_and_tasks(signed_in):
    case, _ = canary_case(services_stage=True)
    referred(case, "police", "polisi.sambas", ["services"], receiver_acts=True)
    police = signed_in("polisi.sambas")
    before = case.stage
    r = step(
        police,
        case,
        "service",
        {
            "service": "legal_aid",
            "delivered_on": in_days(0).isoformat(),
            "provider": agency("police").pk,
            "outcome": "BAP korban diambil.",
        },
    )
    assert r.status_code == 302
    r = step(
        police,
        case,
        "task",
        {
            "title": "Panggil saksi",
            "due_on": in_days(3).isoformat(),
            "responsible_agency": agency("police").pk,
            "assigned_to": user("polisi.sambas").pk,
        },
    )
    assert r.status_code == 302
    task = PlanItem.objects.get(case=case, is_task=True)
    assert (task.responsible_agency, task.assigned_to) == (agency("police"), user("polisi.sambas"))
    case.refresh_from_db()
    assert case.stage == before  # the owner's workflow did not move
    # A task for another agency is not the receiver's to create.
    refused = step(
        police,
        case,
        "task",
        {
            "title": "Tugas UPTD",
            "due_on": in_days(3).isoformat(),
            "responsible_agency": agency("sambas").pk,
        },
    )
    assert refused.status_code == 422
    assert PlanItem.objects.filter(case=case, is_task=True).count() == 1


def test_a_read_only_receiver_records_nothing(signed_in):
    case, _ = canary_case(services_stage=True)
    referred(case, "police", "polisi.sambas", ["services"])
    police = signed_in("polisi.sambas")
    before = _snapshot(case)
    refused = step(
        police,
        case,
        "service",
        {
            "service": "legal_aid",
            "delivered_on": in_days(0).isoformat(),
            "provider": agency("police").pk,
            "outcome": "BAP.",
        },
    )
    assert refused.status_code == 403
    assert messages_of(refused) == [
        indonesian(
            "Your agency was not asked to act on this case: it can only read what was shared."
        )
    ]
    assert _snapshot(case) == before
    assert not AuditEvent.objects.filter(action="case.service").exists()


def test_a_village_whose_jurisdiction_covers_the_case_reads_it_but_never_moves_it(signed_in):
    """Jurisdiction scope shows the case in the village; it is still the UPTD's case."""
    case, _ = canary_case(services_stage=True)
    village = signed_in("desa.sebunga")
    page = village.get(f"/cases/{case.id}/")
    assert page.status_code == 200
    assert not page.context["can_edit"] and not page.context["can_act"]
    before = _snapshot(case)
    for name, data in [
        ("closure", {"reason": "goals_met", "version": case.version}),
        ("details", {"version": case.version}),
        (
            "service",
            {
                "service": "outreach",
                "delivered_on": in_days(0).isoformat(),
                "provider": agency("sambas").pk,
                "outcome": "Kunjungan.",
            },
        ),
        ("referral", {"to_agency": agency("iom").pk, "reason": "x", "sections": ["services"]}),
    ]:
        assert step(village, case, name, data).status_code == 403, name
    with pytest.raises(PermissionDenied):
        case_actions.request_closure(
            user("desa.sebunga"), case, reason="goals_met", expected_version=case.version
        )
    assert _snapshot(case) == before
