"""Issue 12, items 6 and 8 (cases): the case list pages, filters by stage, worker, overdue,
received by referral, waiting, and searches by code; a supervisor sees the whole agency by
stage, worker and age; the number of queries does not grow with the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simpul.cases import actions as case_actions
from simpul.cases.models import Case, PlanItem, Stage
from tests.cases.helpers import agency, canary_case, in_days, other_case, referred, user

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return [c.code for c in response.context["cases"]]


def _many(n: int) -> list[Case]:
    return [other_case() for _ in range(n)]


def test_filters_narrow_the_list_to_exactly_the_matching_cases(signed_in):
    first, _ = canary_case(services_stage=True)  # services stage, a plan row
    second = other_case()  # assessment stage
    third = other_case()
    case_actions.assign_worker(user("supervisor.sambas"), third, user("supervisor.sambas"))
    PlanItem.objects.filter(case=first).update(due_on=in_days(-3))
    supervisor = signed_in("supervisor.sambas")

    assert sorted(_codes(supervisor.get("/cases/"))) == sorted(
        [first.code, second.code, third.code]
    )
    assert _codes(supervisor.get("/cases/?stage=services")) == [first.code]
    assert sorted(_codes(supervisor.get("/cases/?stage=assessment"))) == sorted(
        [second.code, third.code]
    )
    worker_id = user("pekerja.sambas").pk
    assert sorted(_codes(supervisor.get(f"/cases/?worker={worker_id}"))) == sorted(
        [first.code, second.code]
    )
    assert _codes(supervisor.get("/cases/?worker=me")) == [third.code]
    assert _codes(supervisor.get("/cases/?overdue=1")) == [first.code]
    by_prefix = _codes(supervisor.get(f"/cases/?code={second.code[:9]}"))
    assert second.code in by_prefix and all(c.startswith(second.code[:9]) for c in by_prefix)
    assert _codes(supervisor.get(f"/cases/?code={second.code.lower()}")) == [second.code]
    assert _codes(supervisor.get("/cases/?order=oldest"))[0] == first.code
    # A search by code is also answered on the POST (identifiers never in a URL).
    assert _codes(supervisor.post("/cases/", {"q": third.code})) == [third.code]

    # Age and overdue in the supervisor's team table.
    team = {t["assigned_to__username"]: t for t in supervisor.get("/cases/").context["team"]}
    assert (team["pekerja.sambas"]["open"], team["pekerja.sambas"]["overdue"]) == (2, 1)
    assert team["supervisor.sambas"]["open"] == 1
    assert team["pekerja.sambas"]["oldest"] == Case.objects.get(pk=first.pk).opened_at

    # Closed cases leave the default list, and come back on stage=closed or all.
    Case.objects.filter(pk=second.pk).update(stage=Stage.CLOSED)
    assert second.code not in _codes(supervisor.get("/cases/"))
    assert _codes(supervisor.get("/cases/?stage=closed")) == [second.code]
    assert second.code in _codes(supervisor.get("/cases/?stage=all"))
    # Nonsense filters fall back to the defaults instead of failing.
    assert supervisor.get("/cases/?stage=x&worker=abc&waiting=y").status_code == 200


def test_a_case_worker_sees_their_cases_and_the_received_filter(signed_in):
    case, _ = canary_case()
    other_case()  # also the worker's
    referred(case, "police", "polisi.sambas", ["services"])
    police = signed_in("polisi.sambas")
    assert _codes(police.get("/cases/?received=1")) == [case.code]
    worker = signed_in("pekerja.sambas")
    assert len(_codes(worker.get("/cases/"))) == 2
    assert _codes(worker.get("/cases/?received=1")) == []


def test_the_list_pages_by_25(signed_in):
    _many(27)
    supervisor = signed_in("supervisor.sambas")
    first = supervisor.get("/cases/")
    assert (len(first.context["cases"]), first.context["page"].paginator.count) == (25, 27)
    second = supervisor.get("/cases/?stage=open&page=2")
    assert len(second.context["cases"]) == 2
    assert 'href="?stage=open&amp;page=1"' in second.content.decode()


def test_the_query_count_does_not_grow_with_the_list(signed_in):
    case, _ = canary_case(services_stage=True)
    referred(case, "police", "polisi.sambas", ["services"])
    supervisor = signed_in("supervisor.sambas")
    police = signed_in("polisi.sambas")
    supervisor.get("/cases/")  # warm the content-type cache and the session
    police.get("/cases/")
    with CaptureQueriesContext(connection) as few:
        assert supervisor.get("/cases/?overdue=0").status_code == 200
    with CaptureQueriesContext(connection) as few_received:
        police.get("/cases/")
    for c in _many(6):
        PlanItem.objects.create(
            case=c, service="legal_aid", responsible_agency=agency("police"), due_on=in_days(-1)
        )
        referred_case = c
    case_actions.record_consent(
        user("pekerja.sambas"),
        referred_case,
        referred_case.victims.get().person,
        items=["sharing"],
        share_with=[agency("police")],
    )
    referred(referred_case, "police", "polisi.sambas", ["services", "events"])
    with CaptureQueriesContext(connection) as many:
        response = supervisor.get("/cases/?overdue=0")
    assert len(response.context["cases"]) == 7
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    with CaptureQueriesContext(connection) as many_received:
        assert len(police.get("/cases/").context["cases"]) == 2
    assert len(many_received) == len(few_received)
