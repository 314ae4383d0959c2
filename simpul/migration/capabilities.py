"""Which kinds of agency record which migration records (on top of the role's edit right).

Reads follow the role's scope alone (`simpul.core.scoping`); this table only keeps a border
post from registering village departures and a village from logging border screenings.
"""

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, AgencyType, User
from simpul.accounts.queries import require_acting_agency


class Duty(Enum):
    DEPARTURES = "departures"  # register departures, documents, check-ins
    MISSING = "missing"  # missing-migrant reports
    RETURNS = "returns"  # returns, deportee list imports, returnee screening
    SCREENING = "screening"  # border and port screening log
    IMMIGRATION = "immigration"  # passport refusals, departure deferrals


DUTIES: dict[Duty, frozenset[str]] = {
    Duty.DEPARTURES: frozenset({AgencyType.VILLAGE, AgencyType.DISNAKER, AgencyType.BP3MI}),
    Duty.MISSING: frozenset(
        {
            AgencyType.VILLAGE,
            AgencyType.DISNAKER,
            AgencyType.BP3MI,
            AgencyType.UPTD_PPA,
            AgencyType.DINAS_SOSIAL,
            AgencyType.IOM,
            AgencyType.NGO,
        }
    ),
    Duty.RETURNS: frozenset(
        {
            AgencyType.BORDER_TEAM,
            AgencyType.IMMIGRATION,
            AgencyType.BP3MI,
            AgencyType.DINAS_SOSIAL,
        }
    ),
    Duty.SCREENING: frozenset({AgencyType.BORDER_TEAM, AgencyType.IMMIGRATION}),
    Duty.IMMIGRATION: frozenset({AgencyType.IMMIGRATION, AgencyType.BORDER_TEAM}),
}


def acting_agency(actor: User, duty: Duty) -> Agency:
    """The actor's agency that may do `duty`: an edit grant at an agency of the right kind."""
    return require_acting_agency(
        actor, agency_types=DUTIES[duty], refusal=_("Your agency does not record this.")
    )


def may(actor: User, duty: Duty) -> bool:
    try:
        acting_agency(actor, duty)
    except PermissionDenied:
        return False
    return True
