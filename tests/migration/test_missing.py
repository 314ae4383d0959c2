"""Missing-migrant reports: open until resolved, with history; refused changes change nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from simpul.core.errors import StaleRecordError
from simpul.migration import actions, queries
from simpul.migration.codes import MissingStatus, Resolution
from simpul.migration.models import MissingReport, MissingReportEvent
from tests.migration.builders import SEBUNGA, identity, register

pytestmark = pytest.mark.django_db


def _missing(**overrides):
    values = {
        "reported_on": timezone.localdate(),
        "reported_by": "family",
        "last_contact_on": timezone.localdate() - timedelta(days=200),
        "last_known_country": "MY",
        "last_known_place": "Bintulu",
        "last_known_employer": "Ladang sawit X",
        "circumstances": "Tidak ada kabar sejak pindah majikan.",
    }
    values.update(overrides)
    return actions.MissingInput(**values)


def test_a_family_report_stays_open_until_resolved_and_keeps_its_history(people):
    d = register(people.desa, already_left=True, departed_on=timezone.localdate())
    report = actions.report_missing(people.desa, _missing(), departure=d)
    assert report.person_id == d.person_id
    assert report.scope_region_id == SEBUNGA and report.status == MissingStatus.OPEN
    assert queries.missing_details(report) == (
        "Ladang sawit X",
        "Tidak ada kabar sejak pindah majikan.",
    )
    with pytest.raises(ValidationError):
        actions.report_missing(people.desa, _missing(), departure=d)
    r = actions.add_missing_information(
        people.desa,
        report,
        note="Teman melihatnya di Miri.",
        last_known_place="Miri",
        expected_version=report.version,
    )
    assert r.last_known_place == "Miri"
    r = actions.resolve_missing(
        people.desa,
        r,
        resolution=Resolution.IN_CUSTODY,
        resolved_on=timezone.localdate(),
        note="Di depo imigresen.",
        expected_version=r.version,
    )
    assert r.status == MissingStatus.RESOLVED and r.resolution == Resolution.IN_CUSTODY
    r = actions.reopen_missing(
        people.desa, r, note="Dibebaskan, hilang lagi.", expected_version=r.version
    )
    assert r.status == MissingStatus.OPEN and r.resolution == ""
    history = queries.missing_history(r)
    assert [e.kind for e, _note in history] == ["opened", "update", "resolved", "reopened"]
    assert [note for _e, note in history][1:] == [
        "Teman melihatnya di Miri.",
        "Di depo imigresen.",
        "Dibebaskan, hilang lagi.",
    ]


def test_a_person_who_left_unregistered_can_be_reported(people):
    from simpul.regions.models import Region

    report = actions.report_missing(
        people.desa,
        _missing(),
        identity=identity(name="Maria Ningsih", serial=9050),
        home_village=Region.objects.get(pk=SEBUNGA),
    )
    assert report.departure_id is None and report.scope_region_id == SEBUNGA


def test_stale_and_out_of_scope_changes_change_nothing(people):
    d = register(people.desa)
    report = actions.report_missing(people.desa, _missing(), departure=d)
    events = MissingReportEvent.objects.count()
    with pytest.raises(StaleRecordError):
        actions.resolve_missing(
            people.desa,
            report,
            resolution="found",
            resolved_on=timezone.localdate(),
            expected_version=report.version + 1,
        )
    for user in (people.kaliau, people.pos, people.gt):
        with pytest.raises((Http404, PermissionDenied)):
            actions.add_missing_information(user, report, note="x", expected_version=report.version)
    with pytest.raises((Http404, PermissionDenied)):
        actions.report_missing(people.kaliau, _missing(), departure=d)
    assert MissingReportEvent.objects.count() == events
    assert MissingReport.objects.get(pk=report.pk).version == report.version
    assert MissingReport.objects.count() == 1


def test_a_case_worker_who_files_a_report_sees_it_and_a_colleague_does_not(people):
    """A case worker sees only what is assigned or granted to them: the report they filed
    used to vanish from their own list the moment it was saved."""
    from simpul.regions.models import Region

    report = actions.report_missing(
        people.worker,
        _missing(),
        identity=identity(name="Yuliana Sari", serial=9051),
        home_village=Region.objects.get(pk=SEBUNGA),
    )
    assert list(queries.missing_for(people.worker)) == [report]
    assert queries.get_missing_for(people.worker, report.pk) == report
    colleague_at_police = people.police
    assert report not in queries.missing_for(colleague_at_police)
