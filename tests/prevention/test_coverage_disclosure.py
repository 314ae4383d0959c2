"""The coverage page does not show an indicator that rests on 1-10 registry records (a rate per
1,000 with the population beside it gives the count back; issue 21, finding 5)."""

import pytest

from simpul.intake.actions import IntakeDetails, submit_public_report
from simpul.intake.models import Channel
from simpul.prevention.models import RiskIndicator, VillageIndicator
from simpul.regions.models import Region
from tests.prevention.conftest import SANTABAN, in_english

pytestmark = pytest.mark.django_db


def test_a_village_with_one_trafficking_report_shows_no_count(signed_in, world):
    for code, value in [("population", 1500), ("poverty", 30)]:
        VillageIndicator.objects.update_or_create(
            region_id=SANTABAN,
            indicator=RiskIndicator.objects.get(code=code),
            year=2025,
            defaults={"value": value, "source": "test"},
        )
    submit_public_report(
        IntakeDetails(
            channel=Channel.PUBLIC_WEB,
            narrative="Tetangga diberangkatkan lewat jalan tikus.",
            place_region=Region.objects.get(pk=SANTABAN),
        )
    )
    response = in_english(signed_in("gt.kalbar")).get("/prevention/coverage/", {"area": "61.01.09"})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.region.code == SANTABAN)
    reports = next(p for p in row.parts if p.indicator.code == "reports")
    assert reports.count == 1 and reports.suppressed and reports.marker == "<11"
    html = response.content.decode()
    section = html[html.index(f'data-village="{SANTABAN}"') :]
    section = section[: section.index("</tr>")]
    assert "0.7" not in section  # 1 report per 1,500 residents = 0.7 per 1,000, before the fix
    assert "&lt;11" in section
