"""A service recorded by one agency ticks off only that agency's plan row for the service,
never another agency's (found in the issue 12 browser walk: the UPTD PPA's legal aid marked
the police's legal-aid task done)."""

from datetime import date

import pytest

from simpul.cases import actions as case_actions
from simpul.cases.models import PlanItem
from tests.referrals.support import agency, canary_case, user

pytestmark = pytest.mark.django_db


def test_a_service_ticks_off_only_the_providers_own_plan_row(world):
    case, _ = canary_case(services_stage=True)  # plan: legal aid by the police
    police_row = PlanItem.objects.get(case=case, service="legal_aid")

    case_actions.record_service(
        user("pekerja.sambas"),
        case,
        service="legal_aid",
        delivered_on=date.today(),
        provider=agency("sambas"),
        outcome="Konsultasi hukum awal.",
    )
    police_row.refresh_from_db()
    assert police_row.done_at is None

    case_actions.record_service(
        user("pekerja.sambas"),
        case,
        service="legal_aid",
        delivered_on=date.today(),
        provider=agency("police"),
        outcome="Pendampingan BAP.",
    )
    police_row.refresh_from_db()
    assert police_row.done_at is not None
