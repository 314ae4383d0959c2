"""Issue 21, finding 3 in Chromium: a canary person searched by NIK, by name and by phone
through the pages appears in no URL the browser saw, in no browser storage and in no log line;
the searches really went out, in POST bodies."""

import logging

import pytest
from playwright.sync_api import Browser, Request, expect

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from tests.browser.helpers import sign_in_page, t

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = "Zulaikha Kanaritomo"
NIK = "6101094507880031"
PHONE = "081377712345"
# Every form the canary could take in a URL, a storage dump or a log line.
SECRETS = [NIK, PHONE, "6281377712345", "1377712345", "Kanaritomo", "kanaritomo", "Zulaikha"]


def test_a_searched_canary_leaves_no_trace_in_urls_storage_or_logs(
    live_server, world, browser: Browser, caplog
):
    for name in ["django.request", "django.server", "simpul", ""]:
        caplog.set_level(logging.DEBUG, logger=name)
    person, _ = create_person(
        User.objects.get(username="pekerja.sambas"),
        IdentityData(full_name=NAME, nik=NIK, phone=PHONE),
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
        scope_region=None,
    )
    base = live_server.url
    page = sign_in_page(browser, base, "pekerja.sambas")
    requests: list[Request] = []
    urls: list[str] = []
    page.context.on("request", lambda r: (requests.append(r), urls.append(r.url)))
    page.on("framenavigated", lambda frame: urls.append(frame.url))

    page.goto(f"{base}/persons/")
    for query in [NIK, NAME, PHONE]:
        page.locator("#q").fill(query)
        page.locator("#person-search button[type=submit]").click()
        expect(page.locator("#person-rows")).to_contain_text(person.code)
        expect(page.locator("#person-rows tbody tr")).to_have_count(1)
        urls.append(page.url)
    # Open the person found, come back, search cases by NIK.
    page.get_by_role("link", name=person.code).click()
    urls.append(page.url)
    page.go_back()
    urls.append(page.url)
    page.goto(f"{base}/cases/")
    page.locator("#q").fill(NIK)
    page.locator("#case-search button[type=submit]").click()
    expect(page.locator("#case-rows h2")).to_contain_text(t("Search results"))
    urls.append(page.url)

    storage = page.evaluate(
        "() => JSON.stringify({local: Object.assign({}, localStorage),"
        " session: Object.assign({}, sessionStorage)})"
    )
    cookies = str(page.context.cookies())
    logs = caplog.text
    for secret in SECRETS:
        assert not [u for u in urls if secret in u], (secret, urls)
        assert secret not in storage, (secret, storage)
        assert secret not in cookies, secret
        assert secret not in logs, secret
    assert "htmx-history-cache" not in storage

    # The searches did go out, each in a POST body, never in a URL.
    posted = [
        r for r in requests if r.method == "POST" and r.url.endswith(("/persons/", "/cases/"))
    ]
    bodies = " ".join(r.post_data or "" for r in posted)
    for query in [NIK, "Zulaikha", PHONE]:
        assert query in bodies, query
    assert not [r for r in requests if r.method == "GET" and "q=" in r.url]
    searches = AuditEvent.objects.filter(action__in=["person.search", "case.search"])
    assert searches.exclude(searched_index="").count() >= 4
