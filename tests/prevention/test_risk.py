"""The village vulnerability score, the registry hooks and the coverage view."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from simpul.audit.models import AuditEvent
from simpul.prevention import actions, risk
from simpul.prevention.demo import load_demo
from simpul.prevention.models import OutreachEvent, RiskIndicator, VillageIndicator
from simpul.regions.models import Region
from tests.prevention.conftest import SANTABAN, in_english, make_event

pytestmark = pytest.mark.django_db

SANATAB = "61.01.09.2004"
TODAY = dt.date.today()


def _set(code, indicator, value, year=2025):
    VillageIndicator.objects.update_or_create(
        region_id=code,
        indicator=RiskIndicator.objects.get(code=indicator),
        year=year,
        defaults={"value": value, "source": "test"},
    )


def _score(code):
    (result,) = risk.score_villages([Region.objects.get(pk=code)], today=TODAY)
    return result


def test_the_default_indicators_are_documented_data(regions):
    codes = list(RiskIndicator.objects.values_list("code", flat=True))
    assert codes == [
        "population",
        "poverty",
        "out_of_school",
        "child_marriage",
        "departures",
        "non_procedural",
        "reports",
        "returns",
    ]
    scored = risk.scored_indicators()
    assert sum(i.weight for i in scored) == 100
    assert RiskIndicator.objects.get(code="population").source_kind == "reference"


def test_normalise_clamps_and_reverses(regions):
    poverty = RiskIndicator.objects.get(code="poverty")  # range 0..40
    assert risk.normalise(poverty, 10) == 0.25
    assert risk.normalise(poverty, 80) == 1.0 and risk.normalise(poverty, -5) == 0.0
    poverty.higher_is_riskier = False
    assert risk.normalise(poverty, 10) == 0.75


def test_score_by_hand(regions):
    _set(SANTABAN, "population", 1000)
    _set(SANTABAN, "poverty", 20)  # 20/40 = 0.5, weight 20
    _set(SANTABAN, "out_of_school", 15)  # 15/30 = 0.5, weight 15
    _set(SANTABAN, "child_marriage", 30)  # 30/30 = 1.0, weight 15
    _set(SANTABAN, "departures", 45)  # capped at 30 -> 1.0, weight 15 (none in the registry)
    _set(SANTABAN, "non_procedural", 30)  # 30/60 = 0.5, weight 15
    _set(SANTABAN, "poverty", 99, year=2019)  # an older year is ignored
    # reports: the intake registry holds none for the village -> 0, weight 10.
    # returns: the migration registry holds none and no value was entered -> 0, weight 10.
    # score = 100 * (20*.5 + 15*.5 + 15*1 + 15*1 + 15*.5 + 10*0 + 10*0) / 100 = 55
    result = _score(SANTABAN)
    assert result.completeness == pytest.approx(1.0)
    assert result.score == pytest.approx(55)
    assert result.band == risk.MEDIUM
    parts = {p.indicator.code: p for p in result.parts}
    assert parts["poverty"].year == 2025 and parts["poverty"].points == pytest.approx(10)
    assert parts["returns"].value == 0.0 and parts["reports"].value == 0.0
    assert parts["departures"].value == 45 and parts["departures"].source == "test"


def test_too_little_data_gives_no_score(regions):
    _set(SANATAB, "population", 1000)  # a reference value, not scored
    result = _score(SANATAB)
    # Only the registries: reports (10) + departures (15) + returns (10) = 35% of the weight,
    # below 50%; the non-procedural share has no departures to be a share of.
    assert result.completeness == pytest.approx(0.35)
    assert result.score is None and result.band == risk.UNKNOWN and not result.unreached


def test_coverage_flags_high_risk_villages_without_outreach(signed_in, coordinator, kalbar):
    for code in (SANTABAN, SANATAB):
        for indicator, value in [
            ("poverty", 36),
            ("out_of_school", 25),
            ("child_marriage", 25),
            ("departures", 28),
            ("non_procedural", 55),
            ("returns", 8),
            ("population", 1500),
        ]:
            _set(code, indicator, value)
    make_event(coordinator, kalbar, SANTABAN, n_questions=0)
    old = make_event(coordinator, kalbar, SANATAB, n_questions=0)
    OutreachEvent.objects.filter(pk=old.pk).update(held_on=TODAY - dt.timedelta(days=400))
    client = in_english(signed_in("gt.kalbar"))
    response = client.get("/prevention/coverage/", {"area": "61.01.09"})
    rows = {r.region.code: r for r in response.context["rows"]}
    assert len(rows) == 5  # a district lists all its villages
    assert rows[SANTABAN].band == risk.HIGH and not rows[SANTABAN].unreached
    assert rows[SANATAB].unreached and rows[SANATAB].events_12m == 0
    assert rows[SANATAB].last_event_on == TODAY - dt.timedelta(days=400)
    assert response.context["rows"][0].region.code == SANATAB  # unreached first
    html = response.content.decode()
    assert 'class="unreached"' in html and "<svg" in html and "not a map" in html
    only = client.get("/prevention/coverage/", {"area": "61.01.09", "only": "unreached"})
    assert [r.region.code for r in only.context["rows"]] == [SANATAB]
    # An area outside the coordinator's jurisdiction is refused.
    assert client.get("/prevention/coverage/", {"area": "21.72"}).status_code == 404


def test_indicator_values_are_imported_within_the_area(signed_in, coordinator, kalbar):
    client = signed_in("gt.kalbar")
    ok = client.post(
        "/prevention/indicators/",
        {
            "rows": "village,indicator,year,value,source\n"
            f"{SANTABAN}, poverty, 2025, 31.5, DTKS 2025\n"
            f"{SANTABAN}, child_marriage, 2025, 12, KUA Sajingan Besar"
        },
    )
    assert ok.status_code == 302
    assert VillageIndicator.objects.get(region_id=SANTABAN, indicator__code="poverty").value == 31.5
    bad = client.post(
        "/prevention/indicators/",
        {
            "rows": "21.72.03.1003, poverty, 2025, 10, x\n61.01.09, poverty, 2025, 10, x\n"
            f"{SANTABAN}, nope, 2025, 1, x\n{SANTABAN}, poverty, 1990, -1, "
        },
    )
    errors = bad.context["form"].errors["rows"]
    assert len(errors) >= 5
    assert VillageIndicator.objects.count() == 2
    assert AuditEvent.objects.filter(action="prevention.indicator.import", count=2).exists()
    with pytest.raises(ValidationError):
        actions.parse_indicator_rows("just one cell")


def test_the_indicator_command_lists_and_changes_weights(regions, capsys):
    call_command("prevention_indicator")
    assert "poverty" in capsys.readouterr().out
    call_command("prevention_indicator", "poverty", "--weight", "30", "--reason", "RAD 2026")
    assert RiskIndicator.objects.get(code="poverty").weight == 30
    assert AuditEvent.objects.filter(
        action="prevention.indicator.configure", reason="RAD 2026", fields=["weight"]
    ).exists()
    call_command("prevention_indicator", "returns", "--off")
    assert "returns" not in [i.code for i in risk.scored_indicators()]
    with pytest.raises(CommandError):
        call_command("prevention_indicator", "poverty", "--min", "50", "--max", "10")
    with pytest.raises(CommandError):
        call_command("prevention_indicator", "nothing")


def test_demo_data_loads_only_in_demo_mode(world):
    with pytest.raises(CommandError):
        call_command("load_prevention_demo")
    with override_settings(DEMO_MODE=True):
        call_command("load_prevention_demo")
        events = OutreachEvent.objects.count()
        call_command("load_prevention_demo")  # idempotent
    assert OutreachEvent.objects.count() == events > 10


def test_on_demo_data_the_coverage_view_shows_high_risk_villages_without_outreach(signed_in):
    load_demo()
    client = signed_in("gt.kalbar")
    response = client.get("/prevention/coverage/", {"area": "61.01.09"})
    unreached = {r.region.name for r in response.context["rows"] if r.unreached}
    assert unreached == {"Santaban", "Sanatab", "Sungai Bening"}
    sebunga = next(r for r in response.context["rows"] if r.region.name == "Sebunga")
    assert sebunga.band == risk.HIGH and sebunga.events_12m == 1
    assert response.context["summary"]["unreached"] == 3
    analyst = signed_in("analis.kepri")
    tpi = analyst.get("/prevention/coverage/", {"area": "21.72"}).context["rows"]
    assert len(tpi) == 18
    assert {r.region.name for r in tpi if r.unreached} == {"Penyengat", "Kampung Bugis"}
    # The demo tests show a weak topic and the events' results render.
    learning = client.get("/prevention/learning/").context["learning"]
    assert learning.topics[0].key == "rights_law"
