"""Prevention in a real browser: a task-force coordinator records an outreach event, enters the
pre- and post-tests of 30 participants and reads the results and chart; a member of the public
checks a job offer, reads the red flags and files a report that reaches the operators' queue."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from scipy import stats as sp

from simpul.accounts.models import User
from simpul.prevention import job_offer, results
from simpul.prevention.models import OPTION_LETTERS, Attempt, EventQuestion, OutreachEvent
from simpul.prevention.starter import ensure_starter_data
from tests.conftest import current_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SEBUNGA = "61.01.09.2002"


def t(text: str, lang: str = "id") -> str:
    with translation.override(lang):
        return gettext(text)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(t("Username")).fill(username)
    page.get_by_label(t("Password")).fill("simpul-demo-2026")
    page.get_by_role("button", name=t("Sign in")).click()
    if "/accounts/otp/" in page.url:
        user = User.objects.get(username=username)
        page.get_by_label(t("Code from your authenticator app")).fill(current_code(user))
        page.get_by_role("button", name=t("Verify")).click()
    if "/accounts/agreement/" in page.url:
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name=t("I agree")).click()


def answer_lines(event_questions, n_right_by_code: dict[str, int]) -> str:
    """One line per participant: the first n questions right, the rest wrong."""
    lines = []
    for code, n_right in n_right_by_code.items():
        letters = []
        for i, eq in enumerate(event_questions):
            correct = eq.question.correct
            right = i < n_right
            letters.append(
                OPTION_LETTERS[correct if right else (correct + 1) % len(eq.question.options)]
            )
        lines.append(f"{code} {''.join(letters)}")
    return "\n".join(lines)


@pytest.fixture
def starter_data():
    """The question bank comes from a data migration, which a transactional test's flush
    empties when another such test ran first."""
    ensure_starter_data()


def test_coordinator_records_an_event_enters_30_tests_and_reads_the_results(
    live_server, world, starter_data, page: Page
):
    base = live_server.url
    sign_in(page, base, "gt.kalbar")
    page.goto(f"{base}/prevention/events/new/")
    expect(page.locator("h1")).to_have_text(t("Record an outreach event"))

    page.get_by_label(t("Title")).fill("Sosialisasi migrasi aman bagi calon pekerja migran")
    page.locator("#id_held_on").fill("2026-01-15")
    picker = page.locator("#id_village")
    picker.fill("Sebunga")
    page.locator(f'li[role=option][data-code="{SEBUNGA}"]').click()
    expect(page.locator('input[type=hidden][name="village"]')).to_have_value(SEBUNGA)
    for label in ["Departing migrant workers", "Families of migrant workers", "Village officials"]:
        page.get_by_label(t(label), exact=True).check()
    for label in [
        "Forms and modus of trafficking",
        "Safe migration procedure",
        "Where to report and get help",
    ]:
        page.get_by_label(t(label), exact=True).check()
    page.get_by_label(t("Leaflet"), exact=True).check()
    page.locator("#id_count_F_2").fill("12")
    page.locator("#id_count_F_3").fill("6")
    page.locator("#id_count_M_2").fill("8")
    page.locator("#id_count_M_3").fill("4")
    page.get_by_role("button", name=t("Save"), exact=True).click()

    event = OutreachEvent.objects.get()
    expect(page).to_have_url(f"{base}/prevention/events/{event.id}/")
    expect(page.locator("h1")).to_have_text("Sosialisasi migrasi aman bagi calon pekerja migran")

    page.get_by_role("link", name=t("Knowledge test"), exact=True).click()
    page.get_by_role("button", name=t("Save the questions")).click()
    expect(page.get_by_role("link", name=t("Enter answers from paper"))).to_be_visible()
    event_questions = list(
        EventQuestion.objects.filter(event=event).select_related("question").order_by("position")
    )
    assert len(event_questions) == 10

    # 30 participants: before, 2 to 6 right; after, most gain 2 to 4, some none, two lose one.
    codes = [f"SB-{n:02d}" for n in range(1, 31)]
    before = {code: 2 + n % 5 for n, code in enumerate(codes)}
    after = {
        code: max(0, min(10, before[code] + (-1 if n in (5, 17) else [0, 2, 3, 4, 3][n % 5])))
        for n, code in enumerate(codes)
    }
    page.get_by_role("link", name=t("Enter answers from paper")).click()
    page.get_by_label(t("Pre-test"), exact=True).check()
    page.get_by_label(t("Answers, one participant per line")).fill(
        answer_lines(event_questions, before)
    )
    page.get_by_role("button", name=t("Score and save")).click()
    expect(page.locator(".messages")).to_contain_text("30")
    page.get_by_label(t("Post-test"), exact=True).check()
    page.get_by_label(t("Answers, one participant per line")).fill(
        answer_lines(event_questions, after)
    )
    page.get_by_role("button", name=t("Score and save")).click()
    expect(page.locator(".messages")).to_contain_text("30")
    assert Attempt.objects.filter(participant__event=event).count() == 60

    page.get_by_role("link", name=t("Results"), exact=True).click()
    expected = results.event_results(event)
    assert expected.n_paired == 30
    expect(page.locator("#mean-pre")).to_have_text(f"{expected.mean_pre:.1f}%".replace(".", ","))
    expect(page.locator("#mean-post")).to_have_text(f"{expected.mean_post:.1f}%".replace(".", ","))
    expect(page.locator("#share-improved")).to_have_text(f"{expected.share_improved:.0f}%")
    differences = [after[c] - before[c] for c in codes]
    scipy_p = sp.wilcoxon(
        differences, zero_method="wilcox", correction=True, method="asymptotic"
    ).pvalue
    assert expected.wilcoxon.p_value == pytest.approx(float(scipy_p), rel=1e-12)
    expect(page.locator("#wilcoxon")).to_contain_text("Wilcoxon")
    expect(page.locator("#wilcoxon")).to_contain_text("p < 0.001" if scipy_p < 0.001 else "p =")
    chart = page.locator("svg[aria-labelledby='scores-t scores-d']")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_text(t("Scores before and after"))
    expect(page.locator("svg[aria-labelledby='questions-t questions-d']")).to_be_visible()
    expect(page.locator("#question-table tbody tr")).to_have_count(10)


def test_public_visitor_checks_a_job_offer_and_files_a_report_that_reaches_the_queue(
    live_server, world, page: Page
):
    base = live_server.url
    page.goto(f"{base}/prevention/cek-tawaran-kerja/")
    expect(page.locator("h1")).to_have_text(t("Is this job offer safe?"))
    rules = job_offer.rules()
    answers = {
        "where": "abroad",
        "recruiter": "online",
        "visa": "visit",
        "passport": "recruiter",
        "route": "unofficial",
        "age": "adult",
        "fees": "wage_deduction",
    }
    for q in rules.questions:
        if q.code in answers:
            label = dict(q.choices("id"))[answers[q.code]]
            page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name=t("Check the offer")).click()

    expect(page.locator("#verdict")).to_be_visible()
    visa_flag = page.locator("article[data-flag=visit_visa]")
    expect(visa_flag).to_be_visible()
    flag = next(f for f in rules.flags if f.code == "visit_visa")
    expect(visa_flag).to_contain_text(job_offer.localised(flag.why, "id"))
    expect(visa_flag).to_contain_text(job_offer.localised(flag.what_to_do, "id"))
    expect(page.locator("article[data-flag=passport_withheld]")).to_be_visible()
    expect(page.locator("article[data-flag=debt]")).to_be_visible()
    expect(page.get_by_role("link", name="08111-129-129")).to_be_visible()

    page.locator("#report-link").click()
    expect(page).to_have_url(f"{base}/intake/report/")
    page.get_by_label(t("What happened?")).fill(
        "Tetangga saya ditawari kerja di Malaysia lewat Facebook, pakai visa turis, "
        "paspornya dipegang agen."
    )
    page.locator('input[type=hidden][name="place_region"]').evaluate(
        "(el, code) => { el.value = code; }", SEBUNGA
    )
    page.wait_for_timeout(3200)  # the form refuses submissions faster than a person types
    page.get_by_role("button", name=t("Send report")).click()
    expect(page.locator("#receipt-code")).to_be_visible()

    from simpul.intake.models import Intake

    intake = Intake.objects.get()
    assert intake.channel == "public_web" and intake.scope_region_id == SEBUNGA
    page.context.clear_cookies()
    sign_in(page, base, "operator.sambas")
    page.goto(f"{base}/intake/queue/")
    expect(page.locator("main")).to_contain_text(intake.reference)
