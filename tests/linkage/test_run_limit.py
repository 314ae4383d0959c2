"""One linkage run waiting or running at a time (issue 21, finding 4: any REVIEW_LINKAGE holder
could queue unlimited runs)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from simpul.accounts.models import User
from simpul.audit.models import AuditEvent
from simpul.linkage import actions, service
from simpul.linkage.models import LinkageRun, RunStatus

pytestmark = pytest.mark.django_db


def test_a_second_run_is_refused_while_one_is_queued(world, signed_in):
    client = signed_in("supervisor.sambas")
    first = client.post("/linkage/runs/", {"mode": "full", "engine": "duckdb"})
    assert first.status_code == 302 and LinkageRun.objects.count() == 1
    audited = AuditEvent.objects.filter(action="linkage.run.request").count()
    with translation.override("en"):
        second = client.post(
            "/linkage/runs/", {"mode": "incremental", "engine": "duckdb"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert second.status_code == 409
    assert LinkageRun.objects.count() == 1
    assert AuditEvent.objects.filter(action="linkage.run.request").count() == audited
    assert "run-refused" in second.content.decode()


def test_the_action_refuses_while_one_is_running_and_allows_after_it_ends(world):
    supervisor = User.objects.get(username="supervisor.sambas")
    run = actions.request_run(supervisor, "full")
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actions.request_run(supervisor, "incremental")
    assert "already waiting or running" in refused.value.messages[0]
    assert LinkageRun.objects.count() == 1
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    assert actions.request_run(supervisor, "incremental").status == RunStatus.QUEUED
    assert LinkageRun.objects.count() == 2


def test_the_database_holds_the_limit_when_the_check_is_bypassed(world):
    service.create_run("full")
    limits = service.thresholds()
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkageRun.objects.create(
            mode="incremental",
            auto_threshold=limits.auto_link,
            review_threshold=limits.review,
        )
    assert LinkageRun.objects.count() == 1


def test_the_command_line_refuses_too(world):
    service.create_run("full")
    with pytest.raises(CommandError):
        call_command("link_persons", "--full", verbosity=0)
    assert LinkageRun.objects.count() == 1
