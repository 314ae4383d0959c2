"""Roles, permissions and record scopes: the one table that says who may do what.

A user holds roles through agency memberships. Each role grants a set of permissions and a scope
that decides which protected records the role can see (see `simpul.core.scoping`).
"""

from dataclasses import dataclass
from enum import IntEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
    CASE_WORKER = "case_worker", _("Case worker")
    CASE_SUPERVISOR = "case_supervisor", _("Case supervisor")
    SHELTER_OFFICER = "shelter_officer", _("Shelter officer")
    VILLAGE_OFFICER = "village_officer", _("Village officer")
    BORDER_OFFICER = "border_officer", _("Border officer")
    POLICE_INVESTIGATOR = "police_investigator", _("Police investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    TASKFORCE_COORDINATOR = "taskforce_coordinator", _("Task-force coordinator")
    DATA_ANALYST = "data_analyst", _("Data analyst")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class AgencyType(models.TextChoices):
    UPTD_PPA = "uptd_ppa", _("UPTD PPA")
    DINAS_PPPA = "dinas_pppa", _("Dinas PPPA")
    DINAS_SOSIAL = "dinas_sosial", _("Dinas Sosial")
    SHELTER = "shelter", _("Shelter / RPTC")
    POLICE = "police", _("Police unit")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COURT = "court", _("Court")
    LPSK = "lpsk", _("LPSK")
    IMMIGRATION = "immigration", _("Imigrasi")
    BP3MI = "bp3mi", _("BP3MI / P4MI")
    DISNAKER = "disnaker", _("Disnaker / LTSA")
    HEALTH = "health", _("Health facility")
    VILLAGE = "village", _("Village government")
    BORDER_TEAM = "border_team", _("Integrated border / port team")
    TASKFORCE = "taskforce", _("Task-force secretariat (GT PP-TPPO)")
    IOM = "iom", _("IOM")
    NGO = "ngo", _("NGO")


class Perm(models.TextChoices):
    """Permission codes. Views, API endpoints and actions name the one they need."""

    VIEW_RECORDS = "view_records", _("See protected records in scope")
    EDIT_RECORDS = "edit_records", _("Create and change protected records in scope")
    REVEAL_IDENTITY = "reveal_identity", _("Reveal a person's identity, with a reason")
    VIEW_AGGREGATES = "view_aggregates", _("See non-identifying statistics")
    MANAGE_AGENCY_USERS = "manage_agency_users", _("Manage the users of one's agency")
    MANAGE_AGENCIES = "manage_agencies", _("Manage agencies and all users")
    VIEW_AUDIT_LOG = "view_audit_log", _("Read the audit trail")
    APPROVE_CASES = "approve_cases", _("Approve assessments, case plans and closures")
    CONSENT_OVERRIDE = "consent_override", _("Refer without the victim's consent, with a reason")
    MANAGE_OUTREACH = "manage_outreach", _("Record outreach, knowledge tests and volunteers")
    REVIEW_LINKAGE = "review_linkage", _("Review possible duplicate persons")
    MANAGE_COMPANY_REGISTER = (
        "manage_company_register",
        _("Register placement companies and record sanctions on their licences"),
    )


class Scope(IntEnum):
    """How far a role's view of protected records reaches; each level includes the ones below."""

    NONE = 0
    ASSIGNED = 1  # records granted to the user (assignment, referral to the user)
    AGENCY = 2  # records owned by or granted to the user's agency
    JURISDICTION = 3  # records located in the agency's region subtree
    NATIONAL = 4  # every record


@dataclass(frozen=True)
class RolePolicy:
    scope: Scope
    perms: frozenset[Perm]
    summary: str | Promise


_CASE = frozenset({Perm.VIEW_RECORDS, Perm.EDIT_RECORDS, Perm.REVEAL_IDENTITY})

POLICIES: dict[Role, RolePolicy] = {
    Role.HOTLINE_OPERATOR: RolePolicy(
        Scope.AGENCY,
        _CASE,
        _("Answer the 24/7 hotline, record reports and triage them for the case team."),
    ),
    Role.CASE_WORKER: RolePolicy(
        Scope.ASSIGNED,
        _CASE,
        _("Work the cases assigned to you: assessment, plan, services, referrals, closure."),
    ),
    Role.CASE_SUPERVISOR: RolePolicy(
        Scope.AGENCY,
        _CASE
        | {Perm.APPROVE_CASES, Perm.CONSENT_OVERRIDE, Perm.MANAGE_OUTREACH, Perm.REVIEW_LINKAGE},
        _("Oversee your agency's caseload and approve assessments, plans and closures."),
    ),
    Role.SHELTER_OFFICER: RolePolicy(
        Scope.ASSIGNED,
        _CASE,
        _("Admit and care for the residents placed in your shelter."),
    ),
    Role.VILLAGE_OFFICER: RolePolicy(
        Scope.JURISDICTION,
        _CASE | {Perm.MANAGE_OUTREACH},
        _("Register departing migrant workers, record check-ins and report missing villagers."),
    ),
    Role.BORDER_OFFICER: RolePolicy(
        Scope.AGENCY,
        _CASE,
        _("Screen travellers and returnees at your post and refer possible victims."),
    ),
    Role.POLICE_INVESTIGATOR: RolePolicy(
        Scope.ASSIGNED,
        _CASE,
        _("Investigate the cases referred to you and record the proceedings."),
    ),
    Role.PROSECUTOR: RolePolicy(
        Scope.ASSIGNED,
        _CASE,
        _("Follow your prosecutions: charges, verdicts and restitution."),
    ),
    Role.TASKFORCE_COORDINATOR: RolePolicy(
        Scope.NONE,
        frozenset({Perm.VIEW_AGGREGATES, Perm.MANAGE_OUTREACH, Perm.MANAGE_COMPANY_REGISTER}),
        _("Coordinate the task force: action plans, referrals across agencies, statistics."),
    ),
    Role.DATA_ANALYST: RolePolicy(
        Scope.NONE,
        frozenset({Perm.VIEW_AGGREGATES}),
        _("Analyse de-identified statistics that count each person once."),
    ),
    Role.AGENCY_ADMIN: RolePolicy(
        Scope.NONE,
        frozenset({Perm.MANAGE_AGENCY_USERS}),
        _("Manage your agency's user accounts and roles."),
    ),
    Role.SYSTEM_ADMIN: RolePolicy(
        Scope.NONE,
        frozenset({Perm.MANAGE_AGENCIES, Perm.MANAGE_AGENCY_USERS, Perm.VIEW_AUDIT_LOG}),
        _("Run the system: agencies, accounts and the audit trail. No access to case data."),
    ),
}


ADMIN_ROLES = frozenset({Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN})
OPERATIONAL_ROLES = frozenset(r for r in Role if r not in ADMIN_ROLES)

# Who may give (or restore) which role: always a role above the grantee's. An agency
# administrator appoints its own agency's operational roles, never another administrator; a
# system administrator appoints administrators (agency or system) and never a role that sees
# case data. Nobody appoints themselves (checked in `actions`, with the agency rules).
APPOINTS: dict[Role, frozenset[Role]] = {
    Role.AGENCY_ADMIN: OPERATIONAL_ROLES,
    Role.SYSTEM_ADMIN: ADMIN_ROLES,
}


def may_appoint(appointer: str, role: str) -> bool:
    return Role(role) in APPOINTS.get(Role(appointer), frozenset())


def policy(role: str) -> RolePolicy:
    return POLICIES[Role(role)]


def requires_two_factor(role: str) -> bool:
    """Every role that can reveal identities or administer accounts must use TOTP."""
    perms = policy(role).perms
    return bool(perms & {Perm.REVEAL_IDENTITY, Perm.MANAGE_AGENCIES, Perm.MANAGE_AGENCY_USERS})


# Which roles exist in which type of agency: the form offers only these, and the action refuses
# any other (no prosecutor inside a UPTD PPA, no case worker at a prosecutor's office). Every
# type has an agency administrator and may have a data analyst; a system administrator sits in
# the task-force secretariat that runs Simpul.
_EVERYWHERE = frozenset({Role.AGENCY_ADMIN, Role.DATA_ANALYST})
_CARE = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR})

