"""Issue 16 in a real browser: the police open a proceeding on a case referred to them and
hand over the file; the prosecutor returns it with instructions (P-19), is refused P-21 until
the file comes back, then records P-21. The case worker sees the stages only. The second test
goes through the same steps and on to the verdict, restitution for two victims, a partial
payment and the overdue tasks after the due date."""

from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from simpul.justice import actions, queries
from simpul.justice.actions import PerpetratorInput
from simpul.justice.codes import Clock, PerpetratorKind
from simpul.justice.codes import EventCode as E
from simpul.justice.models import Proceeding, Reminder, Restitution
from tests.browser.helpers import screenshot, sign_in_page, t
from tests.justice.support import ago, justice_case, two_victim_case
from tests.referrals.support import user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _event(page: Page, code: str, days: int, note: str = "") -> None:
    form = page.locator("#event form")
    form.locator("select[name=code]").select_option(code)
    form.locator("input[name=occurred_on]").fill(ago(days).isoformat())
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()


def police_to_p21(browser: Browser, base: str, case) -> tuple[Page, Page, Proceeding]:
    """In the browser: the police open the proceeding on the case referred to them (report,
    investigation, SPDP), name the prosecutor and hand over the file; the prosecutor returns it
    (P-19), is refused P-21 until it comes back, then records P-21. Returns both pages."""
    police = sign_in_page(browser, base, "polisi.sambas")
    police.goto(f"{base}/justice/case/{case.id}/open/")
    police.locator("input[name=reported_on]").fill(ago(40).isoformat())
    police.locator("input[name=police_report_number]").fill("LP/B/7/2026")
    police.locator("#open-proceeding button[type=submit]").click()
    expect(police.locator("#timeline li")).to_have_count(1)
    p = Proceeding.objects.get(case=case)
    _event(police, E.INVESTIGATION, 35)
    expect(police.locator("#timeline li")).to_have_count(2)
    _event(police, E.SPDP, 34)
    expect(police.locator("#timeline li")).to_have_count(3)
    police.locator("#prosecutor select[name=prosecutor]").select_option(label="Fitriani Syahputri")
    police.locator("#prosecutor button[type=submit]").click()
    _event(police, E.FILE_HANDED_OVER, 30)
    expect(police.locator("#timeline li")).to_have_count(4)

    jaksa = sign_in_page(browser, base, "jaksa.sambas")
    jaksa.goto(f"{base}/justice/{p.id}/")
    _event(jaksa, E.P19, 28, note="Lengkapi visum korban.")
    expect(jaksa.locator("#p19-count")).to_have_text("1")
    _event(jaksa, E.P21, 27)
    expect(jaksa.locator("#event")).to_contain_text(
        t("The file was returned to the investigator; it must come back before %(code)s.")
        % {"code": t("File complete (P-21)")}
    )
    police.goto(f"{base}/justice/{p.id}/")
    _event(police, E.FILE_HANDED_OVER, 20)
    expect(police.locator("#timeline li")).to_have_count(6)
    jaksa.goto(f"{base}/justice/{p.id}/")
    _event(jaksa, E.P21, 18)
    expect(jaksa.locator('#timeline li[data-code="p21"]')).to_have_count(1)
    p.refresh_from_db()
    return police, jaksa, p


def test_police_and_prosecutor_in_the_browser(live_server, world, browser: Browser):
    base = live_server.url
    case = justice_case()
    police_to_p21(browser, base, case)
    worker = sign_in_page(browser, base, "pekerja.sambas")
    worker.goto(f"{base}/justice/case/{case.id}/")
    expect(worker.locator(".track")).to_contain_text(t("File complete (P-21)"))
    assert "Lengkapi visum" not in worker.content()


def _restitution(page: Page, victim: str, step: str, days: int, **fields: str) -> None:
    form = page.locator("#restitution form")
    form.locator("select[name=victim]").select_option(victim)
    form.locator("select[name=step]").select_option(step)
    form.locator("input[name=occurred_on]").fill(ago(days).isoformat())
    for name, value in fields.items():
        tag = "select" if name == "channel" else "input"
        field = form.locator(f"{tag}[name={name}]")
        if tag == "select":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()


