"""Referral escalation runs from the schedule through the worker, with no manual command."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.audit.models import AuditEvent
from simpul.jobs.actions import enqueue_slots
from simpul.jobs.models import Job
from simpul.jobs.schedule import due_slots
from simpul.referrals.actions import send_referral
from simpul.referrals.models import Referral
from tests.jobs.support import drain
from tests.referrals.support import agency, canary_case, user


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_escalation_job_marks_an_overdue_referral_escalated_through_the_worker(
    world,
):
    case, _ = canary_case()
    referral = send_referral(
        user("pekerja.sambas"), case, agency("police"), reason="Layanan", sections=["services"]
    )
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert Referral.objects.get(pk=referral.pk).escalated_at is None

    # What `simpul scheduler` does each pass, for this job (the daily backup jobs aside).
    slots = enqueue_slots([s for s in due_slots(timezone.now()) if s[0] == "escalate_referrals"])
    assert [s.job_name for s in slots] == ["escalate_referrals"]
    drain()  # what `simpul worker` does

    assert Referral.objects.get(pk=referral.pk).escalated_at is not None
    result = DBTaskResult.objects.get(pk=slots[0].result_id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    assert AuditEvent.objects.filter(action="referral.escalate", count=1).count() == 1
    assert "escalated 1 overdue referrals" in Job.objects.get(pk=result.pk).log
