"""Reads for the backups page and the system administrator's waiting work. Backup and drill
rows hold no identities, so the page needs no record scoping; it is for the system
administrator (`Perm.MANAGE_AGENCIES`, like the job page)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.backups.choices import Outcome
from simpul.backups.models import Backup, RestoreDrill
from simpul.core.work import WaitingWork

# A drill is due every day; a warning once no drill has succeeded for this long.
DRILL_WARNING_AFTER = timedelta(days=8)


def backups(limit: int = 20) -> QuerySet[Backup]:
    return Backup.objects.order_by("-started_at")[:limit]


def drills(limit: int = 20) -> QuerySet[RestoreDrill]:
    return RestoreDrill.objects.select_related("backup").order_by("-started_at")[:limit]


def last_good_drill() -> RestoreDrill | None:
    return RestoreDrill.objects.filter(outcome=Outcome.OK).order_by("-finished_at").first()


@dataclass(frozen=True)
class DrillStatus:
    last_good: RestoreDrill | None
    overdue: bool

    @property
    def last_good_at(self) -> datetime | None:
        return self.last_good.finished_at if self.last_good else None


def drill_status(now: datetime | None = None) -> DrillStatus:
    """Whether a good restore drill finished within the last eight days."""
    now = now or timezone.now()
    last = last_good_drill()
    overdue = (
        last is None or last.finished_at is None or now - last.finished_at > DRILL_WARNING_AFTER
    )
    return DrillStatus(last, overdue)


def waiting_work(user: User) -> list[WaitingWork]:
    """For the system administrator, while no good drill is recent enough: one urgent item
    (nothing at all otherwise, so the home page does not show a zero warning)."""
    if not principal_for(user).has_perm(Perm.MANAGE_AGENCIES) or not drill_status().overdue:
        return []
    return [
        WaitingWork(
            key="backups.drill_overdue",
            label=_("Restore drill overdue: none succeeded in the last 8 days"),
            count=1,
            url=reverse("backups:overview"),
            urgent=True,
        )
    ]