def test_verdict_restitution_and_the_overdue_task(live_server, world, browser: Browser):
    """The whole chain in one browser session: the police steps and the P-19 round trip to
    P-21, then the prosecutor's indictment and demand, a verdict whose sentence is below the
    statutory minimum (flagged), restitution awarded to two victims with different amounts, a
    partial payment; after the due date (time travel) the prosecutor and the case worker each
    get a task, and the victim's status says not yet paid in full."""
    base = live_server.url
    case, (elder, younger) = two_victim_case()
    _police, jaksa, p = police_to_p21(browser, base, case)
    actions.add_defendant(
        user("polisi.sambas"),
        p,
        PerpetratorInput(kind=PerpetratorKind.PERSON, full_name="Bonar Situmorang", sex="M"),
    )
    jaksa.goto(f"{base}/justice/{p.id}/")
    for code, days in [
        (E.P22, 17),
        (E.P29, 16),
        (E.P31, 15),
        (E.COURT_REGISTERED, 14),
        (E.FIRST_HEARING, 12),
        (E.DEMAND, 8),
    ]:
        _event(jaksa, code, days)
        expect(jaksa.locator(f'#timeline li[data-code="{code}"]')).to_have_count(1)
    form = jaksa.locator("#event form")
    form.locator("select[name=code]").select_option(E.VERDICT)
    form.locator("input[name=occurred_on]").fill(ago(5).isoformat())
    form.locator("select[name=verdict_outcome]").select_option("convicted")
    form.locator("button[type=submit]").click()
    expect(jaksa.locator('#timeline li[data-code="verdict"]')).to_have_count(1)
    charge = jaksa.locator("#charge form")
    charge.locator("select[name=law]").select_option("uu21_2007")
    charge.locator("input[name=article]").fill("2_1")
    charge.locator("button[type=submit]").click()
    sentence = jaksa.locator("#sentence form")
    sentence.locator("input[name=prison_months]").fill("24")
    sentence.locator("input[name=fine]").fill("150000000")
    sentence.locator("input[name=restitution_ordered]").check()
    sentence.locator("input[name=restitution_amount]").fill("34500000")
    sentence.locator("button[type=submit]").click()
    expect(jaksa.locator('.flag[data-flag="below"]')).to_have_text(t("Below the statutory minimum"))
    for victim, heads in (
        (elder, {"lost_income": "20000000", "suffering": "5000000"}),
        (younger, {"medical": "9500000"}),
    ):
        _restitution(jaksa, str(victim.pk), "filed", 5, channel="prosecutor")
        _restitution(jaksa, str(victim.pk), "awarded", 5, **heads)
    _event(jaksa, E.FINAL, 2)
    for victim in (elder, younger):
        _restitution(jaksa, str(victim.pk), "final", 2)
    _restitution(jaksa, str(elder.pk), "payment", 1, amount="10000000", reference="BA/1")
    rows = jaksa.locator("#restitution-list tr[data-state]")
    expect(rows).to_have_count(2)
    expect(jaksa.locator(f'tr[data-victim="{elder.code}"]')).to_have_attribute(
        "data-state", "partly_paid"
    )
    expect(jaksa.locator(f'tr[data-victim="{younger.code}"]')).to_have_attribute(
        "data-state", "due"
    )
    expect(jaksa.locator(f'tr[data-victim="{elder.code}"]')).to_contain_text("25.000.000")
    expect(jaksa.locator(f'tr[data-victim="{younger.code}"]')).to_contain_text("9.500.000")
    screenshot(jaksa, "justice-restitution")

    # Time travel: the daily job the day after the due date.
    due = Restitution.objects.get(victim=elder).due_on
    assert actions.raise_reminders(now=datetime.combine(due + timedelta(days=1), time(3), UTC))
    assert {
        r.user.username
        for r in Reminder.objects.filter(clock=Clock.RESTITUTION_OVERDUE, done_at__isnull=True)
    } == {"jaksa.sambas", "pekerja.sambas"}
    # The prosecutor: the payment limit of the proceeding and the overdue restitution.
    assert {r.clock for r in queries.open_reminders(user("jaksa.sambas"))} == {
        Clock.RESTITUTION_PAYMENT,
        Clock.RESTITUTION_OVERDUE,
    }
    jaksa.goto(f"{base}/justice/deadlines/?when=all")
    expect(jaksa.locator("#deadline-list tbody tr[data-clock]")).to_have_count(2)
    expect(jaksa.locator('#deadline-list tr[data-clock="restitution_overdue"]')).to_contain_text(
        p.code
    )
    screenshot(jaksa, "justice-deadlines")
    worker = sign_in_page(browser, base, "pekerja.sambas")
    worker.goto(f"{base}/")
    expect(worker.locator('[data-work="justice.restitution_overdue"]')).to_have_attribute(
        "data-count", "1"
    )
    worker.goto(f"{base}/justice/case/{case.id}/")
    expect(worker.locator(".track .restitution")).to_contain_text(t("Partly paid"))
    screenshot(worker, "justice-case-track")
    status = queries.victim_justice_status(elder.pk, case.pk)
    assert (status.stage, status.restitution, status.payment) == ("final", "partly_paid", "partly")

    # The case worker gives the elder sister a status secret; she reads, in plain words, that
    # her restitution is not yet paid in full (issue 15 item 8 with issue 16's done-when).
    worker.goto(f"{base}/status/case/{case.id}/")
    worker.locator(f'tr[data-person="{elder.pk}"] button[value="issue"]').click()
    secret = worker.locator("#slip-secret").inner_text()
    screenshot(worker, "victim-status-slip")
    victim = browser.new_context(locale="id-ID").new_page()
    victim.goto(f"{base}/status/")
    victim.get_by_label(t("Case code")).fill(case.code)
    victim.get_by_label(t("Secret code")).fill(secret)
    victim.get_by_role("button", name=t("Show my status")).click()
    expect(victim.locator("#victim-status")).to_contain_text(
        t("Restitution is not yet paid in full: part of it has been paid.")
    )
    expect(victim.locator("#victim-status")).to_contain_text(t("The court's decision is final."))
    page_text = victim.locator("main").inner_text()
    assert elder.masked_name not in page_text and elder.code not in page_text
    screenshot(victim, "victim-status-page")
