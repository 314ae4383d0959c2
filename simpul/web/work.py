"""The home page's waiting work: each app's `queries.waiting_work(user)`, called explicitly.

An app that hands work to people adds its call here (no probing for optional functions: a
missing function is an import error at start-up, never a silently empty home page).
"""

from simpul.accounts.models import User
from simpul.backups import queries as backups_queries
from simpul.cases import queries as cases_queries
from simpul.core.work import WaitingWork
from simpul.intake import queries as intake_queries
from simpul.justice import queries as justice_queries
from simpul.linkage import queries as linkage_queries
from simpul.migration import queries as migration_queries
from simpul.referrals import queries as referrals_queries
from simpul.reintegration import queries as reintegration_queries
from simpul.screening import queries as screening_queries
from simpul.shelters import queries as shelters_queries
from simpul.shelters.queries import handover as handover_queries


def waiting_work_for(user: User) -> list[WaitingWork]:
    """Every item of waiting work for the user's roles: urgent ones with something waiting
    first, then in the order the apps come in a report's journey."""
    items = [
        *intake_queries.waiting_work(user),
        *screening_queries.waiting_work(user),
        *cases_queries.waiting_work(user),
        *referrals_queries.waiting_work(user),
        *migration_queries.waiting_work(user),
        *backups_queries.waiting_work(user),
        *shelters_queries.waiting_work(user),
        *reintegration_queries.waiting_work(user),
        *handover_queries.waiting_work(user),
        *linkage_queries.waiting_work(user),
        *justice_queries.waiting_work(user),
    ]
    return sorted(items, key=lambda item: not (item.urgent and item.count > 0))
