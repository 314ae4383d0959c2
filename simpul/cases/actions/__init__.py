"""Every write to a case: open, assess, plan, deliver, consent, close, reopen; the chronology;
tasks; the timeline.

Each action checks scope and permission, refuses a stage it does not apply to, changes the case
in one transaction with its audit entry and a timeline line, and bumps the version so a stale
form is refused (no silent overwrite). Other apps write the case timeline only through
`record_timeline`."""

from simpul.cases.actions.chronology import change_event, record_event, remove_event
from simpul.cases.actions.common import record_timeline
from simpul.cases.actions.work import complete_task, create_task, reassign_task
from simpul.cases.actions.workflow import (
    CLOSABLE_FROM,
    PlanRow,
    approve_assessment,
    approve_closure,
    approve_plan,
    assign_worker,
    open_case,
    record_consent,
    record_service,
    reopen,
    request_closure,
    start_monitoring,
    submit_assessment,
    submit_plan,
    update_details,
    withdraw_consent,
)

__all__ = [
    "CLOSABLE_FROM",
    "PlanRow",
    "approve_assessment",
    "approve_closure",
    "approve_plan",
    "assign_worker",
    "change_event",
    "complete_task",
    "create_task",
    "open_case",
    "reassign_task",
    "record_consent",
    "record_event",
    "record_service",
    "record_timeline",
    "remove_event",
    "reopen",
    "request_closure",
    "start_monitoring",
    "submit_assessment",
    "submit_plan",
    "update_details",
    "withdraw_consent",
]
