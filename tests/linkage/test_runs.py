"""Runs over the vault: clusters, review decisions kept on re-run, stable ids, incremental
runs, alerts, the one-record check and counting people once."""

from datetime import date

import pytest
from django.test import override_settings

from simpul.audit.models import AuditEvent
from simpul.linkage import actions, queries, realtime, service
from simpul.linkage.models import (
    AlertKind,
    AlertStatus,
    Decision,
    LinkageAlert,
    LinkageRun,
    LinkedPair,
    LinkedRecord,
    PairStatus,
    ReviewDecision,
    RunStatus,
)
from tests.linkage.helpers import SEBUNGA, add_person, cluster, nik, run

pytestmark = pytest.mark.django_db

BORN = date(1995, 3, 12)


@pytest.fixture
def siti(world):
    """One woman recorded three times (village, border post, UPTD), a namesake, and a record
    too thin to link without a reviewer."""
    return {
        "village": add_person(
            "desa.sebunga",
            SEBUNGA,
            full_name="Siti Aminah",
            nik=nik(BORN, 9001),
            birth_date=BORN.isoformat(),
            sex="F",
        ),
        "border": add_person(
            "pos.aruk",
            "61.01.09",
            full_name="SITI AMINAH BINTI ABDULLAH",
            birth_date=BORN.isoformat(),
            sex="F",
        ),
        "namesake": add_person(
            "pekerja.sambas",
            "61.01.09",
            full_name="Siti Aminah",
            nik=nik(date(1988, 7, 1), 9002),
            birth_date="1988-07-01",
            sex="F",
        ),
        "thin": add_person(
            "pekerja.sambas", "61.01", full_name="Siti Aminah", birth_date="1995", sex="F"
        ),
    }


def test_a_full_run_links_the_same_person_and_keeps_a_namesake_apart(siti):
    done = run(full=True)
    assert done.status == RunStatus.DONE
    assert done.records == LinkedRecord.objects.count() == 13  # 9 demo persons + 4
    assert cluster(siti["village"]) == cluster(siti["border"])
    assert cluster(siti["namesake"]) != cluster(siti["village"])
    assert cluster(siti["thin"]) != cluster(siti["village"])
    pair = LinkedPair.objects.get(
        person_a__in=[siti["village"], siti["border"]],
        person_b__in=[siti["village"], siti["border"]],
    )
    assert pair.status == PairStatus.LINKED
    assert pair.weights["name"] > 0 and pair.weights["dob"] > 0
    # The thin record waits for a reviewer.
    review = LinkedPair.objects.filter(status=PairStatus.REVIEW)
    assert (
        review.filter(person_a=siti["thin"]).exists()
        or review.filter(person_b=siti["thin"]).exists()
    )
    assert AuditEvent.objects.filter(action="linkage.decrypt", count=13).exists()
    assert AuditEvent.objects.filter(action="linkage.run").count() == 1


def test_cluster_ids_stay_the_same_on_a_re_run(siti):
    run(full=True)
    first = dict(LinkedRecord.objects.values_list("person_id", "cluster_id"))
    run(full=True)
    assert dict(LinkedRecord.objects.values_list("person_id", "cluster_id")) == first


def test_not_a_match_is_never_merged_again_even_with_a_lower_threshold(siti):
    run(full=True)
    supervisor = _user("supervisor.sambas")
    thin_pairs = LinkedPair.objects.filter(
        status=PairStatus.REVIEW, person_a=siti["thin"]
    ) | LinkedPair.objects.filter(status=PairStatus.REVIEW, person_b=siti["thin"])
    for pair in thin_pairs:
        actions.decide_pair(supervisor, pair, Decision.NON_MATCH, note="Different mother's name")
    assert (
        ReviewDecision.objects.filter(decision=Decision.NON_MATCH).count()
        == thin_pairs.count()
        >= 1
    )
    with override_settings(LINKAGE_AUTO_THRESHOLD=0.55, LINKAGE_REVIEW_THRESHOLD=0.5):
        run(full=True)
    assert cluster(siti["thin"]) != cluster(siti["village"])
    assert LinkedPair.objects.filter(status=PairStatus.DECIDED).count() >= 1
    event = AuditEvent.objects.filter(action="linkage.decide").first()
    assert event.reason == Decision.NON_MATCH and event.fields == ["decision", "note"]


