"""Knowledge tests: questions, paper answer sheets, the phone test."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.prevention.actions.common import (
    DEFAULT_TEST_LENGTH,
    MAX_PHONE_PARTICIPANTS,
    MAX_TEST_LENGTH,
    require_event,
)
from simpul.prevention.models import (
    OPTION_LETTERS,
    Answer,
    Attempt,
    EventQuestion,
    OutreachEvent,
    Participant,
    Phase,
    PhoneTest,
    Question,
)
from simpul.prevention.text_checks import participant_code


def default_questions(topics: Sequence[str], limit: int = DEFAULT_TEST_LENGTH) -> list[Question]:
    """Questions for a test on these topics: taken in turn from each topic, in code order."""
    pools = [list(Question.objects.filter(topic=t, active=True).order_by("code")) for t in topics]
    chosen: list[Question] = []
    while len(chosen) < limit and any(pools):
        for pool in pools:
            if pool and len(chosen) < limit:
                chosen.append(pool.pop(0))
    return chosen


def has_attempts(event: OutreachEvent) -> bool:
    return Attempt.objects.filter(participant__event=event).exists()


def set_test_questions(
    actor: User,
    event: OutreachEvent,
    questions: Sequence[Question],
    *,
    request: HttpRequest | None = None,
) -> list[EventQuestion]:
    event = require_event(actor, event)
    questions = list(dict.fromkeys(questions))
    if not 1 <= len(questions) <= MAX_TEST_LENGTH:
        raise ValidationError(
            {"questions": [_("Choose between 1 and %(max)d questions.") % {"max": MAX_TEST_LENGTH}]}
        )
    with transaction.atomic():
        OutreachEvent.objects.select_for_update().get(pk=event.pk)
        if has_attempts(event):
            raise ValidationError(
                {"questions": [_("Answers are already recorded; the questions cannot change.")]}
            )
        EventQuestion.objects.filter(event=event).delete()
        rows = EventQuestion.objects.bulk_create(
            EventQuestion(event=event, question=q, position=i)
            for i, q in enumerate(questions, start=1)
        )
        audit(
            "prevention.test.questions",
            actor=actor,
            request=request,
            record=event,
            fields=["questions"],
            count=len(rows),
        )
    return rows


@dataclass(frozen=True)
class SheetEntry:
    """One participant's answers: a choice index per question in order, None for a blank."""

    code: str
    choices: list[int | None]


BLANKS = "-.?_"


def parse_answer_sheet(text: str, option_counts: Sequence[int]) -> list[SheetEntry]:
    """Lines of "<code> <letters>" (e.g. "K07 ACB-D"): one letter per question, "-" if blank.

    Spaces between letters are ignored. ValidationError naming every bad line.
    """
    entries: list[SheetEntry] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split(None, 1)
        try:
            code = participant_code(parts[0])
        except ValidationError as exc:
            errors.append(_("Line %(n)d: %(error)s") % {"n": number, "error": exc.messages[0]})
            continue
        if code in seen:
            errors.append(_("Line %(n)d: %(code)s appears twice.") % {"n": number, "code": code})
            continue
        seen.add(code)
        letters = "".join(parts[1].split()).upper() if len(parts) > 1 else ""
        if len(letters) != len(option_counts):
            errors.append(
                _("Line %(n)d: %(code)s has %(got)d answers; the test has %(want)d questions.")
                % {"n": number, "code": code, "got": len(letters), "want": len(option_counts)}
            )
            continue
        choices: list[int | None] = []
        for position, (letter, n_options) in enumerate(
            zip(letters, option_counts, strict=True), start=1
        ):
            if letter in BLANKS:
                choices.append(None)
            elif letter in OPTION_LETTERS[:n_options]:
                choices.append(OPTION_LETTERS.index(letter))
            else:
                errors.append(
                    _(
                        "Line %(n)d: answer %(q)d is %(letter)s; "
                        "question %(q)d has options %(options)s."
                    )
                    % {
                        "n": number,
                        "q": position,
                        "letter": letter,
                        "options": ", ".join(OPTION_LETTERS[:n_options]),
                    }
                )
                break
        else:
            entries.append(SheetEntry(code, choices))
    if errors:
        raise ValidationError({"lines": errors})
    if not entries:
        raise ValidationError({"lines": [_("Enter one line per participant.")]})
    return entries


def store_attempt(
    event: OutreachEvent,
    event_questions: list[EventQuestion],
    entry: SheetEntry,
    phase: str,
    channel: str,
    actor: User | None,
) -> Attempt:
    """Score and store one attempt. No permission check: callers check (or load demo data)."""
    participant, _created = Participant.objects.get_or_create(event=event, code=entry.code)
    correct = [
        choice is not None and choice == eq.question.correct
        for eq, choice in zip(event_questions, entry.choices, strict=True)
    ]
    attempt = Attempt.objects.create(
        participant=participant,
        phase=phase,
        channel=channel,
        n_questions=len(event_questions),
        n_correct=sum(correct),
        recorded_by=actor,
    )
    Answer.objects.bulk_create(
        Answer(attempt=attempt, event_question=eq, choice=choice, is_correct=ok)
        for eq, choice, ok in zip(event_questions, entry.choices, correct, strict=True)
    )
    return attempt


def _event_questions(event: OutreachEvent) -> list[EventQuestion]:
    return list(
        EventQuestion.objects.filter(event=event).select_related("question").order_by("position")
    )


