"""Screening results keep the rule version they were computed with; decisions are recorded."""

from datetime import date

import pytest

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.screening.actions import current_ruleset, screen
from simpul.screening.models import RuleSet
from simpul.screening.rulesets import UU21_DELPHI_2026_1

ANSWERS = {
    "act_recruitment": True,
    "means_deception": True,
    "purpose_exploitation_resulted": True,
    "age_at_act": 30,
}


@pytest.fixture
def person(world):
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    return create_person(
        worker, IdentityData(full_name="Sri Wahyuni"), owner_agency=agency, scope_region=None
    )[0]


@pytest.mark.django_db
def test_a_rule_set_in_use_cannot_be_rewritten(person):
    worker = User.objects.get(username="pekerja.sambas")
    result = screen(worker, person, ANSWERS)
    ruleset = result.ruleset
    ruleset.definition = {**ruleset.definition, "child_age_below": 21}
    with pytest.raises(ValueError, match="never changed"):
        ruleset.save()
    assert RuleSet.objects.get(pk=ruleset.pk).definition == UU21_DELPHI_2026_1


@pytest.mark.django_db
def test_a_new_rule_version_applies_to_new_interviews_only(person):
    worker = User.objects.get(username="pekerja.sambas")
    old = screen(worker, person, ANSWERS)
    stricter = {
        **UU21_DELPHI_2026_1,
        "elements": {
            **UU21_DELPHI_2026_1["elements"],
            "means": {**UU21_DELPHI_2026_1["elements"]["means"], "any_of": ["means_violence"]},
        },
    }
    RuleSet.objects.create(
        code="uu21-delphi",
        version="2099.1",
        legal_basis="test",
        valid_from=date(2026, 1, 1),
        definition=stricter,
    )
    assert current_ruleset().version == "2099.1"
    new = screen(worker, person, ANSWERS)
    old.refresh_from_db()
    assert (old.ruleset.version, old.result) == ("2026.1", "likely_victim")
    assert (new.ruleset.version, new.result) == ("2099.1", "possible_victim")


@pytest.mark.django_db
def test_the_trafficking_status_decision_records_who_and_when(person, signed_in):
    worker = User.objects.get(username="pekerja.sambas")
    result = screen(worker, person, ANSWERS)
    client = signed_in("pekerja.sambas")
    response = client.post(
        f"/screening/{result.id}/",
        {
            "status": "ActualVictimOfTrafficking",
            "decision_org": "NonPoliceGovernmentalOrganization",
        },
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.trafficking_status, result.decision_org, result.decided_by) == (
        "ActualVictimOfTrafficking",
        "NonPoliceGovernmentalOrganization",
        worker,
    )
    assert result.decided_at is not None
    assert result.result == "likely_victim"  # the screening flag itself is unchanged
    assert (
        AuditEvent.objects.filter(
            action="screening.decide_status", record_id=str(result.id)
        ).count()
        == 1
    )
    outsider = signed_in("pekerja.tpi")
    assert outsider.get(f"/screening/{result.id}/").status_code == 404
