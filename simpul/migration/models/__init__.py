"""Models of the migration-safety module, split by stage of the journey."""

from simpul.migration.models.border import ImmigrationDecision, ImportBatch, ReturnEvent, Screening
from simpul.migration.models.departure import CheckIn, Departure, DepartureDocument
from simpul.migration.models.imports import ImportJob, ImportStage, ImportStatus
from simpul.migration.models.missing import MissingReport, MissingReportEvent
from simpul.migration.models.notices import CheckInNotice, NoticeKind

__all__ = [
    "CheckIn",
    "CheckInNotice",
    "Departure",
    "DepartureDocument",
    "ImmigrationDecision",
    "ImportBatch",
    "ImportJob",
    "ImportStage",
    "ImportStatus",
    "MissingReport",
    "MissingReportEvent",
    "NoticeKind",
    "ReturnEvent",
    "Screening",
]
