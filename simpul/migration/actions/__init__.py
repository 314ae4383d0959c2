"""Every write of the migration module: validate, change, audit, in one transaction."""

from simpul.migration.actions.border import (
    DecisionInput,
    ReturnInput,
    ScreeningInput,
    record_immigration_decision,
    record_return,
    record_screening,
    refer_screening,
    screen_return,
)
from simpul.migration.actions.checkins import CheckInInput, record_check_in, refer_check_in
from simpul.migration.actions.departures import (
    DepartureInput,
    cancel_departure,
    confirm_departure,
    register_departure,
    update_documents,
)
from simpul.migration.actions.missing import (
    MissingInput,
    add_missing_information,
    reopen_missing,
    report_missing,
    resolve_missing,
)
from simpul.migration.actions.notices import record_checkin_notices

__all__ = [
    "CheckInInput",
    "DecisionInput",
    "DepartureInput",
    "MissingInput",
    "ReturnInput",
    "ScreeningInput",
    "add_missing_information",
    "cancel_departure",
    "confirm_departure",
    "record_check_in",
    "record_checkin_notices",
    "record_immigration_decision",
    "record_return",
    "record_screening",
    "refer_check_in",
    "refer_screening",
    "register_departure",
    "reopen_missing",
    "report_missing",
    "resolve_missing",
    "screen_return",
    "update_documents",
]
