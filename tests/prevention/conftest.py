"""Prevention fixtures: the browser fixtures, and helpers that go through the real actions."""

import datetime as dt

import pytest

import tests.conftest as _root
from simpul.accounts.models import Agency, User
from simpul.prevention import actions
from simpul.prevention.models import Question
from simpul.regions.models import Region

# The browser fixtures live in tests/browser/conftest.py. Import them here only while the shared
# tests/conftest.py does not provide them itself (a second session-scoped definition would start
# a second Playwright in the same run, which Playwright refuses).
if not hasattr(_root, "browser"):
    from tests.browser.conftest import browser, page  # noqa: F401

SEBUNGA = "61.01.09.2002"
SANTABAN = "61.01.09.2003"
SENGGARANG = "21.72.03.1003"


@pytest.fixture
def coordinator(world) -> User:
    return User.objects.get(username="gt.kalbar")


@pytest.fixture
def kalbar(world) -> Agency:
    return Agency.objects.get(name="GT PP-TPPO Provinsi Kalimantan Barat")


def event_data(village: str = SEBUNGA, **overrides) -> actions.EventData:
    values = {
        "title": "Sosialisasi TPPO",
        "held_on": dt.date.today() - dt.timedelta(days=10),
        "village": Region.objects.get(pk=village),
        "audiences": ["departing_migrants", "families"],
        "topics": ["forms_modus", "safe_migration"],
        "materials": ["leaflet"],
        "counts": {("F", "18-24"): 12, ("M", "25-44"): 8},
    }
    values.update(overrides)
    return actions.EventData(**values)


def make_event(user: User, agency: Agency, village: str = SEBUNGA, n_questions: int = 4, **kw):
    event = actions.create_event(user, event_data(village, **kw), owner_agency=agency)
    if n_questions:
        questions = list(Question.objects.order_by("code")[:n_questions])
        actions.set_test_questions(user, event, questions)
    return event


def letters_for(event, pattern: str) -> str:
    """Answer letters from a pattern of R (right), W (wrong) and - (blank), per question."""
    from simpul.prevention.models import OPTION_LETTERS, EventQuestion

    out = []
    for eq, mark in zip(
        EventQuestion.objects.filter(event=event).select_related("question").order_by("position"),
        pattern,
        strict=True,
    ):
        correct = eq.question.correct
        if mark == "R":
            out.append(OPTION_LETTERS[correct])
        elif mark == "W":
            out.append(OPTION_LETTERS[(correct + 1) % len(eq.question.options)])
        else:
            out.append("-")
    return "".join(out)


def in_english(client):
    """Ask for English pages (the default language is Bahasa Indonesia)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def kepri_coordinator(world) -> User:
    """A task-force coordinator in Kepulauan Riau, to record outreach there."""
    from simpul.accounts.models import Membership

    user = User.objects.create_user("gt.kepri", password="a-long-enough-passphrase")
    Membership.objects.create(
        user=user,
        agency=Agency.objects.get(name="GT PP-TPPO Provinsi Kepulauan Riau"),
        role="taskforce_coordinator",
    )
    return user
