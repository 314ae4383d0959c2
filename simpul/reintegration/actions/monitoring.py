"""A monitoring visit: answers scored by the pure engine with the plan's instrument version,
stored with it; a setback opens one review task for the case worker (through the cases
actions' task seam), once per visit since a visit is recorded once."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.cases.actions import create_task
from simpul.reintegration import queries
from simpul.reintegration.actions.plans import _locked, _require_status, _save
from simpul.reintegration.choices import PlanStatus
from simpul.reintegration.models import Visit
from simpul.reintegration.scoring import AnswerError, score, setbacks

REVIEW_WITHIN_DAYS = 7


def record_visit(
    actor: User,
    visit: Visit,
    *,
    answers: dict[str, str],
    done_on: date | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Visit:
    """Score and store a visit. The baseline can be recorded while the plan is written; the
    follow-ups once it is active. A setback (see `scoring.setbacks`) opens a review task."""
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The visit date cannot be in the future.")})
    with transaction.atomic():
        plan = _locked(actor, visit.plan, version)
        if visit.month == 0:
            _require_status(plan, *[s for s in PlanStatus.values if s != PlanStatus.CLOSED])
        else:
            _require_status(plan, PlanStatus.ACTIVE)
        locked = (
            Visit.objects.select_for_update()
            .select_related("instrument")
            .get(pk=visit.pk, plan=plan)
        )
        if locked.done_on is not None:
            raise ValidationError(_("This visit is already recorded."))
        instrument = locked.instrument.data
        try:
            scores = score(instrument, answers).as_json()
        except AnswerError as exc:
            raise ValidationError(
                {key: [_("Choose an answer.")] for key in exc.missing}
                or _("The answers do not fit the instrument.")
            ) from None
        previous = queries.previous_scored(locked)
        locked.answers = dict(answers)
        locked.scores = scores
        locked.composite = Decimal(scores["composite"])
        locked.setbacks = setbacks(instrument, scores, previous.scores if previous else None)
        locked.done_on = done_on
        locked.recorded_by, locked.recorded_at = actor, timezone.now()
        if locked.setbacks:
            locked.review_task = create_task(
                actor,
                plan.case,
                title=_("Reintegration setback at the month %(month)d visit: review the plan")
                % {"month": locked.month},
                due_on=timezone.localdate() + timedelta(days=REVIEW_WITHIN_DAYS),
                responsible_agency=plan.case.owner_agency,
                assigned_to=plan.case.assigned_to,
                request=request,
            )
        locked.save()
        _save(plan, [])
        audit(
            "reintegration.visit.record",
            actor=actor,
            request=request,
            record=plan,
            fields=[
                "visit.answers",
                "visit.scores",
                *(["visit.setback"] if locked.setbacks else []),
            ],
        )
    return locked
