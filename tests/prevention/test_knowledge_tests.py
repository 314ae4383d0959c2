"""Knowledge tests: questions, answers from paper and from phones, automatic scoring, results."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from scipy import stats as sp

from simpul.audit.models import AuditEvent
from simpul.prevention import actions, results
from simpul.prevention.models import (
    Answer,
    Attempt,
    EventQuestion,
    Participant,
    PhoneTest,
    Question,
)
from tests.prevention.conftest import in_english, letters_for, make_event

pytestmark = pytest.mark.django_db

# Right (R), wrong (W) or blank (-) for questions 1-4, before and after.
SHEETS = {
    "P01": ("RRWW", "RRRR"),
    "P02": ("RWWW", "RRRW"),
    "P03": ("RRRW", "RRRW"),
    "P04": ("WWWW", "RWRW"),
    "P05": ("RRRR", "RRRW"),
    "P06": ("RWRW", "RRRR"),
    "P07": ("WRWW", "WRRW"),
    "P08": ("RR-W", "RRRR"),
}


@pytest.fixture
def event(coordinator, kalbar):
    return make_event(coordinator, kalbar, n_questions=4)


def _enter(client, event, phase, lines, replace=False):
    data = {"phase": phase, "lines": "\n".join(lines)}
    if replace:
        data["replace"] = "on"
    return client.post(f"/prevention/events/{event.id}/test/answers/", data)


def _enter_all(client, event):
    pre = [f"{code} {letters_for(event, p)}" for code, (p, _q) in SHEETS.items()]
    pre.append(f"P09 {letters_for(event, 'RRRR')}")  # only a pre-test: not paired
    post = [f"{code.lower()} {letters_for(event, q)}" for code, (_p, q) in SHEETS.items()]
    assert _enter(client, event, "pre", pre).status_code == 302
    assert _enter(client, event, "post", post).status_code == 302


def test_default_questions_take_turns_across_the_topics():
    chosen = actions.default_questions(["safe_migration", "where_to_report"], 5)
    assert [q.topic for q in chosen] == [
        "safe_migration",
        "where_to_report",
        "safe_migration",
        "where_to_report",
        "safe_migration",
    ]
    assert [q.code for q in chosen][:2] == ["MIG-01", "REP-01"]


def test_the_test_page_suggests_questions_and_saves_the_choice(signed_in, coordinator, kalbar):
    event = make_event(coordinator, kalbar, n_questions=0)
    client = signed_in("gt.kalbar")
    page = client.get(f"/prevention/events/{event.id}/test/")
    initial = page.context["form"].initial["questions"]
    assert len(initial) == 10
    picked = list(Question.objects.filter(topic="forms_modus").values_list("pk", flat=True))[:3]
    response = client.post(f"/prevention/events/{event.id}/test/", {"questions": picked})
    assert response.status_code == 302
    assert list(
        EventQuestion.objects.filter(event=event)
        .order_by("position")
        .values_list("question_id", flat=True)
    ) == sorted(picked, key=lambda pk: Question.objects.get(pk=pk).code)
    sheet = client.get(f"/prevention/events/{event.id}/test/sheet/").content.decode()
    assert Question.objects.get(pk=picked[0]).text in sheet


def test_paper_answers_are_scored_and_results_match_the_hand_computation(signed_in, event):
    client = signed_in("gt.kalbar")
    _enter_all(client, event)
    assert Attempt.objects.filter(participant__event=event).count() == 17
    assert Participant.objects.filter(event=event).count() == 9
    p08 = Attempt.objects.get(participant__code="P08", phase="pre")
    assert (p08.n_correct, p08.n_questions, p08.score) == (2, 4, 50.0)
    assert Answer.objects.filter(attempt=p08, choice__isnull=True).count() == 1

    r = results.event_results(event)
    # Scores before: 50 25 75 0 100 50 25 50 (mean 46.875); after: 100 75 75 50 75 100 50 100
    # (mean 78.125); gain 31.25 points; 6 of 8 improved, 1 unchanged, 1 lower; P09 unpaired.
    assert (r.n_pre, r.n_post, r.n_paired, r.unpaired) == (9, 8, 8, 1)
    assert r.mean_pre == 46.875 and r.mean_post == 78.125 and r.mean_gain == 31.25
    assert (r.improved, r.unchanged, r.worse, r.share_improved) == (6, 1, 1, 75.0)
    # Changes in correct answers: 2 2 0 2 -1 2 1 2. Zero dropped, n = 7; ranks of |d|:
    # 1, 1 -> 1.5 each; 2 x 5 -> 5 each. W+ = 5*5 + 1.5 = 26.5, W- = 1.5. Ties: normal
    # approximation, var = 7*8*15/24 - ((2^3-2) + (5^3-5))/48 = 35 - 2.625 = 32.375,
    # z = (26.5 - 14 - 0.5) / sqrt(32.375) = 2.1090, p = 0.03494.
    w = r.wilcoxon
    assert (w.n, w.n_zero, w.w_plus, w.w_minus, w.method) == (7, 1, 26.5, 1.5, "normal")
    assert w.p_value == pytest.approx(0.034940, abs=5e-6)
    scipy_p = sp.wilcoxon(
        [2, 2, 0, 2, -1, 2, 1, 2], zero_method="wilcox", correction=True, method="asymptotic"
    ).pvalue
    assert w.p_value == pytest.approx(float(scipy_p), rel=1e-12)
    # Per question among the 8 pairs: correct before/after, b (right->wrong), c (wrong->right),
    # exact McNemar p = min(1, 2 * P(Bin(b+c, 1/2) <= min(b, c))).
    expected = [
        (6, 7, 0, 1, 1.0),  # n=1: 2 * 1/2
        (5, 7, 0, 2, 0.5),  # n=2: 2 * 1/4
        (3, 8, 0, 5, 0.0625),  # n=5: 2 * 1/32
        (1, 3, 1, 3, 0.625),  # n=4: 2 * 5/16
    ]
    got = [
        (q.pre_correct, q.post_correct, q.mcnemar.b, q.mcnemar.c, q.mcnemar.p_value)
        for q in r.questions
    ]
    assert got == expected
    assert [q.pre_rate for q in r.questions] == [75.0, 62.5, 37.5, 12.5]
    assert AuditEvent.objects.filter(action="prevention.test.record").count() == 2
    # The event list counts 20 people (12 + 8) and 9 tested participants, not a product of both.
    (listed,) = client.get("/prevention/events/").context["events"]
    assert (listed.people, listed.tested) == (20, 9)


def test_the_results_page_names_the_tests_and_draws_the_charts(signed_in, event):
    client = in_english(signed_in("gt.kalbar"))
    _enter_all(client, event)
    page = client.get(f"/prevention/events/{event.id}/results/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Wilcoxon" in html and "McNemar" in html and "0.035" in html
    assert html.count("<svg") == 2 and "style=" not in html.split("<svg", 1)[1]
    assert "<script" not in html.split("</head>", 1)[1]


def test_bad_answer_lines_are_reported_by_line_and_nothing_is_stored(signed_in, event):
    client = in_english(signed_in("gt.kalbar"))
    response = _enter(
        client,
        event,
        "pre",
        ["P01 ABC", "P02 ABCE", "6101094107900001 ABCD", "P04 ABCD", "P04 ABCD"],
    )
    errors = response.context["form"].errors["lines"]
    assert errors[0].startswith("Line 1: P01 has 3 answers")
    assert any("Line 2" in e for e in errors) and any("Line 3" in e for e in errors)
    assert any("Line 5" in e for e in errors)
    assert Attempt.objects.count() == 0


def test_recording_again_needs_replace_and_questions_lock_once_answers_exist(
    signed_in, event, coordinator
):
    client = signed_in("gt.kalbar")
    assert _enter(client, event, "pre", [f"K01 {letters_for(event, 'RRRR')}"]).status_code == 302
    again = _enter(client, event, "pre", [f"K01 {letters_for(event, 'WWWW')}"])
    assert "K01" in again.context["form"].errors["lines"][0]
    assert Attempt.objects.get(participant__code="K01").n_correct == 4
    replaced = _enter(client, event, "pre", [f"K01 {letters_for(event, 'WWWW')}"], replace=True)
    assert replaced.status_code == 302
    assert Attempt.objects.get(participant__code="K01").n_correct == 0
    with pytest.raises(ValidationError):
        actions.set_test_questions(coordinator, event, list(Question.objects.all()[:2]))
    assert EventQuestion.objects.filter(event=event).count() == 4


def test_participants_answer_on_their_phones_without_an_account(signed_in, event):
    staff = signed_in("gt.kalbar")
    staff.post(f"/prevention/events/{event.id}/test/phone/", {"state": PhoneTest.PRE})
    event.refresh_from_db()
    assert event.phone_phase == "pre" and event.phone_token
    test_page = staff.get(f"/prevention/events/{event.id}/test/")
    assert f"/prevention/t/{event.phone_token}/" in test_page.content.decode()
    url = f"/prevention/t/{event.phone_token}/"
    public = Client()
    form = public.get(url)
    assert form.status_code == 200
    eqs = list(EventQuestion.objects.filter(event=event).select_related("question"))
    right = {f"q{eq.position}": str(eq.question.correct) for eq in eqs}
    response = public.post(url, {"code": "hp-07", **right})
    assert response.status_code == 200 and response.context["done"]
    attempt = Attempt.objects.get(participant__code="HP-07")
    assert (attempt.phase, attempt.channel, attempt.n_correct) == ("pre", "phone", 4)
    assert attempt.recorded_by is None
    again = public.post(url, {"code": "HP-07", **right})
    assert not again.context["done"] and again.context["form"].errors["code"]
    staff.post(f"/prevention/events/{event.id}/test/phone/", {"state": PhoneTest.POST})
    blank_one = dict(right)
    del blank_one["q1"]
    assert public.post(url, {"code": "HP-07", **blank_one}).context["done"]
    r = results.event_results(event)
    assert [(p.code, p.pre, p.post) for p in r.pairs] == [("HP-07", 100.0, 75.0)]
    staff.post(f"/prevention/events/{event.id}/test/phone/", {"state": PhoneTest.CLOSED})
    assert public.get(url).status_code == 404
    assert public.get("/prevention/t/not-a-real-token/").status_code == 404
    assert AuditEvent.objects.filter(action="prevention.test.phone_submit").count() == 2


def test_a_phone_test_cannot_open_without_questions(coordinator, kalbar):
    event = make_event(coordinator, kalbar, n_questions=0)
    with pytest.raises(ValidationError):
        actions.set_phone_test(coordinator, event, PhoneTest.PRE)


def test_learning_across_events_ranks_topics_and_audiences(signed_in, coordinator, kalbar):
    first = make_event(coordinator, kalbar, n_questions=4, audiences=["youth"])
    second = make_event(coordinator, kalbar, n_questions=4, audiences=["teachers", "youth"])
    client = signed_in("gt.kalbar")
    # First event (youth): two participants, no change at all.
    _enter(
        client,
        first,
        "pre",
        [f"A1 {letters_for(first, 'RWRW')}", f"A2 {letters_for(first, 'RRWW')}"],
    )
    _enter(
        client,
        first,
        "post",
        [f"A1 {letters_for(first, 'RWRW')}", f"A2 {letters_for(first, 'RRWW')}"],
    )
    # Second event (teachers and youth): one participant from 25% to 100%.
    _enter(client, second, "pre", [f"B1 {letters_for(second, 'RWWW')}"])
    _enter(client, second, "post", [f"B1 {letters_for(second, 'RRRR')}"])
    summary = client.get("/prevention/learning/").context["learning"]
    assert (summary.n_events, summary.n_participants) == (2, 3)
    by_key = {g.key: g for g in summary.audiences}
    # Youth: pre (50 + 50 + 25)/3, post (50 + 50 + 100)/3 -> gain 25 points; teachers: +75.
    assert by_key["youth"].gain == pytest.approx(25.0)
    assert by_key["teachers"].gain == pytest.approx(75.0)
    assert [g.key for g in summary.audiences] == ["youth", "teachers"]
    assert sum(g.n for g in summary.topics) == 12  # 3 participants x 4 questions
