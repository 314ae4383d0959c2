"""The shelter pages: scoping (another agency's officer gets 404, audited), the sealed address
revealed only with a reason, the board and the home page counting the waiting work, and the
lists that page and filter."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.models import Agency, Membership, User
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEvent, Outcome
from simpul.shelters import actions
from simpul.shelters.codes import ExitReason, StayStatus
from simpul.shelters.models import Stay
from tests.cases.helpers import indonesian
from tests.conftest import sign_in
from tests.shelters.helpers import (
    accepted_shelter_referral,
    checked_in,
    make_shelter,
    officer,
    planned,
)
from tests.test_demo_homes import waiting_work
from tests.web.test_words_not_codes import assert_words_only

ADDRESS = "Jl. Rahasia No. 9, Senggarang"


def _other_shelter_officer() -> User:
    """A shelter officer of another agency (the Tanjungpinang UPTD PPA runs its own home)."""
    user = User.objects.create_user("shelter.uptd", password="simpul-demo-2026")
    Membership.objects.create(
        user=user,
        agency=Agency.objects.get(name="UPTD PPA Kota Tanjungpinang"),
        role=Role.SHELTER_OFFICER,
        granted_by=User.objects.get(username="sysadmin"),
    )
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.mark.django_db
def test_another_agencys_officer_gets_404_on_a_stay_and_the_attempt_is_audited(signed_in):
    stay = checked_in(make_shelter())
    own = signed_in("shelter.tpi").get(f"/shelters/stays/{stay.pk}/")
    assert own.status_code == 200
    assert_words_only(own.content.decode(), "stay page")
    intruder = _other_shelter_officer()
    other = sign_in(Client(), "shelter.uptd")
    refused = other.get(f"/shelters/stays/{stay.pk}/")
    assert refused.status_code == 404
    denied = AuditEvent.objects.filter(
        action="stay.access", record_id=str(stay.pk), outcome=Outcome.DENIED
    )
    assert list(denied.values_list("actor_id", flat=True)) == [intruder.pk]
    posted = other.post(f"/shelters/stays/{stay.pk}/check-out/", {"exit_reason": "absconded"})
    assert posted.status_code == 404
    stay.refresh_from_db()
    assert stay.status == StayStatus.CHECKED_IN
    assert other.get("/shelters/stays/?status=all").content.decode().count("data-stay=") == 0


@pytest.mark.django_db
def test_the_address_is_sealed_until_revealed_with_a_reason_by_the_operating_agency(signed_in):
    shelter = make_shelter(address=ADDRESS)
    assert ADDRESS not in shelter.address_sealed
    url = f"/shelters/registry/{shelter.pk}/"
    client = signed_in("shelter.tpi")
    page = client.get(url).content.decode()
    assert ADDRESS not in page and 'id="reveal-form"' in page
    assert "Kota Tanjung Pinang" in page  # the regency is shown to everyone
    short = client.post(url + "address/", {"reason": "lihat"})
    assert short.status_code == 422 and ADDRESS not in short.content.decode()
    shown = client.post(url + "address/", {"reason": "Mengantar korban malam ini"})
    assert shown.status_code == 200 and ADDRESS in shown.content.decode()
    event = AuditEvent.objects.get(action="shelter.reveal_address", outcome=Outcome.OK)
    assert (event.actor_username, event.reason) == ("shelter.tpi", "Mengantar korban malam ini")
    # A case worker elsewhere sees the shelter and its regency, never the address.
    worker = signed_in("pekerja.sambas")
    other_page = worker.get(url).content.decode()
    assert ADDRESS not in other_page and 'id="reveal-form"' not in other_page
    refused = worker.post(url + "address/", {"reason": "Mengantar korban malam ini"})
    assert refused.status_code == 403 and ADDRESS not in refused.content.decode()
    assert AuditEvent.objects.filter(
        action="shelter.reveal_address", outcome=Outcome.DENIED, actor_username="pekerja.sambas"
    ).exists()


@pytest.mark.django_db
def test_closing_from_the_page_with_a_resident_is_refused_with_the_message(signed_in):
    shelter = make_shelter()
    checked_in(shelter)
    client = signed_in("shelter.tpi")
    response = client.post(f"/shelters/registry/{shelter.pk}/status/", {"version": shelter.version})
    assert response.status_code == 422
    message = indonesian(
        "The shelter cannot close while %(n)d residents are checked in: check them out first.",
        n=1,
    )
    assert message in response.content.decode()
    shelter.refresh_from_db()
    assert shelter.status == "open"


@pytest.mark.django_db
def test_the_board_and_the_home_page_count_the_waiting_work(signed_in):
    shelter = make_shelter(beds=10)
    accepted_shelter_referral()
    here = [checked_in(shelter) for _ in range(3)]
    # One stay ends tomorrow: due for review or extension.
    Stay.objects.filter(pk=here[0].pk).update(stay_until=timezone.localdate() + timedelta(days=1))
    # One resident left with the passport still in the office's safe.
    actions.receive_document(officer(), here[1], document_type="passport", consent=True)
    actions.check_out(officer(), here[1], exit_reason=ExitReason.RETURNED_HOME)
    planned(shelter)
    client = signed_in("shelter.tpi")
    home = client.get("/").content.decode()
    work = waiting_work(home)
    assert {k: v for k, v in work.items() if k.startswith("shelters.")} == {
        "shelters.admissions_waiting": 1,
        "shelters.reviews_due": 1,
        "shelters.documents_after_exit": 1,
        "shelters.residents": 2,
    }
    assert 'href="/shelters/"' in home  # the navigation entry
    board = client.get("/shelters/")
    assert board.status_code == 200
    html = board.content.decode()
    assert_words_only(html, "shelter board")
    assert len(re.findall(r'<tr data-referral="', html)) == 1
    assert len(re.findall(r'<tr data-stay="', html)) == 2
    assert len(re.findall(r'<li class="urgent" data-document="', html)) == 1


@pytest.mark.django_db
def test_the_stay_list_pages_and_filters(signed_in):
    shelter = make_shelter(beds=40)
    stays = [checked_in(shelter) for _ in range(27)]
    actions.check_out(officer(), stays[0], exit_reason=ExitReason.ABSCONDED)
    client = signed_in("shelter.tpi")
    first = client.get("/shelters/stays/").content.decode()
    assert 'data-count="26"' in first
    assert first.count('<tr data-stay="') == 25
    second = client.get("/shelters/stays/?status=here&page=2").content.decode()
    assert second.count('<tr data-stay="') == 1
    gone = client.get("/shelters/stays/?status=checked_out").content.decode()
    assert gone.count('<tr data-stay="') == 1
    code = stays[5].person.code
    found = client.get(f"/shelters/stays/?status=all&q={code}").content.decode()
    assert found.count('<tr data-stay="') == 1


@pytest.mark.django_db
def test_the_lists_cost_the_same_number_of_queries_however_long(signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in("shelter.tpi")
    shelter = make_shelter(beds=60)
    checked_in(shelter)

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ("/shelters/stays/", "/shelters/registry/", "/shelters/")
    [cost(url) for url in urls]  # warm the content-type cache
    few = [cost(url) for url in urls]
    for n in range(6):
        checked_in(shelter)
        make_shelter(name=f"Rumah Aman {n}")
    assert [cost(url) for url in urls] == few
