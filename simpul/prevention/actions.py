"""Every write to prevention data: check permission, validate, change and audit together."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.identity.crypto import open_text, seal_text
from simpul.identity.data import mask_name
from simpul.lib.phone import normalise_phone
from simpul.prevention import permissions
from simpul.prevention.models import (
    OPTION_LETTERS,
    AgeBand,
    Answer,
    Attempt,
    Audience,
    EventQuestion,
    IssueTheme,
    Material,
    OutreachEvent,
    Participant,
    ParticipantCount,
    Phase,
    PhoneTest,
    Question,
    RaisedIssue,
    RiskIndicator,
    Sex,
    Topic,
    VillageIndicator,
    Volunteer,
    VolunteerNetwork,
    VolunteerReport,
    VolunteerReportKind,
    VolunteerTraining,
)
from simpul.prevention.text_checks import participant_code, reject_identifiers
from simpul.regions.models import Region

DEFAULT_TEST_LENGTH = 10
MAX_TEST_LENGTH = 20
MAX_PHONE_PARTICIPANTS = 500
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


# --- permission and place checks -------------------------------------------------------------


def _require_manage(actor: User, agency: Agency) -> None:
    grants = principal_for(actor).grants_with(permissions.MANAGE)
    if not any(g.agency_id == agency.id for g in grants):
        raise PermissionDenied(_("You cannot record prevention work for this agency."))


def _check_village(agency: Agency, village: Region | None, field_name: str = "village") -> Region:
    if village is None or village.level != Region.Level.VILLAGE:
        raise ValidationError({field_name: [_("Choose a village or kelurahan.")]})
    area = agency.jurisdiction_id
    if area and not (village.code == area or village.code.startswith(area + ".")):
        raise ValidationError({field_name: [_("This village is outside your agency's area.")]})
    return village


def _require_event(actor: User, event: OutreachEvent) -> OutreachEvent:
    """The actor may manage the event: through the owning agency or the village's area."""
    from simpul.prevention.queries import get_event_for

    return get_event_for(actor, event.pk, perms=permissions.WRITE)


def _choices(values: Iterable[str], allowed: Sequence[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v in allowed]


# --- outreach events -------------------------------------------------------------------------


@dataclass(frozen=True)
class EventData:
    title: str
    held_on: dt.date
    village: Region | None
    audiences: list[str]
    topics: list[str]
    materials: list[str] = field(default_factory=list)
    materials_note: str = ""
    other_organisers: str = ""
    co_organisers: list[Agency] = field(default_factory=list)
    # (sex, age band) -> number of participants
    counts: dict[tuple[str, str], int] = field(default_factory=dict)


def _clean_event(data: EventData, agency: Agency) -> EventData:
    errors: dict[str, list[str]] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = [_("Give the event a title.")]
    for name in ("title", "materials_note", "other_organisers"):
        try:
            reject_identifiers(getattr(data, name))
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if data.held_on > timezone.localdate():
        errors["held_on"] = [_("Record an event once it has been held.")]
    audiences = _choices(data.audiences, Audience.values)
    if not audiences:
        errors["audiences"] = [_("Choose at least one audience group.")]
    topics = _choices(data.topics, Topic.values)
    if not topics:
        errors["topics"] = [_("Choose at least one topic.")]
    for (sex, band), count in data.counts.items():
        if sex not in Sex.values or band not in AgeBand.values or count < 0:
            errors["counts"] = [_("Participant counts must be whole numbers, zero or more.")]
    try:
        _check_village(agency, data.village)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return EventData(
        title=title,
        held_on=data.held_on,
        village=data.village,
        audiences=audiences,
        topics=topics,
        materials=_choices(data.materials, Material.values),
        materials_note=data.materials_note.strip(),
        other_organisers=data.other_organisers.strip(),
        co_organisers=[a for a in data.co_organisers if a.pk != agency.pk],
        counts={k: v for k, v in data.counts.items() if v > 0},
    )


def _apply_event(event: OutreachEvent, data: EventData) -> None:
    event.title = data.title
    event.held_on = data.held_on
    event.village = data.village  # type: ignore[assignment]
    event.scope_region = data.village
    event.audiences = data.audiences
    event.topics = data.topics
    event.materials = data.materials
    event.materials_note = data.materials_note
    event.other_organisers = data.other_organisers


def _replace_counts(event: OutreachEvent, counts: dict[tuple[str, str], int]) -> None:
    ParticipantCount.objects.filter(event=event).delete()
    ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, sex=sex, age_band=band, count=n)
        for (sex, band), n in sorted(counts.items())
    )