def test_a_match_decision_merges_at_once_and_on_every_later_run(siti):
    run(full=True)
    supervisor = _user("supervisor.sambas")
    pair = (
        LinkedPair.objects.filter(status=PairStatus.REVIEW)
        .filter(person_a__in=[siti["thin"]])
        .first()
        or LinkedPair.objects.filter(status=PairStatus.REVIEW, person_b=siti["thin"]).first()
    )
    actions.decide_pair(supervisor, pair, Decision.MATCH)
    other = pair.person_b if pair.person_a_id == siti["thin"].pk else pair.person_a
    assert cluster(siti["thin"]) == cluster(other)
    run(full=True)
    assert cluster(siti["thin"]) == cluster(other)


def test_a_reviewer_only_sees_pairs_touching_their_scope(siti):
    run(full=True)
    assert queries.review_queue(_user("supervisor.sambas")).exists()
    # The Tanjungpinang case worker's role has no review permission at all.
    assert not queries.review_queue(_user("pekerja.tpi")).exists()
    with pytest.raises(Exception):  # noqa: B017
        actions.decide_pair(_user("pekerja.tpi"), LinkedPair.objects.first(), Decision.MATCH)
    assert not ReviewDecision.objects.exists()


def test_an_incremental_run_links_new_records_to_existing_clusters(siti):
    run(full=True)
    before = dict(LinkedRecord.objects.values_list("person_id", "cluster_id"))
    shelter = add_person(
        "shelter.tpi",
        None,
        full_name="Aminah Siti",
        nik=nik(BORN, 9001),
        birth_date=BORN.isoformat(),
        sex="F",
    )
    done = run()
    assert done.mode == "incremental" and done.records == 1
    assert cluster(shelter) == cluster(siti["village"])
    # The village's cluster kept its id; records outside the clusters it touched did not move.
    assert cluster(siti["village"]) == before[siti["village"].pk]
    after = dict(LinkedRecord.objects.values_list("person_id", "cluster_id"))
    joined = {k for k, v in after.items() if v == cluster(siti["village"])}
    assert {k: v for k, v in after.items() if k in before and k not in joined} == {
        k: v for k, v in before.items() if k not in joined
    }


def test_the_one_record_check_finds_the_linked_person(siti):
    run(full=True)
    from simpul.identity.data import IdentityData

    matches = realtime.check_identity(
        IdentityData(full_name="Siti Aminah", birth_date=BORN.isoformat(), sex="F"), "61.01.09"
    )
    assert matches and matches[0].cluster_id == cluster(siti["village"])
    assert matches[0].probability >= 0.9


def test_the_one_record_check_finds_a_name_whose_first_word_has_a_typo(siti):
    suharti = add_person(
        "desa.sebunga", SEBUNGA, full_name="Siti Suharti", birth_date="1971-12-06", sex="F"
    )
    run(full=True)
    from simpul.identity.data import IdentityData
    from simpul.linkage import source

    # Sorted by sound, "Siti" comes after "Suharti" and the typo "iSti" before it: the check
    # looks the first and last words up crossed, as the blocking rules do.
    typo = IdentityData(full_name="iSti Suharti", birth_date="1971-12-06")
    new = source.features_for_identities([("new", typo, None, "")])
    found = set(service.candidate_ids(new))
    assert str(suharti.pk) in found
    assert not {str(p.pk) for p in siti.values()} & found


def test_a_return_matching_an_open_missing_report_alerts_the_village(world):
    from simpul.identity.data import IdentityData
    from simpul.migration import actions as migration
    from simpul.regions.models import Region
    from tests.migration.builders import return_input

    desa = _user("desa.sebunga")
    report = migration.report_missing(
        desa,
        migration.MissingInput(reported_on=date.today(), reported_by="family"),
        identity=IdentityData(
            full_name="Dewi Lestari",
            nik=nik(date(1998, 5, 2), 7001),
            birth_date="1998-05-02",
            sex="F",
        ),
        home_village=Region.objects.get(pk=SEBUNGA),
    )
    run(full=True)
    assert not LinkageAlert.objects.exists()
    # The border post records a deportee without a NIK: a new vault person.
    event = migration.record_return(
        _user("pos.aruk"),
        IdentityData(
            full_name="DEWI LESTARI", birth_date="1998-05-02", sex="F", passport="SPLP 4471"
        ),
        return_input(),
        home_region=Region.objects.get(pk="61.01.09"),
    )
    assert event.person_id != report.person_id
    done = run()
    assert done.alerts == 1
    alert = LinkageAlert.objects.get()
    assert (alert.kind, alert.missing_report_id, alert.person_id) == (
        AlertKind.MISSING_MATCH,
        report.id,
        event.person_id,
    )
    assert alert.agency_id == report.owner_agency_id and alert.user == desa
    assert list(queries.alerts_for(desa)) == [alert]
    assert not queries.alerts_for(_user("pos.aruk")).exists()
    # Running again raises nothing new.
    assert run().alerts == 0
    actions.resolve_alert(desa, alert, confirm=True)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CONFIRMED


