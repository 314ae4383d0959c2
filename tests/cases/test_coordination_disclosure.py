"""The referral coordination view shows no count below 11 and no figure that gives one away
(issue 21, finding 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from simpul.accounts.models import Agency, User
from simpul.cases.models import Case
from simpul.referrals.models import Referral, ReferralStatus
from tests.cases.test_workflow import _case_for, _public_report

pytestmark = pytest.mark.django_db


def _referrals(case: Case, n_accepted: int, n_waiting: int) -> None:
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    due = timezone.now() + timedelta(days=3)
    Referral.objects.bulk_create(
        [
            Referral(
                case=case,
                from_agency=sambas,
                to_agency=police,
                reason="Tes",
                status=ReferralStatus.ACCEPTED if i < n_accepted else ReferralStatus.SENT,
                due_at=due,
                sent_at=timezone.now(),
                sent_by=User.objects.get(username="supervisor.sambas"),
            )
            for i in range(n_accepted + n_waiting)
        ]
    )


def test_a_count_of_one_is_refused_and_the_total_does_not_give_it_away(signed_in):
    case = _case_for(signed_in("operator.sambas"), _public_report())
    Referral.objects.all().delete()
    _referrals(case, n_accepted=20, n_waiting=1)
    with translation.override("en"):
        response = signed_in("gt.kalbar").get("/cases/coordination/")
    assert response.status_code == 200
    [row] = response.context["rows"]
    shown = {k: str(v) for k, v in row.items() if k not in ("from_agency__name", "to_agency__name")}
    # Before the fix: sent 21, accepted 20, waiting 1 were all on the page.
    assert shown["waiting"] == "<11"
    assert shown["overdue"] == "0"
    hidden = [k for k in ("sent", "accepted", "declined", "waiting") if row[k].suppressed]
    assert len(hidden) >= 2  # sent = accepted + declined + waiting gives no single one away
    html = response.content.decode()
    assert "<td>1</td>" not in html
    assert "&lt;11" in html
