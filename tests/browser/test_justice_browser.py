"""Issue 16 in a real browser: the police open a proceeding on a case referred to them and
hand over the file; the prosecutor returns it with instructions (P-19), is refused P-21 until
the file comes back, then records P-21. The case worker sees the stages only."""

import pytest
from playwright.sync_api import Browser, Page, expect

from simpul.justice.codes import EventCode as E
from simpul.justice.models import Proceeding
from tests.browser.helpers import sign_in_page, t
from tests.justice.support import ago, justice_case

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


def test_police_and_prosecutor_in_the_browser(live_server, world, browser: Browser):
    base = live_server.url
    case = justice_case()
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

    worker = sign_in_page(browser, base, "pekerja.sambas")
    worker.goto(f"{base}/justice/case/{case.id}/")
    expect(worker.locator(".track")).to_contain_text(t("File complete (P-21)"))
    assert "Lengkapi visum" not in worker.content()
