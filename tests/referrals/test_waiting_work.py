"""Issue 12, item 7 (referrals): incoming referrals waiting for an answer and outgoing ones not
answered in time, as home-page counts whose links list exactly those records; only for roles
that do that work. The referral list pages with a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpul.cases.queries import waiting_work as case_work
from simpul.referrals.actions import send_referral
from simpul.referrals.models import Referral
from simpul.referrals.queries import waiting_work
from tests.cases.helpers import other_case
from tests.referrals.support import agency, canary_case, user

pytestmark = pytest.mark.django_db


def _send(case, to="police"):
    return send_referral(
        user("supervisor.sambas"),
        case,
        agency(to),
        reason="Penyidikan",
        sections=["services"],
        override_reason="Korban dalam bahaya sekarang",
    )


def _ids(response) -> list[int]:
    return [r.pk for r in response.context["referrals"]]


def test_incoming_and_overdue_referrals_wait_with_links_to_exactly_them(signed_in):
    case, _ = canary_case()
    waiting = _send(case)
    _send(other_case())
    answered = _send(other_case())
    answered.status = "declined"
    answered.save()
    Referral.objects.filter(pk=waiting.pk).update(due_at=timezone.now() - timedelta(hours=1))

    police = {w.key: w for w in waiting_work(user("polisi.sambas"))}
    assert list(police) == ["referrals.incoming"]
    incoming = police["referrals.incoming"]
    assert (incoming.count, incoming.urgent) == (2, True)
    assert incoming.url == "/cases/referrals/?direction=in&status=sent"
    listed = signed_in("polisi.sambas").get(incoming.url)
    assert sorted(_ids(listed)) == sorted(
        Referral.objects.filter(status="sent").values_list("pk", flat=True)
    )

    supervisor = {w.key: w for w in waiting_work(user("supervisor.sambas"))}
    overdue = supervisor["referrals.overdue_outgoing"]
    assert (overdue.count, overdue.urgent) == (1, True)
    assert _ids(signed_in("supervisor.sambas").get(overdue.url)) == [waiting.pk]


@pytest.mark.parametrize(
    ("username", "keys"),
    [
        ("gt.kalbar", []),
        ("analis.kepri", []),
        ("admin.sambas", []),
        ("sysadmin", []),
        ("operator.sambas", ["referrals.incoming"]),
        ("jaksa.sambas", ["referrals.incoming"]),
        ("supervisor.sambas", ["referrals.incoming", "referrals.overdue_outgoing"]),
    ],
)
def test_only_roles_that_answer_or_send_referrals_get_the_counts(world, username, keys):
    assert [w.key for w in waiting_work(user(username))] == keys


@pytest.mark.parametrize(
    ("username", "keys"),
    [
        ("gt.kalbar", []),
        ("operator.sambas", []),
        ("desa.sebunga", []),
        ("pekerja.sambas", ["cases.returned", "cases.overdue_tasks"]),
        ("polisi.sambas", ["cases.overdue_tasks"]),
        (
            "supervisor.sambas",
            [
                "cases.awaiting_approval",
                "cases.unassigned",
                "cases.returned",
                "cases.overdue_tasks",
            ],
        ),
    ],
)
def test_only_roles_that_work_cases_get_case_counts(world, username, keys):
    assert [w.key for w in case_work(user(username))] == keys


def test_the_referral_list_pages_with_a_constant_number_of_queries(signed_in):
    _send(canary_case()[0])
    police = signed_in("polisi.sambas")
    police.get("/cases/referrals/")
    with CaptureQueriesContext(connection) as few:
        assert len(police.get("/cases/referrals/").context["referrals"]) == 1
    for _ in range(4):
        _send(other_case())
    with CaptureQueriesContext(connection) as many:
        assert len(police.get("/cases/referrals/").context["referrals"]) == 5
    assert len(many) == len(few)