ROLES_BY_AGENCY_TYPE: dict[AgencyType, frozenset[Role]] = {
    AgencyType.UPTD_PPA: _EVERYWHERE | _CARE | {Role.HOTLINE_OPERATOR, Role.SHELTER_OFFICER},
    AgencyType.DINAS_PPPA: _EVERYWHERE
    | _CARE
    | {Role.HOTLINE_OPERATOR, Role.TASKFORCE_COORDINATOR},
    AgencyType.DINAS_SOSIAL: _EVERYWHERE | _CARE | {Role.SHELTER_OFFICER},
    AgencyType.SHELTER: _EVERYWHERE | _CARE | {Role.SHELTER_OFFICER},
    AgencyType.POLICE: _EVERYWHERE | {Role.POLICE_INVESTIGATOR},
    AgencyType.PROSECUTOR: _EVERYWHERE | {Role.PROSECUTOR},
    AgencyType.COURT: _EVERYWHERE,
    AgencyType.LPSK: _EVERYWHERE | _CARE,
    AgencyType.IMMIGRATION: _EVERYWHERE | {Role.BORDER_OFFICER},
    AgencyType.BP3MI: _EVERYWHERE | _CARE | {Role.BORDER_OFFICER},
    AgencyType.DISNAKER: _EVERYWHERE | {Role.CASE_WORKER},
    AgencyType.HEALTH: _EVERYWHERE | {Role.CASE_WORKER},
    AgencyType.VILLAGE: _EVERYWHERE | {Role.VILLAGE_OFFICER},
    AgencyType.BORDER_TEAM: _EVERYWHERE | {Role.BORDER_OFFICER},
    AgencyType.TASKFORCE: _EVERYWHERE | {Role.TASKFORCE_COORDINATOR, Role.SYSTEM_ADMIN},
    AgencyType.IOM: _EVERYWHERE | _CARE | {Role.SHELTER_OFFICER, Role.HOTLINE_OPERATOR},
    AgencyType.NGO: _EVERYWHERE | _CARE | {Role.SHELTER_OFFICER, Role.HOTLINE_OPERATOR},
}


def roles_for_agency_type(agency_type: str) -> frozenset[Role]:
    """The roles an agency of this type has (empty for an unknown type)."""
    try:
        return ROLES_BY_AGENCY_TYPE[AgencyType(agency_type)]
    except ValueError:
        return frozenset()
