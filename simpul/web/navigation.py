"""The main navigation and the role home pages, driven by permissions.

Each module adds its entries here; an entry shows only to users whose role does that work
(`NavEntry.roles`) and holds its permission through that role.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simpul.accounts.principal import Principal
from simpul.accounts.roles import Perm, Role
from simpul.intake.queries import TRIAGE_ROLES
from simpul.justice.queries import JUSTICE_ROLES
from simpul.reintegration.queries import WORKER_ROLES as REINTEGRATION_ROLES
from simpul.screening.queries import SCREENING_ROLES
from simpul.shelters.queries import SHELTER_ROLES

# The roles that do each kind of work. An entry shows to a user who holds one of its roles AND,
# through that same role, its permission: the navigation offers only what the role does.
_RECORDS = Perm.VIEW_RECORDS
REPORT_ROLES = frozenset(
    {
        Role.HOTLINE_OPERATOR,
        Role.CASE_WORKER,
        Role.CASE_SUPERVISOR,
        Role.VILLAGE_OFFICER,
        Role.BORDER_OFFICER,
    }
)
CASE_ROLES = frozenset(
    {
        Role.CASE_WORKER,
        Role.CASE_SUPERVISOR,
        Role.SHELTER_OFFICER,
        Role.POLICE_INVESTIGATOR,
        Role.PROSECUTOR,
    }
)
MIGRATION_ROLES = frozenset({Role.VILLAGE_OFFICER, Role.BORDER_OFFICER, Role.CASE_SUPERVISOR})
ALERT_ROLES = frozenset(
    {
        Role.HOTLINE_OPERATOR,
        Role.CASE_WORKER,
        Role.CASE_SUPERVISOR,
        Role.VILLAGE_OFFICER,
        Role.BORDER_OFFICER,
    }
)
ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    perm: Perm | None
    roles: frozenset[Role] = ALL_ROLES


NAV: list[NavEntry] = [
    NavEntry("web:home", _("Home"), None),
    NavEntry("intake:queue", _("Triage"), Perm.EDIT_RECORDS, TRIAGE_ROLES),
    NavEntry("intake:list", _("Reports"), _RECORDS, REPORT_ROLES),
    NavEntry("screening:list", _("Screenings"), _RECORDS, SCREENING_ROLES),
    NavEntry("cases:list", _("Cases"), _RECORDS, CASE_ROLES),
    NavEntry("cases:referrals", _("Referrals"), Perm.EDIT_RECORDS, CASE_ROLES),
    NavEntry("reintegration:list", _("Reintegration"), _RECORDS, REINTEGRATION_ROLES),
    NavEntry("justice:list", _("Proceedings"), _RECORDS, JUSTICE_ROLES),
    NavEntry("identity:person_list", _("Persons"), _RECORDS, REPORT_ROLES | CASE_ROLES),
    NavEntry("shelters:board", _("Shelter"), _RECORDS, SHELTER_ROLES),
    NavEntry("shelters:occupancy", _("Shelter occupancy"), Perm.VIEW_AGGREGATES),
    NavEntry("reintegration:cohorts", _("Reintegration cohorts"), Perm.VIEW_AGGREGATES),
    NavEntry("migration:register", _("Migration safety"), _RECORDS, MIGRATION_ROLES),
    NavEntry("migration:statistics", _("Migration statistics"), Perm.VIEW_AGGREGATES),
    NavEntry("linkage:alert_list", _("Linkage alerts"), _RECORDS, ALERT_ROLES),
    NavEntry("linkage:review_queue", _("Duplicates to review"), Perm.REVIEW_LINKAGE),
    NavEntry("cases:coordination", _("Referral coordination"), Perm.VIEW_AGGREGATES),
    NavEntry("linkage:statistics", _("People counted once"), Perm.VIEW_AGGREGATES),
    NavEntry("justice:statistics", _("Justice statistics"), Perm.VIEW_AGGREGATES),
    NavEntry(
        "justice:companies",
        _("Placement companies"),
        None,
        JUSTICE_ROLES | MIGRATION_ROLES | {Role.TASKFORCE_COORDINATOR},
    ),
    NavEntry("prevention:home", _("Prevention"), Perm.MANAGE_OUTREACH),
    NavEntry("accounts:agency_list", _("Agencies and users"), Perm.MANAGE_AGENCY_USERS),
    NavEntry("audit:event_list", _("Audit trail"), Perm.VIEW_AUDIT_LOG),
    NavEntry("jobs:job_list", _("Background jobs"), Perm.MANAGE_AGENCIES),
    NavEntry("backups:overview", _("Backups"), Perm.MANAGE_AGENCIES),
]


def shows(entry: NavEntry, principal: Principal) -> bool:
    """Whether one of the user's roles does this entry's work (with its permission)."""
    return any(
        grant.role in entry.roles and (entry.perm is None or entry.perm in grant.perms)
        for grant in principal.grants
    )


# What each role does here, as the steps of its daily work (shown on the role home page).
ROLE_DUTIES: dict[Role, list[str | Promise]] = {
    Role.HOTLINE_OPERATOR: [
        _("Take calls and messages on the 24/7 line and record who is concerned."),
        _("Check whether a person is already known before registering them."),
        _("Triage new reports so that immediate danger is handled first."),
    ],
    Role.CASE_WORKER: [
        _("Open the persons and cases assigned to you; names stay masked until you state why."),
        _("Record assessments, plans and the services delivered."),
        _("Refer victims to other agencies when their consent covers it."),
    ],
    Role.CASE_SUPERVISOR: [
        _("See your agency's whole caseload."),
        _("Approve assessments, case plans and closures."),
    ],
    Role.SHELTER_OFFICER: [
        _("Admit residents referred to your shelter and record their stay."),
        _("Keep the shelter's address confidential."),
    ],
    Role.VILLAGE_OFFICER: [
        _("Register villagers leaving to work abroad, with their documents."),
        _("Record check-ins with them or their family, and report anyone missing."),
    ],
    Role.BORDER_OFFICER: [
        _("Screen departing travellers and returning deportees at your post."),
        _("Refer possible victims to the protection services in one step."),
    ],
    Role.POLICE_INVESTIGATOR: [
        _("Follow the cases referred to your unit and record the investigation."),
    ],
    Role.PROSECUTOR: [
        _("Follow your prosecutions: charges, verdicts and restitution for victims."),
    ],
    Role.TASKFORCE_COORDINATOR: [
        _("Follow the action plan and cross-agency referrals of your task force."),
        _("See what outreach taught and which high-risk villages have had none."),
        _("Read statistics that count each person once and never show identities."),
    ],
    Role.DATA_ANALYST: [
        _("Analyse de-identified statistics; small counts are suppressed."),
    ],
    Role.AGENCY_ADMIN: [
        _("Create accounts for your agency's staff, give them roles and remove leavers."),
    ],
    Role.SYSTEM_ADMIN: [
        _("Register agencies and their jurisdictions."),
        _("Check the audit trail and its hash chain."),
    ],
}


def nav_items(principal: Principal, current_path: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = [
        {"url": reverse(entry.url_name), "label": entry.label, "active": False}
        for entry in NAV
        if shows(entry, principal)
    ]
    # The current page is the entry with the longest URL that starts its path ("/intake/queue/"
    # over "/intake/"); the home page only on "/" itself.
    matches = [
        item
        for item in items
        if current_path == item["url"]
        or (item["url"] != "/" and current_path.startswith(str(item["url"])))
    ]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["active"] = True
    return items
