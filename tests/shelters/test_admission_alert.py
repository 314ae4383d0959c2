"""A check-in queues the one-record linkage check (issue 14): a resident who matches an open
missing report alerts the village officer who filed it, through the worker, with no run."""

from datetime import date

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.accounts.models import Agency, User
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.jobs.models import Job
from simpul.linkage.models import AlertKind, LinkageAlert
from simpul.migration import actions as migration
from simpul.regions.models import Region
from simpul.shelters import actions
from simpul.shelters.codes import ConsentBasis
from tests.jobs.support import drain
from tests.linkage.helpers import SEBUNGA, nik
from tests.shelters.helpers import RPTC, make_shelter, officer

BORN = date(1998, 4, 11)


@pytest.mark.django_db(transaction=True)
def test_a_check_in_matching_an_open_missing_report_alerts_the_village_officer(world):
    report = migration.report_missing(
        User.objects.get(username="desa.sebunga"),
        migration.MissingInput(reported_on=date.today(), reported_by="family"),
        identity=IdentityData(
            full_name="Yuliana Sekar", nik=nik(BORN, 7701), birth_date=BORN.isoformat(), sex="F"
        ),
        home_village=Region.objects.get(pk=SEBUNGA),
    )
    shelter = make_shelter(beds=3)
    person, _ = create_person(
        officer(),
        IdentityData(
            full_name="YULIANA SEKAR", nik=nik(BORN, 7701), birth_date=BORN.isoformat(), sex="F"
        ),
        owner_agency=Agency.objects.get(name=RPTC),
        scope_region=Region.objects.get(code="21.72"),
    )
    stay = actions.plan_stay(officer(), shelter, person)
    assert not Job.objects.filter(task_name="check_shelter_admission").exists()

    stay = actions.check_in(officer(), stay, consent_basis=ConsentBasis.OWN)
    [job] = Job.objects.filter(task_name="check_shelter_admission")
    assert LinkageAlert.objects.count() == 0  # nothing before the worker runs
    drain()

    result = DBTaskResult.objects.get(pk=job.pk)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    alert = LinkageAlert.objects.get(source_kind="shelter", source_id=f"stay-{stay.pk}")
    assert (alert.kind, alert.status, alert.missing_report_id) == (
        AlertKind.MISSING_MATCH,
        "open",
        report.pk,
    )
    assert alert.user.username == "desa.sebunga" and alert.agency_id == report.owner_agency_id
    assert (alert.person_id, alert.matched_person_id) == (person.pk, report.person_id)
    assert alert.source_agency.name == RPTC
    assert alert.source_date == timezone.localdate()
    assert LinkageAlert.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_check_in_queues_no_check(world):
    shelter = make_shelter(beds=3)
    stay = actions.plan_stay(officer(), shelter, _someone())
    with pytest.raises(Exception, match="consent"):
        actions.check_in(officer(), stay)
    assert not Job.objects.filter(task_name="check_shelter_admission").exists()


def _someone():
    person, _ = create_person(
        officer(),
        IdentityData(full_name="Penghuni Tanpa Izin", sex="F", birth_date="1999"),
        owner_agency=Agency.objects.get(name=RPTC),
        scope_region=Region.objects.get(code="21.72"),
    )
    return person
