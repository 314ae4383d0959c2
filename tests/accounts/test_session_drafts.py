"""Issue 12 item 5 (sessions): what was typed survives an idle timeout, sealed, and comes back
once after signing in again on the page it was typed on; polling never keeps a session alive."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from simpul.accounts.models import SessionDraft
from simpul.audit.models import AuditEvent
from tests.conftest import sign_in

FORM = "/intake/new/"
TYPED = {
    "channel": "hotline",
    "narrative": "Tetangga bilang anaknya dibawa ke Kuching tanpa dokumen.",
    "reporter_name": "Ibu Sari",
    "reporter_phone": "081234567890",
    "immediate_danger": "on",
}


def _draft_on(page) -> dict | None:
    match = re.search(r'data-draft="([^"]*)"', page.content.decode())
    if not match or not match.group(1):
        return None
    import html

    return json.loads(html.unescape(match.group(1)))


@pytest.mark.django_db
def test_a_form_posted_after_the_idle_limit_is_kept_sealed_and_given_back_once(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        operator = sign_in(Client(), "operator.sambas")
        assert operator.get(FORM).status_code == 200
        clock.shift(timedelta(minutes=16))
        response = operator.post(
            FORM,
            {**TYPED, "csrfmiddlewaretoken": "x", "password": "never-kept"},
            HTTP_REFERER=f"http://testserver{FORM}",
        )
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={FORM}&reason=idle&kept=1"
        draft = SessionDraft.objects.get()
        assert (draft.user.username, draft.path, draft.action) == ("operator.sambas", FORM, FORM)
        assert "Kuching" not in draft.fields_sealed and "Sari" not in draft.fields_sealed
        assert draft.expires_at == timezone.now() + timedelta(hours=24)
        assert AuditEvent.objects.filter(action="auth.session_timeout", reason="idle").count() == 1
        assert AuditEvent.objects.filter(action="accounts.session_draft_kept").count() == 1
        # The session is over: nothing was saved, nothing can be read.
        assert operator.get("/intake/").status_code == 302

        login = operator.get(response["Location"])
        with override("id"):
            assert (
                gettext("You were signed out after a period without activity. Sign in again.")
                in login.content.decode()
            )
        assert 'id="draft-kept"' in login.content.decode()

        # Another user signing in never sees it.
        other = sign_in(Client(), "supervisor.sambas")
        assert _draft_on(other.get(FORM)) is None
        assert SessionDraft.objects.count() == 1

        # The same user signs in again and lands on the form, which gets the draft once.
        again = Client()
        first = again.post(
            f"/accounts/login/?next={FORM}",
            {"username": "operator.sambas", "password": "simpul-demo-2026"},
        )
        from simpul.accounts.models import User
        from tests.conftest import current_code

        assert first["Location"].startswith("/accounts/otp/")
        code = current_code(User.objects.get(username="operator.sambas"))
        step = again.post(first["Location"], {"token": code})
        assert step["Location"] == FORM
        restored = _draft_on(again.get(FORM))
        assert restored is not None
        assert restored["action"] == FORM
        assert restored["fields"] == {
            "channel": ["hotline"],
            "narrative": [TYPED["narrative"]],
            "reporter_name": ["Ibu Sari"],
            "reporter_phone": ["081234567890"],
            "immediate_danger": ["on"],
        }
        assert SessionDraft.objects.count() == 0
        assert _draft_on(again.get(FORM)) is None
        assert AuditEvent.objects.filter(action="accounts.session_draft_restored").count() == 1


@pytest.mark.django_db
def test_an_htmx_post_after_the_idle_limit_returns_to_its_page_never_to_a_post_only_address(
    world,
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        operator = sign_in(Client(), "operator.sambas")
        clock.shift(timedelta(minutes=16))
        response = operator.post(
            "/intake/new/draft/",
            TYPED,
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL=f"http://testserver{FORM}",
        )
        assert response.status_code == 200
        assert response["HX-Redirect"] == f"/accounts/login/?next={FORM}&reason=idle&kept=1"
        draft = SessionDraft.objects.get()
        assert (draft.path, draft.action) == (FORM, "/intake/new/draft/")


@pytest.mark.django_db
def test_a_post_without_a_known_page_returns_home(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        operator = sign_in(Client(), "operator.sambas")
        clock.shift(timedelta(minutes=16))
        response = operator.post("/intake/new/draft/", TYPED)
        assert response["Location"] == "/accounts/login/?next=/&reason=idle&kept=1"
        # A foreign Referer is never followed.
        operator = sign_in(Client(), "operator.sambas")
        clock.shift(timedelta(minutes=16))
        response = operator.post(FORM, TYPED, HTTP_REFERER="https://evil.example/intake/new/")
        assert response["Location"].startswith("/accounts/login/?next=/&")


@pytest.mark.django_db
def test_drafts_expire_after_a_day(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        operator = sign_in(Client(), "operator.sambas")
        clock.shift(timedelta(minutes=16))
        operator.post(FORM, TYPED, HTTP_REFERER=f"http://testserver{FORM}")
        assert SessionDraft.objects.count() == 1
        clock.shift(timedelta(hours=25))
        again = sign_in(Client(), "operator.sambas")
        assert _draft_on(again.get(FORM)) is None


@pytest.mark.django_db
def test_polling_alone_does_not_keep_a_session_alive(world):
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_X_SIMPUL_BACKGROUND": "1"}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        unattended = sign_in(Client(), "operator.sambas")
        for _ in range(3):  # every 5 minutes for 15 minutes
            clock.shift(timedelta(minutes=5))
            assert unattended.get("/intake/queue/", **poll).status_code == 200
        clock.shift(timedelta(minutes=2))
        ended = unattended.get(
            "/intake/queue/", HTTP_HX_CURRENT_URL="http://testserver/intake/queue/", **poll
        )
        assert ended.status_code == 200
        assert ended["HX-Redirect"] == "/accounts/login/?next=/intake/queue/&reason=idle"
        assert unattended.get("/intake/queue/").status_code == 302
        assert AuditEvent.objects.filter(action="auth.session_timeout", reason="idle").count() == 1

        # The same requests asked for by a person do keep it alive.
        attended = sign_in(Client(), "operator.sambas")
        for _ in range(4):
            clock.shift(timedelta(minutes=5))
            assert attended.get("/intake/queue/", HTTP_HX_REQUEST="true").status_code == 200
        clock.shift(timedelta(minutes=2))
        assert attended.get("/intake/queue/").status_code == 200


def test_the_queue_polls_and_the_script_marks_polling_as_background():
    from pathlib import Path

    import simpul

    root = Path(simpul.__file__).parent
    queue = (root / "intake/templates/intake/queue.html").read_text()
    assert 'hx-trigger="every 30s"' in queue
    script = (root / "accounts/static/accounts/session-drafts.js").read_text()
    assert '"X-Simpul-Background"' in script


@pytest.mark.django_db
def test_nothing_is_kept_from_a_language_switch_or_a_post_without_fields(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        operator = sign_in(Client(), "operator.sambas")
        clock.shift(timedelta(minutes=16))
        switched = operator.post(
            "/i18n/setlang/",
            {"language": "en", "next": FORM},
            HTTP_REFERER=f"http://testserver{FORM}",
        )
        assert switched["Location"] == f"/accounts/login/?next={FORM}&reason=idle"
        operator = sign_in(Client(), "operator.sambas")
        clock.shift(timedelta(minutes=16))
        operator.post(FORM, {"password": "x"}, HTTP_REFERER=f"http://testserver{FORM}")
        assert SessionDraft.objects.count() == 0