def record_paper_answers(
    actor: User,
    event: OutreachEvent,
    phase: str,
    entries: Sequence[SheetEntry],
    *,
    replace: bool = False,
    request: HttpRequest | None = None,
) -> int:
    """Score and store answers copied from paper sheets. Returns how many were stored."""
    event = require_event(actor, event)
    if phase not in Phase.values:
        raise ValidationError({"phase": [_("Choose pre-test or post-test.")]})
    event_questions = _event_questions(event)
    if not event_questions:
        raise ValidationError({"lines": [_("Choose the test's questions first.")]})
    for entry in entries:
        if len(entry.choices) != len(event_questions):
            raise ValidationError({"lines": [_("Every line needs one answer per question.")]})
    codes = [e.code for e in entries]
    with transaction.atomic():
        OutreachEvent.objects.select_for_update().get(pk=event.pk)
        existing = Attempt.objects.filter(
            participant__event=event, participant__code__in=codes, phase=phase
        )
        if existing.exists():
            if not replace:
                taken = sorted(existing.values_list("participant__code", flat=True))
                raise ValidationError(
                    {
                        "lines": [
                            _(
                                "Already recorded for this phase: %(codes)s. Tick "
                                '"replace" to overwrite them.'
                            )
                            % {"codes": ", ".join(taken)}
                        ]
                    }
                )
            existing.delete()
        for entry in entries:
            store_attempt(event, event_questions, entry, phase, Attempt.Channel.PAPER, actor)
        audit(
            "prevention.test.record",
            actor=actor,
            request=request,
            record=event,
            fields=["answers"],
            count=len(entries),
            reason=phase,
        )
    return len(entries)


def new_phone_token() -> str:
    return secrets.token_urlsafe(16)


def set_phone_test(
    actor: User, event: OutreachEvent, state: str, *, request: HttpRequest | None = None
) -> OutreachEvent:
    """Open the pre- or post-test for participants' phones, or close it."""
    event = require_event(actor, event)
    if state not in PhoneTest.values:
        raise ValidationError({"state": [_("Unknown state.")]})
    if state != PhoneTest.CLOSED and not EventQuestion.objects.filter(event=event).exists():
        raise ValidationError({"state": [_("Choose the test's questions first.")]})
    with transaction.atomic():
        fresh = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        fresh.phone_phase = state
        if state != PhoneTest.CLOSED and not fresh.phone_token:
            fresh.phone_token = new_phone_token()
        fresh.save(update_fields=["phone_phase", "phone_token", "updated_at"])
        audit(
            "prevention.test.phone",
            actor=actor,
            request=request,
            record=fresh,
            fields=["phone_phase"],
            reason=state,
        )
    return fresh


def event_for_phone(token: str) -> OutreachEvent | None:
    """The event whose phone test is open under this token, else None."""
    if not token:
        return None
    return (
        OutreachEvent.objects.filter(phone_token=token)
        .exclude(phone_phase=PhoneTest.CLOSED)
        .select_related("village")
        .first()
    )


def phone_claim_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest() if secret else ""


def submit_phone_answers(
    token: str,
    code: str,
    choices: Sequence[int | None],
    *,
    claim: str = "",
    request: HttpRequest | None = None,
) -> Attempt:
    """A participant's own answers from the public phone page (no account).

    `claim` is the secret the server keeps in the phone's cookie: the first phone that sends
    answers for a code claims it, and answers for a claimed code are accepted only with the
    same secret, so nobody else can take a code over (a facilitator can still enter answers
    from paper)."""
    event = event_for_phone(token)
    if event is None:
        raise ValidationError({"code": [_("This test is closed.")]})
    code = participant_code(code)
    phase = event.phone_phase
    event_questions = _event_questions(event)
    if len(choices) != len(event_questions):
        raise ValidationError({"code": [_("Answer the questions on this page.")]})
    for eq, choice in zip(event_questions, choices, strict=True):
        if choice is not None and not 0 <= choice < len(eq.question.options):
            raise ValidationError({"code": [_("Answer the questions on this page.")]})
    with transaction.atomic():
        OutreachEvent.objects.select_for_update().get(pk=event.pk)
        if Attempt.objects.filter(
            participant__event=event, participant__code=code, phase=phase
        ).exists():
            raise ValidationError(
                {"code": [_("Answers for this code were already sent. Ask the facilitator.")]}
            )
        existing = Participant.objects.filter(event=event, code=code).first()
        claim_hash = phone_claim_hash(claim)
        if (
            existing is not None
            and existing.phone_claim
            and not (claim_hash and hmac.compare_digest(existing.phone_claim, claim_hash))
        ):
            raise ValidationError(
                {"code": [_("This code was used on another phone. Ask the facilitator.")]}
            )
        if (
            existing is None
            and Participant.objects.filter(event=event).count() >= MAX_PHONE_PARTICIPANTS
        ):
            raise ValidationError({"code": [_("This test is full. Ask the facilitator.")]})
        attempt = store_attempt(
            event,
            event_questions,
            SheetEntry(code, list(choices)),
            phase,
            Attempt.Channel.PHONE,
            None,
        )
        if claim_hash:
            Participant.objects.filter(pk=attempt.participant_id, phone_claim="").update(
                phone_claim=claim_hash
            )
        audit(
            "prevention.test.phone_submit",
            request=request,
            record=event,
            fields=["answers"],
            count=1,
            reason=phase,
            agency_id=event.owner_agency_id,
        )
    return attempt
