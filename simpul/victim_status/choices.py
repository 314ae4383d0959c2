"""Where a victim stands in recovery, in plain words: the case stages folded into the few
steps a victim or guardian can follow."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simpul.cases.models import Stage
from simpul.reintegration.choices import PlanStatus


class RecoveryStep(models.TextChoices):
    GETTING_TO_KNOW = "getting_to_know", _("We are getting to know you and what you need")
    PLANNING = "planning", _("Your recovery plan is being prepared")
    SERVICES = "services", _("The help in your plan is under way")
    MONITORING = "monitoring", _("You are back home; we keep in touch to see how you are doing")
    FINISHED = "finished", _("The accompaniment has ended")


STEP_OF_STAGE: dict[str, RecoveryStep] = {
    Stage.ASSESSMENT: RecoveryStep.GETTING_TO_KNOW,
    Stage.ASSESSMENT_SUBMITTED: RecoveryStep.GETTING_TO_KNOW,
    Stage.PLANNING: RecoveryStep.PLANNING,
    Stage.PLAN_SUBMITTED: RecoveryStep.PLANNING,
    Stage.SERVICES: RecoveryStep.SERVICES,
    Stage.MONITORING: RecoveryStep.MONITORING,
    Stage.CLOSURE_REQUESTED: RecoveryStep.MONITORING,
    Stage.CLOSED: RecoveryStep.FINISHED,
}
STEPS_IN_ORDER = list(RecoveryStep)


# The stage of the proceeding, as a victim would say it (justice.codes.Stage codes).
PROCEEDING_IN_WORDS: dict[str, Promise] = {
    "police": _("The police are investigating your case."),
    "prosecution": _("The prosecutor is preparing your case for court."),
    "court": _("Your case is being heard in court."),
    "appeal": _("The verdict was appealed; a higher court is looking at it."),
    "final": _("The court's decision is final."),
    "executed": _("The sentence is being carried out."),
    "stopped": _("The case has stopped. Ask your case worker why, and what you can still do."),
}


def recovery_step(stage: str, plan_status: str | None) -> RecoveryStep:
    """The case stage's step, moved on by the victim's reintegration plan: a plan waiting for
    approval or approved is planning at least, an active plan means the victim is home and
    followed up (the case may still be at an earlier stage). A closed case is finished."""
    step = STEP_OF_STAGE.get(stage, RecoveryStep.GETTING_TO_KNOW)
    if stage == Stage.CLOSED:
        return step
    floors: dict[str, RecoveryStep] = {
        PlanStatus.SUBMITTED: RecoveryStep.PLANNING,
        PlanStatus.APPROVED: RecoveryStep.PLANNING,
        PlanStatus.ACTIVE: RecoveryStep.MONITORING,
    }
    floor = floors.get(plan_status or "")
    if floor is not None and STEPS_IN_ORDER.index(floor) > STEPS_IN_ORDER.index(step):
        return floor
    return step
