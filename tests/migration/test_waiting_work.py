"""Waiting work for the home page: overdue check-ins, open missing alerts and unscreened
returns, counted in scope and offered only to the roles that do that work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from simpul.migration import actions, queries
from simpul.migration.codes import ScreeningOutcome
from tests.migration.builders import identity, register, return_input

pytestmark = pytest.mark.django_db


def _missing() -> actions.MissingInput:
    return actions.MissingInput(
        reported_on=timezone.localdate(),
        reported_by="family",
        last_contact_on=timezone.localdate() - timedelta(days=100),
        last_known_country="MY",
    )


def _work(user) -> dict[str, tuple[int, str, bool]]:
    return {w.key: (w.count, w.url, w.urgent) for w in queries.waiting_work(user)}


def test_each_role_gets_the_migration_work_it_does_with_exact_counts(people):
    left = timezone.localdate() - timedelta(days=200)
    d = register(people.desa, already_left=True, departed_on=left)  # 3 overdue: months 1, 3, 6
    register(people.desa, identity(name="Rina", serial=9002))  # planned: nothing due yet
    actions.report_missing(people.desa, _missing(), departure=d)
    ident = identity(name="Dewi Lestari", serial=9100)
    ident.passport = "SPLP9100"
    screened = actions.record_return(people.pos, ident, return_input())
    other = identity(name="Ani", serial=9101)
    other.passport = "SPLP9101"
    actions.record_return(people.pos, other, return_input())
    actions.screen_return(
        people.pos, screened, actions.ScreeningInput(outcome=ScreeningOutcome.ALLOWED)
    )

    assert _work(people.desa) == {
        "migration.missing_open": (1, "/migration/missing/?status=open", True),
        "migration.checkins_overdue": (3, "/migration/checkins/?status=overdue", True),
    }
    # The neighbouring village sees none of Sebunga's records, but has the same work.
    assert _work(people.kaliau) == {
        "migration.missing_open": (0, "/migration/missing/?status=open", True),
        "migration.checkins_overdue": (0, "/migration/checkins/?status=overdue", True),
    }
    assert _work(people.pos) == {
        "migration.returns_unscreened": (1, "/migration/returns/?screened=no", False),
    }
    # Roles that never do this work get nothing: police, task force, supervisors' statistics.
    assert queries.waiting_work(people.police) == []
    assert queries.waiting_work(people.gt) == []


def test_the_counts_match_the_lists_they_link_to(people, signed_in):
    left = timezone.localdate() - timedelta(days=200)
    register(people.desa, already_left=True, departed_on=left)
    client = signed_in("desa.sebunga")
    [item] = [w for w in queries.waiting_work(people.desa) if "checkins" in w.key]
    response = client.get(item.url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == item.count == 3
