"""Issue 12, item 12 (case pages): the timeline is stored as codes (kind + parameters) and shown
in the reader's language; the migration turns existing sentence rows into codes; consent items,
services, stages and closure reasons show as words, never as codes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext, override

from simpul.accounts.models import Agency, User
from simpul.cases import timeline
from simpul.cases.models import CaseActivity
from tests.cases.helpers import agency, canary_case, indonesian, referred, user

pytestmark = pytest.mark.django_db


def test_the_timeline_is_stored_as_codes_and_read_in_the_readers_language(signed_in):
    case, _ = canary_case(services_stage=True)
    referred(case, "police", "polisi.sambas", ["services"])
    rows = list(case.activities.values_list("kind", "params"))
    assert rows[:2] == [
        ("referral_accepted", {"agency": agency("police").pk}),
        ("referral_sent", {"agency": agency("police").pk}),
    ]
    assert not hasattr(CaseActivity, "summary")  # no frozen sentence is stored
    activities = list(case.activities.all())
    with override("en"):
        english = [line.text for line in timeline.lines(activities)]
    with override("id"):
        indonesian_lines = [line.text for line in timeline.lines(activities)]
        expected = gettext("Referral accepted by %(agency)s") % {"agency": "Unit PPA Polres Sambas"}
    assert english[0] == "Referral accepted by Unit PPA Polres Sambas"
    assert indonesian_lines[0] == expected

    page = signed_in("pekerja.sambas").get(f"/cases/{case.id}/").content.decode()
    timeline_html = page.split('id="timeline"')[1]
    assert expected in timeline_html
    for kind in ("referral_accepted", "plan_approved", "consent"):
        assert f"</span> {kind}<" not in timeline_html


def test_codes_on_the_case_page_show_as_words(signed_in):
    case, _ = canary_case()
    page = signed_in("pekerja.sambas").get(f"/cases/{case.id}/").content.decode()
    consents = page.split('id="consents"')[1].split("</ul>")[0]
    assert indonesian("Being interviewed") in consents
    assert indonesian("Sharing with the agencies named") in consents
    assert "interview" not in consents.replace("data-consent", "")
    assert "None" not in page
    assert 'data-htcds="Active">' + indonesian("Active") in page


def test_unknown_kinds_and_missing_parameters_never_show_a_code(world):
    line = CaseActivity(kind="something_new", params={})
    assert timeline.describe(line, {}) == gettext("Case updated")
    line = CaseActivity(kind="service", params={"service": "not_a_service"})
    assert timeline.describe(line, {}) == gettext("Service recorded: %(service)s") % {
        "service": "—"
    }


@pytest.mark.migrates_schema
@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_existing_sentences_into_codes(world):
    before = [("cases", "0001_initial"), ("referrals", "0002_referral_receiver_acts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    worker = User.objects.get(username="pekerja.sambas")
    now = timezone.now()
    Case = old.get_model("cases", "Case")
    case = Case.objects.create(
        code="KS-26-MIGR01", owner_agency_id=sambas.pk, opened_at=now, assigned_to_id=worker.pk
    )
    Referral = old.get_model("referrals", "Referral")
    Referral.objects.create(
        case_id=case.pk,
        from_agency_id=sambas.pk,
        to_agency_id=police.pk,
        reason="Penyidikan",
        sections=["services"],
        sent_at=now,
        sent_by_id=worker.pk,
        due_at=now,
    )
    old.get_model("cases", "ServiceDelivery").objects.create(
        case_id=case.pk,
        service="legal_aid",
        delivered_on=now.date(),
        provider_id=sambas.pk,
        recorded_by_id=worker.pk,
    )
    Activity = old.get_model("cases", "CaseActivity")
    for kind, summary in [
        ("open", "Kasus dibuka"),
        ("referral_sent", "Dirujuk ke Unit PPA Polres Sambas"),
        ("service", "Layanan dicatat: Bantuan hukum"),
    ]:
        Activity.objects.create(
            case_id=case.pk, at=now, actor_id=worker.pk, kind=kind, summary=summary
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = dict(CaseActivity.objects.filter(case_id=case.pk).values_list("kind", "params"))
    assert rows == {
        "open": {},
        "referral_sent": {"agency": police.pk},
        "service": {"service": "legal_aid"},
    }
    with override("en"):
        texts = sorted(
            line.text for line in timeline.lines(list(CaseActivity.objects.filter(case_id=case.pk)))
        )
    assert texts == [
        "Case opened",
        "Referred to Unit PPA Polres Sambas",
        "Service recorded: Legal aid",
    ]
    assert user("pekerja.sambas") == worker