def test_a_new_intake_matching_a_known_victim_alerts_the_case_worker(world):
    from django.utils import timezone

    from simpul.cases.models import Case, CaseVictim
    from simpul.intake.actions import IntakeDetails, record_intake
    from simpul.intake.models import Channel

    worker = _user("pekerja.sambas")
    victim = add_person(
        "pekerja.sambas", "61.01.09", full_name="Yuliana Bere", birth_date="1990-01-20", sex="F"
    )
    case = Case.objects.create(
        code="KAS-TEST-1",
        owner_agency=victim.owner_agency,
        scope_region=victim.scope_region,
        created_by=worker,
        assigned_to=worker,
        opened_at=timezone.now(),
    )
    CaseVictim.objects.create(case=case, person=victim)
    run(full=True)
    operator = _user("operator.sambas")
    again = add_person(
        "operator.sambas", "61.01.09", full_name="YULIANA BERE", birth_date="1990-01-20", sex="F"
    )
    intake = record_intake(
        operator,
        IntakeDetails(channel=Channel.HOTLINE, narrative="She called again."),
        owner_agency=victim.owner_agency,
        persons=[again],
    )
    run()
    alert = LinkageAlert.objects.get(kind=AlertKind.KNOWN_VICTIM)
    assert (alert.case, alert.intake, alert.user) == (case, intake, worker)
    actions.resolve_alert(worker, alert, confirm=False)
    assert ReviewDecision.objects.get().decision == Decision.NON_MATCH
    assert cluster(again) != cluster(victim)


def test_statistics_count_people_once_and_say_how_many_records_merged(siti):
    run(full=True)
    stats = queries.statistics()
    assert stats["persons"].records == 13
    assert stats["persons"].persons == LinkedRecord.objects.values("cluster_id").distinct().count()
    assert stats["persons"].merged >= 1


def test_a_failed_run_is_recorded_with_its_error(world, monkeypatch):
    from simpul.linkage import source

    def broken(**_kwargs):
        raise RuntimeError("vault unavailable")

    monkeypatch.setattr(source, "load_features", broken)
    queued = service.create_run("full")
    with pytest.raises(RuntimeError):
        service.execute_run(queued)
    queued.refresh_from_db()
    assert queued.status == RunStatus.FAILED and "vault unavailable" in queued.error
    assert LinkageRun.objects.count() == 1


def _user(username):
    from simpul.accounts.models import User

    return User.objects.get(username=username)


def test_stored_pairs_carry_status_and_clean_weights():
    """The pair rows written by a run: status from the score and the decisions; weights as
    JSON of the fields that moved the score, rounded to two places (no float32 noise)."""
    import json

    import numpy as np
    import pandas as pd

    from simpul.linkage.engine.model import COMPARISONS, Thresholds

    weights = {f"mw_{name}": np.zeros(3, dtype=np.float32) for name in COMPARISONS}
    weights["mw_name"][:] = [13.48, -4.3, 0.0]
    weights["mw_dob"][:] = [2.0, np.nan, 0.0]
    pairs = pd.DataFrame(
        {"a": ["a1", "a2", "a3"], "b": ["b1", "b2", "b3"], "p": [0.95, 0.6, 0.99], "w": 1.5}
        | weights
    )
    table = service._pair_table(pairs, Thresholds(0.88, 0.5), {("a3", "b3")}, run_id=7)
    assert table.column("status").to_pylist() == ["linked", "review", "decided"]
    assert [json.loads(w) for w in table.column("weights").to_pylist()] == [
        {"name": 13.48, "dob": 2.0},
        {"name": -4.3},
        {},
    ]
    assert table.column("run_id").to_pylist() == [7, 7, 7]
