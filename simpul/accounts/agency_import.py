"""Reading and checking an agencies-and-users file for `simpul setup --agencies` (no writes).

One CSV (UTF-8, comma or semicolon), one row per user; an agency without users has a row with
the user columns empty. Columns (header names exactly as below, any order):

    agency_code, agency_name, agency_type, jurisdiction, parent_code,
    username, full_name, email, role

`agency_code` is the file's own key: `parent_code` and the rows of an agency's users refer to
it; it is not stored. The first row of an agency describes it (name, type code, region code of
its jurisdiction or empty for national, parent's code); its other rows may repeat that
description exactly or leave it empty. Agencies are matched with the database by name, users
by username.

Every row is checked before anything is written (`plan_import`); any problem refuses the whole
file and every problem is reported with its line (the header is line 1) and a message in the
reader's language. Re-running a file is safe: an agency or user already present exactly as
the file describes it is skipped. A row that would change something that exists (another
type, region or parent; another name or e-mail; a role the account does not hold) is refused:
changes to existing agencies and accounts are made on the agency pages, where each is audited
with its reason. `simpul.accounts.actions.setup.import_agencies` writes a clean plan.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, Membership, User
from simpul.accounts.roles import AgencyType, Role, roles_for_agency_type
from simpul.regions.models import Region

AGENCY_COLUMNS = ("agency_code", "agency_name", "agency_type", "jurisdiction", "parent_code")
USER_COLUMNS = ("username", "full_name", "email", "role")
COLUMNS = AGENCY_COLUMNS + USER_COLUMNS
_DESCRIPTION = AGENCY_COLUMNS[1:]


@dataclass(frozen=True)
class ImportError_:
    line: int
    column: str
    code: str  # a stable code for tests and scripts
    message: str


@dataclass
class AgencyRow:
    code: str
    name: str
    agency_type: str
    jurisdiction: str
    parent_code: str
    line: int
    existing: Agency | None = None


@dataclass
class UserRow:
    username: str
    full_name: str
    email: str
    agency_code: str
    role: str
    line: int
    existing: User | None = None


@dataclass
class ImportPlan:
    agencies: list[AgencyRow] = field(default_factory=list)  # parents before their units
    users: list[UserRow] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_agencies(self) -> list[AgencyRow]:
        return [a for a in self.agencies if a.existing is None]

    @property
    def new_users(self) -> list[UserRow]:
        return [u for u in self.users if u.existing is None]


def split_full_name(full_name: str) -> tuple[str, str]:
    """First word as the given name, the rest as the family name (Django's two fields)."""
    first, _sep, last = " ".join(full_name.split()).partition(" ")
    return first, last


def _description(spec: AgencyRow) -> tuple[str, str, str, str]:
    return spec.name, spec.agency_type, spec.jurisdiction, spec.parent_code


class _Checker:
    def __init__(self) -> None:
        self.plan = ImportPlan()
        self.refused_codes: set[str] = set()  # described, but the description was refused

    def error(self, line: int, column: str, code: str, message: str) -> None:
        self.plan.errors.append(ImportError_(line, column, code, message))

    # --- reading ---------------------------------------------------------------------------

    def read(self, content: bytes) -> list[tuple[int, dict[str, str]]]:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error(1, "", "encoding", _("The file is not UTF-8 text. Save it as CSV UTF-8."))
            return []
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            self.error(
                1,
                ", ".join(missing),
                "missing_columns",
                _("The header lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)},
            )
            return []
        rows = []
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            cells = dict(zip(header, (v.strip() for v in values), strict=False))
            rows.append((start, {c: cells.get(c, "") for c in COLUMNS}))
        return rows

    # --- agencies --------------------------------------------------------------------------

    def agencies(self, rows: list[tuple[int, dict[str, str]]]) -> dict[str, AgencyRow]:
        described: dict[str, AgencyRow] = {}
        for line, row in rows:
            code = row["agency_code"]
            if not code:
                message = _("The agency code is empty.")
                self.error(line, "agency_code", "agency_code_missing", message)
                continue
            if not any(row[c] for c in _DESCRIPTION):
                continue  # another row describes the agency
            spec = AgencyRow(
                code,
                " ".join(row["agency_name"].split()),
                row["agency_type"],
                row["jurisdiction"],
                row["parent_code"],
                line,
            )
            earlier = described.get(code)
            if earlier is not None:
                if _description(earlier) != _description(spec):
                    self.error(
                        line,
                        "agency_code",
                        "agency_described_twice",
                        _("Agency %(code)s is described differently on line %(line)s.")
                        % {"code": code, "line": earlier.line},
                    )
                continue
            if self._agency_valid(spec):
                described[code] = spec
            else:
                self.refused_codes.add(code)
        self._names_unique(described)
        self._parents(described)
        referred = {(row["agency_code"], line) for line, row in rows if row["agency_code"]}
        for code, line in sorted(referred, key=lambda r: r[1]):
            if code not in described and code not in self.refused_codes:
                self.error(
                    line,
                    "agency_code",
                    "agency_undescribed",
                    _("Agency %(code)s has no row with its name and type.") % {"code": code},
                )
        return described

    def _agency_valid(self, spec: AgencyRow) -> bool:
        valid = True
        if not spec.name:
            message = _("The agency name is empty.")
            self.error(spec.line, "agency_name", "agency_name_missing", message)
            valid = False
        if spec.agency_type not in AgencyType.values:
            self.error(
                spec.line,
                "agency_type",
                "unknown_type",
                _("Unknown agency type %(value)s.") % {"value": spec.agency_type or "—"},
            )
            valid = False
        if spec.jurisdiction and not Region.objects.filter(pk=spec.jurisdiction).exists():
            self.error(
                spec.line,
                "jurisdiction",
                "unknown_region",
                _("Unknown region code %(value)s.") % {"value": spec.jurisdiction},
            )
            valid = False
        return valid

    def _names_unique(self, described: dict[str, AgencyRow]) -> None:
        seen: dict[str, AgencyRow] = {}
        for spec in list(described.values()):
            other = seen.setdefault(spec.name.casefold(), spec)
            if other is not spec:
                self.error(
                    spec.line,
                    "agency_name",
                    "agency_name_twice",
                    _("Line %(line)s already names an agency %(name)s.")
                    % {"line": other.line, "name": spec.name},
                )
                del described[spec.code]
                self.refused_codes.add(spec.code)

    def _parents(self, described: dict[str, AgencyRow]) -> None:
        for spec in list(described.values()):
            if spec.parent_code and spec.parent_code not in described:
                self.error(
                    spec.line,
                    "parent_code",
                    "parent_missing",
                    _("The parent agency %(code)s is not described in the file.")
                    % {"code": spec.parent_code},
                )
                del described[spec.code]
                self.refused_codes.add(spec.code)
        for spec in list(described.values()):
            seen = {spec.code}
            parent = described.get(spec.parent_code) if spec.parent_code else None
            while parent is not None:
                if parent.code in seen:
                    self.error(
                        spec.line,
                        "parent_code",
                        "parent_loop",
                        _("An agency cannot be placed under itself or one of its own units."),
                    )
                    described.pop(spec.code, None)
                    self.refused_codes.add(spec.code)
                    break
                seen.add(parent.code)
                parent = described.get(parent.parent_code) if parent.parent_code else None

    # --- users -----------------------------------------------------------------------------

    def users(self, rows: list[tuple[int, dict[str, str]]], agencies: dict[str, AgencyRow]) -> None:
        seen: dict[str, UserRow] = {}
        pairs: set[tuple[str, str]] = set()
        for line, row in rows:
            username = row["username"]
            if not username:
                if row["full_name"] or row["email"] or row["role"]:
                    self.error(line, "username", "username_missing", _("The username is empty."))
                continue
            user = UserRow(
                username,
                " ".join(row["full_name"].split()),
                row["email"],
                row["agency_code"],
                row["role"],
                line,
            )
            if not self._user_valid(user, agencies.get(user.agency_code)):
                continue
            earlier = seen.setdefault(username, user)
            if earlier is not user:
                if earlier.agency_code != user.agency_code:
                    self._user_error(
                        user,
                        "username",
                        "user_other_agency",
                        _("Line %(line)s gives %(username)s a role in another agency."),
                        earlier,
                    )
                    continue
                if (earlier.full_name, earlier.email) != (user.full_name, user.email):
                    self._user_error(
                        user,
                        "full_name",
                        "user_described_twice",
                        _("Line %(line)s names %(username)s differently."),
                        earlier,
                    )
                    continue
            if (username, user.role) in pairs:
                self._user_error(
                    user,
                    "username",
                    "duplicate_user",
                    _("%(username)s is listed twice with this role (first on line %(line)s)."),
                    earlier,
                )
                continue
            pairs.add((username, user.role))
            self.plan.users.append(user)

    def _user_error(self, user: UserRow, column: str, code: str, text: str, other: UserRow) -> None:
        self.error(user.line, column, code, text % {"line": other.line, "username": user.username})

    def _user_valid(self, user: UserRow, agency: AgencyRow | None) -> bool:
        valid = True
        try:
            UnicodeUsernameValidator()(user.username)
            if len(user.username) > 150:
                raise ValidationError("too long")
        except ValidationError:
            self.error(
                user.line,
                "username",
                "bad_username",
                _("A username has at most 150 letters, digits and @ . + - _ only."),
            )
            valid = False
        if not user.full_name:
            self.error(user.line, "full_name", "full_name_missing", _("The full name is empty."))
            valid = False
        if user.email:
            try:
                validate_email(user.email)
            except ValidationError:
                self.error(user.line, "email", "bad_email", _("This is not an e-mail address."))
                valid = False
        if user.role not in Role.values:
            self.error(
                user.line,
                "role",
                "unknown_role",
                _("Unknown role %(value)s.") % {"value": user.role or "—"},
            )
            valid = False
        elif agency is not None and user.role not in roles_for_agency_type(agency.agency_type):
            self.error(
                user.line,
                "role",
                "role_not_in_type",
                _("An agency of type %(type)s has no role %(role)s.")
                % {"type": AgencyType(agency.agency_type).label, "role": Role(user.role).label},
            )
            valid = False
        return valid and agency is not None

    # --- the database ----------------------------------------------------------------------

    def against_database(self, agencies: dict[str, AgencyRow]) -> None:
        for spec in agencies.values():
            spec.existing = (
                Agency.objects.select_related("parent").filter(name__iexact=spec.name).first()
            )
            if spec.existing is None:
                continue
            parent = agencies.get(spec.parent_code) if spec.parent_code else None
            same = (
                spec.existing.agency_type == spec.agency_type
                and (spec.existing.jurisdiction_id or "") == spec.jurisdiction
                and (spec.existing.parent.name.casefold() if spec.existing.parent else "")
                == (parent.name.casefold() if parent else "")
            )
            if not same:
                self.error(
                    spec.line,
                    "agency_name",
                    "agency_differs",
                    _(
                        "Agency %(name)s already exists with another type, region or parent. "
                        "Change it on the agency page."
                    )
                    % {"name": spec.existing.name},
                )
        for user in self.plan.users:
            user.existing = User.objects.filter(username=user.username).first()
            if user.existing is None:
                continue
            agency = agencies[user.agency_code]
            holds = (
                agency.existing is not None
                and Membership.objects.filter(
                    user=user.existing, agency=agency.existing, role=user.role
                ).exists()
            )
            same_person = user.existing.get_full_name() == user.full_name and (
                not user.email or user.existing.email == user.email
            )
            if not (holds and same_person):
                self.error(
                    user.line,
                    "username",
                    "user_differs",
                    _(
                        "The account %(username)s already exists with another name, e-mail or "
                        "role. Change it on the agency page."
                    )
                    % {"username": user.username},
                )

    def order(self, agencies: dict[str, AgencyRow]) -> None:
        placed: set[str] = set()
        remaining = list(agencies.values())
        while remaining:
            ready = [a for a in remaining if not a.parent_code or a.parent_code in placed]
            if not ready:  # cannot happen once _parents has passed; never loop forever
                break
            for spec in ready:
                self.plan.agencies.append(spec)
                placed.add(spec.code)
            remaining = [a for a in remaining if a.code not in placed]


def _position(error: ImportError_) -> tuple[int, int]:
    column = error.column.split(",")[0]
    return error.line, COLUMNS.index(column) if column in COLUMNS else -1


def plan_import(content: bytes) -> ImportPlan:
    """Check a file completely; the plan has every error, or what to create and to skip."""
    checker = _Checker()
    rows = checker.read(content)
    if checker.plan.errors:
        return checker.plan
    agencies = checker.agencies(rows)
    checker.users(rows, agencies)
    if not checker.plan.errors:
        checker.order(agencies)
        checker.against_database(agencies)
    checker.plan.errors.sort(key=_position)
    return checker.plan
