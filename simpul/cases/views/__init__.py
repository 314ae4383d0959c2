"""Case pages: lists and search, the case file with its workflow steps, opening a case from a
screening, and answering referrals (the URL conf is the only importer)."""

from simpul.cases.views.lists import (
    answer_referral,
    case_list,
    coordination,
    referral_list,
    task_list,
)
from simpul.cases.views.page import case_detail, open_from_screening
from simpul.cases.views.steps import case_step, event_edit, task_change

__all__ = [
    "answer_referral",
    "case_detail",
    "case_list",
    "case_step",
    "coordination",
    "event_edit",
    "open_from_screening",
    "referral_list",
    "task_change",
    "task_list",
]
