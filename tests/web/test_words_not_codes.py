"""Indonesian pages show words, not codes: no `None`, no stored code (screening elements and
ILO/EC dimensions, HTCDS status, result codes, rule-set codes, risk letters), dates in the one
format of the language."""

import html as htmllib
import re

import pytest
from django.urls import reverse
from django.utils.translation import override

from simpul.accounts.models import Agency, User
from simpul.identity.models import Person
from simpul.screening.actions import screen
from simpul.screening.models import ScreeningOutcome, TraffickingStatus
from simpul.screening.questions import QUESTION_LABELS, reason_label
from simpul.web.templatetags.simpul_tags import day, moment
from tests.prevention.conftest import make_event

ANSWERS = {
    "act_recruitment": True,
    "means_deception": True,
    "purpose_exploitation_resulted": True,
    "d1_job_nature": True,
    "d1_wages": True,
    "age_at_act": 30,
}

RAW = [
    r"\bNone\b",
    r"\bD[1-6]\b",  # ILO/EC dimension codes
    r"\b(act|means|purpose|d[1-6])_[a-z_]+\b",  # question codes
    "|".join(re.escape(v) for v in TraffickingStatus.values),
    "|".join(re.escape(v) for v in ScreeningOutcome.values),
    r"uu21-delphi",
    r"Delphi 2009:",  # the rule set's English basis text
    r"\d{4}-\d{2}-\d{2}",  # ISO dates
]


def visible_text(page: str) -> str:
    body = page.split("<body", 1)[1]
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def assert_words_only(page: str, where: str) -> None:
    # A table cell holding nothing but a code (the UU 21/2007 elements, the ILO/EC dimensions).
    cell = re.search(r"<td[^>]*>\s*(act|means|purpose|D[1-6])\s*</td>", page)
    assert cell is None, (where, cell.group(0) if cell else "")
    text = visible_text(page)
    for pattern in RAW:
        found = re.search(pattern, text)
        assert found is None, (where, text[max(0, found.start() - 80) : found.end() + 40])


@pytest.fixture
def result(world):
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    person = Person.objects.filter(owner_agency=agency).order_by("pk").first()
    return screen(worker, person, ANSWERS)


def test_screening_pages_name_elements_indicators_and_status_in_words(result, signed_in):
    client = signed_in("supervisor.sambas")
    client.post(
        reverse("screening:result", args=[result.id]),
        {"status": "PossibleVictimOfTrafficking", "decision_org": "Police"},
    )
    result.refresh_from_db()
    page = client.get(reverse("screening:result", args=[result.id])).content.decode()
    assert_words_only(page, "result")
    with override("id"):
        text = visible_text(page)
        assert str(QUESTION_LABELS["d1_wages"]) in text
        assert reason_label("act") in text and reason_label("D1") in text
        assert str(TraffickingStatus.POSSIBLE.label) in text
        assert moment(result.interviewed_at) in text and moment(result.decided_at) in text
    # The reasons keep their codes where code belongs: in data attributes.
    assert re.findall(r'data-code="([^"]+)"', page) == [
        "act",
        "means",
        "purpose",
        "D1",
        "D2",
        "D3",
        "D4",
        "D5",
        "D6",
    ]
    listing = client.get(reverse("screening:list")).content.decode()
    assert_words_only(listing, "list")
    with override("id"):
        assert day(result.interviewed_at) in visible_text(listing)


def test_a_refused_status_decision_is_422_and_changes_nothing(result, signed_in):
    client = signed_in("supervisor.sambas")
    response = client.post(
        reverse("screening:result", args=[result.id]),
        {"status": "Guilty", "decision_org": "Police"},
    )
    assert response.status_code == 422
    result.refresh_from_db()
    assert result.trafficking_status == "" and result.version == 1
    assert_words_only(response.content.decode(), "refused")


def test_home_pages_and_prevention_pages_show_words_and_one_date_format(world, signed_in):
    coordinator = User.objects.get(username="gt.kalbar")
    kalbar = Agency.objects.get(name="GT PP-TPPO Provinsi Kalimantan Barat")
    event = make_event(coordinator, kalbar)
    client = signed_in("gt.kalbar")
    pages = {
        "home": "/",
        "prevention": reverse("prevention:home"),
        "events": reverse("prevention:event_list"),
        "event": reverse("prevention:event_detail", args=[event.id]),
        "coverage": reverse("prevention:coverage") + "?area=61.01.09",
        "volunteers": reverse("prevention:volunteer_list"),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_words_only(response.content.decode(), where)
    with override("id"):
        held = day(event.held_on)
    for where in ("events", "event"):
        assert held in visible_text(client.get(pages[where]).content.decode()), where
    # Risk bands are words on the coverage grid, never the letters H, M or L.
    coverage = client.get(pages["coverage"]).content.decode()
    assert not re.search(r">[HML]\s", coverage)
    for username in ("operator.sambas", "pos.aruk", "sysadmin"):
        assert_words_only(signed_in(username).get("/").content.decode(), username)
