"""Check-in schedule arithmetic: due dates after departure, overdue and unreachable rules."""

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from simpul.migration.codes import DEFAULT_CHECKIN_MONTHS, CheckInOutcome

# A scheduled check-in becomes overdue this many days after its due date.
GRACE_DAYS = 14
# This many unreachable contacts in a row (latest first) surface the person on the register.
UNREACHABLE_STREAK = 2
MAX_MONTHS = 60


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_offsets(text: str) -> list[int]:
    """'1, 3, 6, 12' -> [1, 3, 6, 12]. ValueError for anything but 1-60 months."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts:
        return list(DEFAULT_CHECKIN_MONTHS)
    values = sorted({int(p) for p in parts})
    if values[0] < 1 or values[-1] > MAX_MONTHS:
        raise ValueError(f"offsets must lie between 1 and {MAX_MONTHS} months")
    return values


def due_dates(left_on: date, offsets: Sequence[int]) -> list[date]:
    return [add_months(left_on, m) for m in offsets]


def is_overdue(due_on: date | None, outcome: str, today: date) -> bool:
    if due_on is None or outcome:
        return False
    return due_on + timedelta(days=GRACE_DAYS) < today


def unreachable_streak(outcomes_latest_first: Iterable[str]) -> int:
    """How many of the latest recorded contacts in a row were unreachable."""
    streak = 0
    for outcome in outcomes_latest_first:
        if outcome != CheckInOutcome.UNREACHABLE:
            break
        streak += 1
    return streak
