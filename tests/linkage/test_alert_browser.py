"""A deportee matching an open missing report: the village officer sees the alert."""

from datetime import date

import pytest
from playwright.sync_api import expect

from simpul.accounts.models import User
from simpul.identity.data import IdentityData
from simpul.linkage.models import LinkageAlert
from simpul.regions.models import Region
from tests.browser.helpers import sign_in_page, t
from tests.linkage.helpers import SEBUNGA, nik, run
from tests.migration.builders import return_input

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_missing_report_alert_reaches_the_village_officer(live_server, world, browser):
    from simpul.migration import actions as migration

    report = migration.report_missing(
        User.objects.get(username="desa.sebunga"),
        migration.MissingInput(reported_on=date.today(), reported_by="family"),
        identity=IdentityData(
            full_name="Theresia Ningkan",
            nik=nik(date(1997, 8, 9), 8801),
            birth_date="1997-08-09",
            sex="F",
        ),
        home_village=Region.objects.get(pk=SEBUNGA),
    )
    run(full=True)
    migration.record_return(
        User.objects.get(username="pos.aruk"),
        IdentityData(
            full_name="THERESIA NINGKAN", birth_date="1997-08-09", sex="F", passport="SPLP 99812"
        ),
        return_input(),
        home_region=Region.objects.get(pk="61.01.09"),
    )
    run()
    assert LinkageAlert.objects.count() == 1

    page = sign_in_page(browser, live_server.url, "desa.sebunga")
    page.goto(f"{live_server.url}/linkage/alerts/")
    alert = page.locator("#alert-list li[data-kind='missing_match']")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text(report.reference)
    expect(alert).to_contain_text(t("Return or deportation"))
    expect(alert).not_to_contain_text("Theresia")
    alert.get_by_role("button", name=t("Same person"), exact=True).click()
    expect(page.locator("#alert-list")).to_contain_text(t("No alerts."))
    assert LinkageAlert.objects.get().status == "confirmed"
    page.context.close()
