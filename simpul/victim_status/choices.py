"""Where a victim stands in recovery, in plain words: the case stages folded into the few
steps a victim or guardian can follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.cases.models import Stage


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