def create_event(
    actor: User, data: EventData, *, owner_agency: Agency, request: HttpRequest | None = None
) -> OutreachEvent:
    _require_manage(actor, owner_agency)
    data = _clean_event(data, owner_agency)
    with transaction.atomic():
        event = OutreachEvent(id=uuid.uuid4(), owner_agency=owner_agency, created_by=actor)
        _apply_event(event, data)
        event.save()
        event.co_organisers.set(data.co_organisers)
        _replace_counts(event, data.counts)
        audit(
            "prevention.event.create",
            actor=actor,
            request=request,
            record=event,
            fields=["title", "held_on", "village", "audiences", "topics", "counts"],
        )
    return event


def update_event(
    actor: User,
    event: OutreachEvent,
    data: EventData,
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> OutreachEvent:
    event = _require_event(actor, event)
    data = _clean_event(data, event.owner_agency)
    with transaction.atomic():
        fresh = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        if fresh.version != expected_version:
            raise StaleRecordError(fresh.version)
        _apply_event(fresh, data)
        fresh.version += 1
        fresh.save()
        fresh.co_organisers.set(data.co_organisers)
        _replace_counts(fresh, data.counts)
        audit(
            "prevention.event.update",
            actor=actor,
            request=request,
            record=fresh,
            fields=["title", "held_on", "village", "audiences", "topics", "counts"],
        )
    return fresh


# --- knowledge tests -------------------------------------------------------------------------


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
    event = _require_event(actor, event)
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
    event = _require_event(actor, event)
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
    event = _require_event(actor, event)
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


# --- hearing discussions ---------------------------------------------------------------------


def add_issue(
    actor: User,
    event: OutreachEvent,
    theme: str,
    mentions: int,
    summary: str = "",
    *,
    request: HttpRequest | None = None,
) -> RaisedIssue:
    event = _require_event(actor, event)
    errors: dict[str, list[str]] = {}
    if theme not in IssueTheme.values:
        errors["theme"] = [_("Choose a theme.")]
    if not 1 <= mentions <= 999:
        errors["mentions"] = [_("Between 1 and 999.")]
    try:
        reject_identifiers(summary)
    except ValidationError as exc:
        errors["summary"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        issue = RaisedIssue.objects.create(
            event=event, theme=theme, mentions=mentions, summary=summary.strip()
        )
        audit(
            "prevention.issue.create",
            actor=actor,
            request=request,
            record=event,
            fields=["theme", "mentions", *(["summary"] if summary.strip() else [])],
        )
    return issue


def remove_issue(
    actor: User, event: OutreachEvent, issue_id: int, *, request: HttpRequest | None = None
) -> None:
    event = _require_event(actor, event)
    with transaction.atomic():
        deleted, _rows = RaisedIssue.objects.filter(event=event, pk=issue_id).delete()
        if deleted:
            audit("prevention.issue.delete", actor=actor, request=request, record=event)


# --- village indicators ----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    village_code: str
    indicator_code: str
    year: int
    value: float
    source: str


def parse_indicator_rows(text: str) -> list[IndicatorRow]:
    """CSV lines "village code, indicator code, year, value, source"; a header line is skipped."""
    rows: list[IndicatorRow] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.lower().startswith(("village", "kode", "#")):
            continue
        cells = [c.strip() for c in line.split(",", 4)]
        if len(cells) != 5:
            errors.append(_("Line %(n)d: expected 5 values separated by commas.") % {"n": number})
            continue
        village, indicator, year, value, source = cells
        try:
            rows.append(IndicatorRow(village, indicator, int(year), float(value), source))
        except ValueError:
            errors.append(_("Line %(n)d: the year and the value must be numbers.") % {"n": number})
    if errors:
        raise ValidationError({"rows": errors})
    if not rows:
        raise ValidationError({"rows": [_("Enter at least one line.")]})
    return rows


def import_indicator_values(
    actor: User,
    rows: Sequence[IndicatorRow],
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> int:
    """Store indicator values (one per village, indicator and year; a new value replaces the
    old one). Villages must lie in the agency's area."""
    _require_manage(actor, owner_agency)
    indicators = {i.code: i for i in RiskIndicator.objects.all()}
    villages = {
        r.code: r for r in Region.objects.filter(code__in={row.village_code for row in rows})
    }
    errors: list[str] = []
    for n, row in enumerate(rows, start=1):
        label = {"n": n, "code": row.village_code}
        indicator = indicators.get(row.indicator_code)
        if indicator is None:
            errors.append(
                _("Row %(n)d: unknown indicator %(indicator)s.")
                % {"n": n, "indicator": row.indicator_code}
            )
        if row.value < 0:
            errors.append(_("Row %(n)d: values cannot be negative.") % {"n": n})
        if not 2000 <= row.year <= timezone.localdate().year:
            errors.append(_("Row %(n)d: the year must be between 2000 and this year.") % {"n": n})
        if not row.source.strip():
            errors.append(_("Row %(n)d: name the source of the value.") % {"n": n})
        try:
            _check_village(owner_agency, villages.get(row.village_code), "rows")
        except ValidationError:
            errors.append(_("Row %(n)d: %(code)s is not a village in your area.") % label)
    if errors:
        raise ValidationError({"rows": errors})
    with transaction.atomic():
        for row in rows:
            VillageIndicator.objects.update_or_create(
                region_id=row.village_code,
                indicator=indicators[row.indicator_code],
                year=row.year,
                defaults={"value": row.value, "source": row.source.strip()[:200]},
            )
        audit(
            "prevention.indicator.import",
            actor=actor,
            request=request,
            record_type="prevention.villageindicator",
            fields=["value", "year", "source"],
            count=len(rows),
        )
    return len(rows)


def configure_indicator(
    code: str,
    *,
    weight: float | None = None,
    scale_min: float | None = None,
    scale_max: float | None = None,
    active: bool | None = None,
    reason: str = "",
) -> RiskIndicator:
    """Change an indicator's weight, reference range or use (the management command)."""
    with transaction.atomic():
        indicator = RiskIndicator.objects.select_for_update().get(code=code)
        changed = []
        for name, value in (
            ("weight", weight),
            ("scale_min", scale_min),
            ("scale_max", scale_max),
            ("active", active),
        ):
            if value is not None:
                setattr(indicator, name, value)
                changed.append(name)
        if indicator.weight < 0 or (
            indicator.weight and indicator.scale_max <= indicator.scale_min
        ):
            raise ValidationError(_("The weight must be zero or more and the range not empty."))
        indicator.save()
        audit(
            "prevention.indicator.configure",
            record=indicator,
            fields=changed,
            reason=reason or "command",
        )
    return indicator


# --- volunteers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerData:
    name: str
    phone: str
    network: str
    village: Region | None
    since: dt.date | None = None


def contact_aad(volunteer_id: uuid.UUID) -> str:
    return f"prevention.volunteer.contact_sealed:{volunteer_id}"


def _new_volunteer_code() -> str:
    while True:
        code = "V-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
        if not Volunteer.objects.filter(code=code).exists():
            return code


def create_volunteer(
    actor: User,
    data: VolunteerData,
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> Volunteer:
    _require_manage(actor, owner_agency)
    errors: dict[str, list[str]] = {}
    name = " ".join(data.name.split())
    if len(name) < 2:
        errors["name"] = [_("Enter the volunteer's name.")]
    phone = ""
    if data.phone.strip():
        phone = normalise_phone(data.phone) or ""
        if not phone:
            errors["phone"] = [_("Enter a phone number, e.g. 0812 3456 7890.")]
    if data.network not in VolunteerNetwork.values:
        errors["network"] = [_("Choose a network.")]
    try:
        _check_village(owner_agency, data.village)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        volunteer = Volunteer(
            id=uuid.uuid4(),
            code=_new_volunteer_code(),
            owner_agency=owner_agency,
            scope_region=data.village,
            village=data.village,
            network=data.network,
            since=data.since,
            masked_name=mask_name(name),
            created_by=actor,
        )
        volunteer.contact_sealed = seal_text(
            json.dumps({"name": name, "phone": phone}), contact_aad(volunteer.id)
        )
        volunteer.save()
        audit(
            "prevention.volunteer.create",
            actor=actor,
            request=request,
            record=volunteer,
            fields=["name", "network", "village", *(["phone"] if phone else [])],
        )
    return volunteer


def volunteer_contact(
    actor: User, volunteer: Volunteer, *, request: HttpRequest | None = None
) -> dict[str, Any]:
    """The volunteer's name and phone, for someone who manages prevention in their area."""
    from simpul.prevention.queries import get_volunteer_for

    volunteer = get_volunteer_for(actor, volunteer.pk, perms=permissions.WRITE)
    contact = json.loads(open_text(volunteer.contact_sealed, contact_aad(volunteer.id)))
    audit(
        "prevention.volunteer.contact",
        actor=actor,
        request=request,
        record=volunteer,
        fields=["name", "phone"],
    )
    return dict(contact)


def set_volunteer_active(
    actor: User, volunteer: Volunteer, active: bool, *, request: HttpRequest | None = None
) -> Volunteer:
    from simpul.prevention.queries import get_volunteer_for

    volunteer = get_volunteer_for(actor, volunteer.pk, perms=permissions.WRITE)
    with transaction.atomic():
        volunteer.active = active
        volunteer.version += 1
        volunteer.save(update_fields=["active", "version", "updated_at"])
        audit(
            "prevention.volunteer.update",
            actor=actor,
            request=request,
            record=volunteer,
            fields=["active"],
        )
    return volunteer


@dataclass(frozen=True)
class TrainingData:
    title: str
    held_on: dt.date
    hours: float
    topics: list[str]
    organiser: str = ""


def record_training(
    actor: User,
    data: TrainingData,
    volunteers: Sequence[Volunteer],
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> VolunteerTraining:
    from simpul.prevention.queries import volunteers_for

    _require_manage(actor, owner_agency)
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the training a title.")]
    if data.held_on > timezone.localdate():
        errors["held_on"] = [_("Record a training once it has been held.")]
    if not 0 < data.hours <= 200:
        errors["hours"] = [_("Between 0.5 and 200 hours.")]
    reachable = set(volunteers_for(actor, permissions.WRITE).values_list("id", flat=True))
    chosen = [v for v in volunteers if v.id in reachable]
    if not chosen:
        errors["volunteers"] = [_("Choose the volunteers who took part.")]
    for name in ("title", "organiser"):
        try:
            reject_identifiers(getattr(data, name))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        training = VolunteerTraining.objects.create(
            owner_agency=owner_agency,
            held_on=data.held_on,
            title=data.title.strip(),
            topics=_choices(data.topics, Topic.values),
            hours=round(data.hours, 1),
            organiser=data.organiser.strip(),
            created_by=actor,
        )
        training.volunteers.set(chosen)
        audit(
            "prevention.training.create",
            actor=actor,
            request=request,
            record_type="prevention.volunteertraining",
            record_id=str(training.pk),
            fields=["title", "held_on", "volunteers"],
            count=len(chosen),
        )
    return training


def record_volunteer_report(
    actor: User,
    volunteer: Volunteer,
    *,
    received_on: dt.date,
    kind: str,
    village: Region | None,
    intake_reference: str = "",
    request: HttpRequest | None = None,
) -> VolunteerReport:
    from simpul.prevention.queries import get_volunteer_for

    volunteer = get_volunteer_for(actor, volunteer.pk, perms=permissions.WRITE)
    errors: dict[str, list[str]] = {}
    if kind not in VolunteerReportKind.values:
        errors["kind"] = [_("Choose the kind of report.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    reference = intake_reference.strip().upper()
    if reference and not reference.startswith("ADU-"):
        errors["intake_reference"] = [_("An intake reference looks like ADU-26-ABC123.")]
    place: Region | None = None
    try:
        place = _check_village(volunteer.owner_agency, village)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors or place is None:
        raise ValidationError(errors)
    with transaction.atomic():
        report = VolunteerReport.objects.create(
            volunteer=volunteer,
            received_on=received_on,
            kind=kind,
            village=place,
            intake_reference=reference,
            created_by=actor,
        )
        audit(
            "prevention.volunteer.report",
            actor=actor,
            request=request,
            record=volunteer,
            fields=["kind", "village", *(["intake_reference"] if reference else [])],
        )
    return report
