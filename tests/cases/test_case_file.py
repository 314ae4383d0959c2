"""Issue 12, item 10: the trafficking chronology entered, changed, removed and shared as a
section; consent withdrawal from the case page ends sharing at once; reopening; tasks created
ad hoc, reassigned, done, with an overdue view for supervisors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from simpul.cases import actions as case_actions
from simpul.cases.models import PlanItem, Stage, TraffickingEvent
from simpul.cases.queries import TaskFilters, task_list, waiting_work
from simpul.core.models import AccessGrant
from simpul.referrals.models import Referral, ReferralStatus
from tests.cases.helpers import (
    agency,
    canary_case,
    in_days,
    indonesian,
    referred,
    step,
    user,
)

pytestmark = pytest.mark.django_db


def test_the_chronology_is_entered_changed_removed_and_shared_as_a_section(signed_in):
    case, _ = canary_case()
    worker = signed_in("pekerja.sambas")
    r = step(
        worker,
        case,
        "event",
        {
            "event_type": "Recruitment",
            "occurred_on": "2026-03-02",
            "region": "61.01.09.2002",
            "place": "Rumah calo",
        },
    )
    assert r.status_code == 302
    assert (
        step(
            worker,
            case,
            "event",
            {"event_type": "Exploitation", "occurred_on": "2026-04-01", "country": "my"},
        ).status_code
        == 302
    )
    # Where is required: a region in Indonesia or a country; the end not before the start.
    refused = step(
        worker,
        case,
        "event",
        {"event_type": "Transit", "occurred_on": "2026-03-05", "until_on": "2026-03-01"},
    )
    assert refused.status_code == 422
    assert sorted(refused.context["forms"]["event"].errors) == ["country", "until_on"]
    assert TraffickingEvent.objects.filter(case=case).count() == 2

    events = list(TraffickingEvent.objects.filter(case=case))
    assert [(e.event_type, e.region_id, e.country, e.occurred_on) for e in events] == [
        ("Recruitment", "61.01.09.2002", "", date(2026, 3, 2)),
        ("Exploitation", None, "MY", date(2026, 4, 1)),
    ]
    exploitation = events[1]
    changed = worker.post(
        f"/cases/{case.id}/events/{exploitation.id}/",
        {
            "event_type": "Exploitation",
            "occurred_on": "2026-04-01",
            "until_on": "2026-09-30",
            "country": "MY",
            "place": "Kebun sawit, Sarawak",
        },
    )
    assert changed.status_code == 302
    exploitation.refresh_from_db()
    assert (exploitation.until_on, exploitation.place) == (
        date(2026, 9, 30),
        "Kebun sawit, Sarawak",
    )

    # Shared only as the "events" section.
    referred(case, "police", "polisi.sambas", ["events"])
    police = signed_in("polisi.sambas")
    page = police.get(f"/cases/{case.id}/")
    assert [e.event_type for e in page.context["events"]] == ["Recruitment", "Exploitation"]
    body = page.content.decode()
    assert "Kebun sawit, Sarawak" in body and 'data-country="MY"' in body
    assert f"/cases/{case.id}/events/" not in body  # no change link for the receiver
    refused = police.post(f"/cases/{case.id}/events/{exploitation.id}/", {"remove": "1"})
    assert refused.status_code == 403
    assert TraffickingEvent.objects.filter(case=case).count() == 2

    assert (
        worker.post(f"/cases/{case.id}/events/{events[0].id}/", {"remove": "1"}).status_code == 302
    )
    assert list(
        TraffickingEvent.objects.filter(case=case).values_list("event_type", flat=True)
    ) == ["Exploitation"]
    assert list(case.activities.values_list("kind", "params")[:4]) == [
        ("event_removed", {"event": "Recruitment"}),
        ("referral_accepted", {"agency": agency("police").pk}),
        ("referral_sent", {"agency": agency("police").pk}),
        ("event_changed", {"event": "Exploitation"}),
    ]


def test_a_case_without_the_events_section_shows_no_chronology(signed_in):
    case, _ = canary_case()
    case_actions.record_event(
        user("pekerja.sambas"), case, event_type="Transit", occurred_on=None, country="MY"
    )
    referred(case, "police", "polisi.sambas", ["services"])
    page = signed_in("polisi.sambas").get(f"/cases/{case.id}/")
    assert page.context["events"] == [] and 'id="events"' not in page.content.decode()


def test_withdrawing_consent_from_the_case_page_ends_the_receivers_access_at_once(signed_in):
    case, person = canary_case()
    referred(case, "police", "polisi.sambas", ["identity", "services"])
    police = signed_in("polisi.sambas")
    assert police.get(f"/cases/{case.id}/").status_code == 200
    assert police.get(f"/persons/{person.id}/").status_code == 200
    consent = case.consents.get()

    worker = signed_in("pekerja.sambas")
    page = worker.get(f"/cases/{case.id}/").content.decode()
    assert f'id="withdraw-{consent.pk}"' in page
    r = step(worker, case, "withdraw_consent", {"consent": consent.pk})
    assert r.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None

    # The very next request of the receiver: gone.
    assert police.get(f"/cases/{case.id}/").status_code == 404
    assert police.get(f"/persons/{person.id}/").status_code == 404
    assert case.code not in police.get("/cases/").content.decode()
    referral = Referral.objects.get(case=case)
    assert (referral.status, referral.ended_at is not None) == (ReferralStatus.ENDED, True)
    assert not AccessGrant.objects.filter(
        kind=AccessGrant.Kind.REFERRAL, revoked_at__isnull=True
    ).exists()
    assert case.activities.first().kind == "referral_ended"
    # Withdrawing twice is refused with a message and changes nothing more.
    again = step(worker, case, "withdraw_consent", {"consent": consent.pk})
    assert again.status_code == 422
    assert Referral.objects.get(case=case).status == ReferralStatus.ENDED


def test_a_referral_under_a_supervisors_override_survives_a_withdrawal(signed_in):
    case, _ = canary_case()
    case_actions.withdraw_consent(user("pekerja.sambas"), case.consents.get())
    from simpul.referrals.actions import accept_referral, send_referral

    referral = send_referral(
        user("supervisor.sambas"),
        case,
        agency("police"),
        reason="Darurat",
        sections=["services"],
        override_reason="Korban dalam bahaya sekarang",
    )
    accept_referral(user("polisi.sambas"), referral)
    case_actions.record_consent(
        user("pekerja.sambas"),
        case,
        case.victims.get().person,
        items=["sharing"],
        share_with=[agency("kejari")],
    )
    case_actions.withdraw_consent(user("pekerja.sambas"), case.consents.first())
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert signed_in("polisi.sambas").get(f"/cases/{case.id}/").status_code == 200


def test_a_closed_case_is_reopened_with_a_reason(signed_in):
    case, _ = canary_case(services_stage=True)
    worker = signed_in("pekerja.sambas")
    step(worker, case, "closure", {"reason": "goals_met", "version": case.version})
    step(signed_in("supervisor.sambas"), case, "approve_closure", {"approve": "yes"})
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    short = step(worker, case, "reopen", {"reason": "lagi"})
    assert short.status_code == 422
    case.refresh_from_db()
    assert (case.stage, case.reopen_count) == (Stage.CLOSED, 0)
    r = step(worker, case, "reopen", {"reason": "Korban kembali dieksploitasi."})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.reopen_count, case.closed_at, case.closure_reason) == (
        Stage.SERVICES,
        1,
        None,
        "",
    )
    assert case.activities.first().kind == "reopen"
    # Reopened, it can be closed again.
    assert (
        step(worker, case, "closure", {"reason": "goals_met", "version": case.version}).status_code
        == 302
    )


def test_tasks_are_created_reassigned_done_and_overdue_ones_listed_for_supervisors(signed_in):
    case, _ = canary_case(services_stage=True)
    worker = signed_in("pekerja.sambas")
    no_date = step(
        worker,
        case,
        "task",
        {"title": "Kunjungi keluarga", "responsible_agency": agency("sambas").pk},
    )
    assert no_date.status_code == 422
    assert no_date.context["forms"]["task"].errors["due_on"] == [
        indonesian("Give the date the task is due.")
    ]
    assert (
        step(
            worker,
            case,
            "task",
            {
                "title": "Kunjungi keluarga",
                "due_on": in_days(2).isoformat(),
                "responsible_agency": agency("sambas").pk,
                "assigned_to": user("pekerja.sambas").pk,
            },
        ).status_code
        == 302
    )
    task = PlanItem.objects.get(case=case, is_task=True)
    assert "Kunjungi keluarga" not in task.title_sealed  # sealed at rest
    page = worker.get(f"/cases/{case.id}/")
    assert ("Kunjungi keluarga" in page.content.decode()) is True

    # Reassigned to the supervisor; a person of another agency is refused.
    supervisor = signed_in("supervisor.sambas")
    wrong = supervisor.post(
        f"/cases/{case.id}/tasks/{task.id}/", {"assigned_to": user("polisi.sambas").pk}
    )
    assert wrong.status_code == 422
    task.refresh_from_db()
    assert task.assigned_to == user("pekerja.sambas")
    ok = supervisor.post(
        f"/cases/{case.id}/tasks/{task.id}/", {"assigned_to": user("supervisor.sambas").pk}
    )
    assert ok.status_code == 302
    task.refresh_from_db()
    assert task.assigned_to == user("supervisor.sambas")

    # Overdue: the plan row (legal aid, police) and the task, once past their dates.
    PlanItem.objects.filter(case=case).update(due_on=in_days(-1))
    overdue = supervisor.get("/cases/tasks/?overdue=1")
    assert sorted(t.pk for t, _title in overdue.context["tasks"]) == sorted(
        PlanItem.objects.filter(case=case).values_list("pk", flat=True)
    )
    work = {w.key: w for w in waiting_work(user("supervisor.sambas"))}["cases.overdue_tasks"]
    assert (work.count, work.url, work.urgent) == (2, "/cases/tasks/?overdue=1", True)
    assert worker.get("/cases/?overdue=1").context["cases"] == [case]

    done = supervisor.post(f"/cases/{case.id}/tasks/{task.id}/", {"done": "on"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    assert task_list(user("supervisor.sambas"), TaskFilters(overdue=True)).count() == 1
    with pytest.raises(ValidationError):
        case_actions.complete_task(user("supervisor.sambas"), task)


def test_plan_rows_become_tasks_when_the_plan_is_approved(signed_in):
    case, _ = canary_case()
    worker_user, supervisor_user = user("pekerja.sambas"), user("supervisor.sambas")
    case_actions.submit_assessment(
        worker_user, case, "Butuh layanan.", expected_version=case.version
    )
    case_actions.approve_assessment(supervisor_user, case, approve=True)
    case.refresh_from_db()
    case_actions.submit_plan(
        worker_user,
        case,
        "Aman.",
        [("legal_aid", agency("sambas"), in_days(-1))],
        expected_version=case.version,
    )
    assert task_list(supervisor_user).count() == 0  # a plan waiting for approval: no task yet
    page = signed_in("pekerja.sambas").get(f"/cases/{case.id}/")
    assert page.context["tasks"] == [] and len(page.context["plan_items"]) == 1
    case_actions.approve_plan(supervisor_user, case, approve=True)
    assert task_list(supervisor_user, TaskFilters(overdue=True)).count() == 1
