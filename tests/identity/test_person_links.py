"""Issue 12, item 9: a person page links to that person's reports and cases (as it does to
departures and returns), and each link lists exactly that person's records in the reader's
scope."""

import pytest

from simpul.accounts.models import Agency, User
from simpul.intake.actions import IntakeDetails, record_intake
from tests.cases.helpers import other_case

pytestmark = pytest.mark.django_db


def _report_naming(person=None):
    return record_intake(
        User.objects.get(username="operator.sambas"),
        IntakeDetails(channel="hotline", narrative="Laporan."),
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
        persons=[person] if person else [],
    )


def test_the_person_page_links_to_exactly_that_persons_reports_and_cases(signed_in):
    case = other_case()
    unrelated_case = other_case()
    victim = case.victims.get().person
    named = _report_naming(victim)
    _report_naming()  # a report naming nobody
    supervisor = signed_in("supervisor.sambas")

    page = supervisor.get(f"/persons/{victim.id}/").content.decode()
    assert f'href="/intake/?person={victim.code}"' in page
    assert f'href="/cases/?stage=all&amp;person={victim.code}"' in page

    reports = supervisor.get(f"/intake/?person={victim.code}")
    assert [r.reference for r in reports.context["page"]] == [named.reference]
    cases = supervisor.get(f"/cases/?stage=all&person={victim.code}")
    assert [c.code for c in cases.context["cases"]] == [case.code]
    assert unrelated_case.code not in cases.content.decode()


def test_a_reader_outside_the_scope_finds_nothing_through_the_person_filter(signed_in):
    case = other_case()
    victim = case.victims.get().person
    _report_naming(victim)
    other_uptd = signed_in("pekerja.tpi")
    assert list(other_uptd.get(f"/intake/?person={victim.code}").context["page"]) == []
    assert list(other_uptd.get(f"/cases/?stage=all&person={victim.code}").context["cases"]) == []
