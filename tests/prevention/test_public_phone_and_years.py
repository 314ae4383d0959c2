"""The public phone test: rate limited, and a participant code used on one phone cannot be
taken over from another; prevention pages refuse an absurd ?year= (issue 21, finding 9)."""

import pytest
from django.core.cache import cache
from django.test import Client

from simpul.prevention.models import Attempt, EventQuestion, Participant, PhoneTest
from simpul.prevention.views.public import PHONE_CLAIM_COOKIE, PHONE_TESTS_PER_ADDRESS
from tests.prevention.conftest import in_english, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(coordinator, kalbar):
    return make_event(coordinator, kalbar, n_questions=4)


def _open(signed_in, event, phase):
    signed_in("gt.kalbar").post(f"/prevention/events/{event.id}/test/phone/", {"state": phase})
    event.refresh_from_db()
    return f"/prevention/t/{event.phone_token}/"


def _right(event):
    eqs = EventQuestion.objects.filter(event=event).select_related("question")
    return {f"q{eq.position}": str(eq.question.correct) for eq in eqs}


def test_a_code_used_on_one_phone_cannot_be_taken_over_from_another(signed_in, event):
    url = _open(signed_in, event, PhoneTest.PRE)
    owner, squatter = Client(REMOTE_ADDR="10.1.0.1"), Client(REMOTE_ADDR="10.1.0.2")
    first = owner.post(url, {"code": "HP-07", **_right(event)})
    assert first.status_code == 200 and first.context["done"]
    assert PHONE_CLAIM_COOKIE in first.cookies
    assert first.cookies[PHONE_CLAIM_COOKIE]["httponly"]
    url = _open(signed_in, event, PhoneTest.POST)
    # Another phone sends the post-test under the owner's code first: refused, nothing stored.
    taken = in_english(squatter).post(url, {"code": "HP-07", **_right(event)})
    assert not taken.context["done"]
    assert "another phone" in " ".join(taken.context["form"].errors["code"])
    assert Attempt.objects.filter(participant__code="HP-07").count() == 1
    # The owner's phone is still accepted.
    mine = owner.post(url, {"code": "HP-07", **_right(event)})
    assert mine.context["done"]
    assert sorted(
        Attempt.objects.filter(participant__code="HP-07").values_list("phase", flat=True)
    ) == ["post", "pre"]
    assert Participant.objects.get(event=event, code="HP-07").phone_claim


def test_a_forged_cookie_claims_nothing(signed_in, event):
    url = _open(signed_in, event, PhoneTest.PRE)
    assert (
        Client(REMOTE_ADDR="10.1.0.1").post(url, {"code": "HP-08", **_right(event)}).context["done"]
    )
    url = _open(signed_in, event, PhoneTest.POST)
    forger = Client(REMOTE_ADDR="10.1.0.3")
    forger.cookies[PHONE_CLAIM_COOKIE] = "made-up-value"
    assert not forger.post(url, {"code": "HP-08", **_right(event)}).context["done"]
    assert Attempt.objects.filter(participant__code="HP-08").count() == 1


def test_the_public_phone_test_is_rate_limited_per_connection(signed_in, event):
    cache.clear()
    url = _open(signed_in, event, PhoneTest.PRE)
    client = Client(REMOTE_ADDR="10.9.9.9")
    for i in range(PHONE_TESTS_PER_ADDRESS):
        response = client.post(url, {"code": f"R{i:03d}", **_right(event)})
        assert response.status_code == 200 and response.context["done"], i
    before = Participant.objects.filter(event=event).count()
    refused = client.post(url, {"code": "R999", **_right(event)})
    assert refused.status_code == 429 and not refused.context["done"]
    assert Participant.objects.filter(event=event).count() == before
    # Another connection is not affected.
    other = Client(REMOTE_ADDR="10.9.9.10").post(url, {"code": "R998", **_right(event)})
    assert other.status_code == 200 and other.context["done"]


@pytest.mark.parametrize("page", ["/prevention/events/", "/prevention/learning/"])
def test_an_absurd_year_gives_the_page_with_a_message_not_a_500(signed_in, event, page):
    client = in_english(signed_in("gt.kalbar"))
    response = client.get(page, {"year": "99999999999999999999"})
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [
        "Choose a year between 1900 and 2100."
    ]
    assert client.get(page, {"year": str(event.held_on.year)}).status_code == 200
    assert client.get(page, {"year": "0"}).status_code == 400
    assert client.get(page).status_code == 200
