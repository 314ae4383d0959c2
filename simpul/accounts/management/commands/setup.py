"""`simpul setup`: a new installation on an empty database, once.

Migrates the database (and creates the cache table), loads the regions, creates the first
system administrator and, with `--agencies FILE.csv`, imports agencies and users
(`simpul.accounts.agency_import` describes the file). The file is checked completely before
anything is written, and the administrator and the file's rows are written in one transaction:
a refused file leaves no administrator behind, so the command can simply be run again.
Refused (exit code 1) once a system administrator exists.

The password comes from `--password-file` (a file, or `-` for standard input: for scripts and
container secrets) or is asked for twice at the terminal; it is never an argument, so it is
never in the process list or a shell history. The second factor is set up at the first sign-in.
"""

import getpass
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from simpul.accounts.actions.setup import (
    DEFAULT_ADMIN_AGENCY,
    AgencyImportResult,
    AlreadySetUp,
    FirstAdmin,
    check_first_admin,
    create_first_system_admin,
    import_agencies,
    system_admin_exists,
)
from simpul.accounts.agency_import import plan_import

ALREADY = (
    "A system administrator already exists: this installation is set up. Nothing was changed. "
    "Add agencies and accounts on the agency pages (or `simpul setup` on an empty database)."
)


class _Refused(Exception):
    def __init__(self, result: AgencyImportResult) -> None:
        super().__init__("refused")
        self.result = result


class Command(BaseCommand):
    help = (
        "Set up a new installation: migrate, load regions, create the first system "
        "administrator, optionally import agencies and users from a CSV file. Runs once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", help="The first system administrator's username.")
        parser.add_argument("--email", default="", help="Their e-mail address.")
        parser.add_argument("--full-name", help="Their full name.")
        parser.add_argument(
            "--password-file",
            help="Read the password from this file's first line ('-': standard input).",
        )
        parser.add_argument(
            "--agency-name",
            default=DEFAULT_ADMIN_AGENCY,
            help=f"The task-force secretariat that runs Simpul (default: {DEFAULT_ADMIN_AGENCY}).",
        )
        parser.add_argument("--agencies", type=Path, help="CSV file of agencies and users.")
        parser.add_argument(
            "--base-url",
            default="",
            help="Public address (https://simpul.example.go.id) to print full enrolment links.",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Never prompt; fail when something is missing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        self.base_url = options["base_url"]
        # Checked before migrating too, so a second run changes nothing at all.
        tables = connection.introspection.table_names()
        if "accounts_membership" in tables and system_admin_exists():
            raise CommandError(ALREADY)
        self._migrate(verbosity)
        if system_admin_exists():
            raise CommandError(ALREADY)
        interactive = not options["no_input"] and sys.stdin.isatty()
        details = FirstAdmin(
            username=self._value(options, "username", "Username", interactive),
            email=options["email"] or self._ask("E-mail", interactive, required=False),
            full_name=self._value(options, "full_name", "Full name", interactive),
            password=self._password(options, interactive),
            agency_name=options["agency_name"],
        )
        content = self._read_file(options["agencies"])
        with translation.override(settings.LANGUAGE_CODE):
            try:
                check_first_admin(details)
            except ValidationError as exc:
                raise CommandError(self._messages(exc)) from None
            call_command("load_regions", verbosity=verbosity)
            self._create(details, content)

    def _create(self, details: FirstAdmin, content: bytes | None) -> None:
        if content is not None:
            plan = plan_import(content)
            if plan.errors:
                self._refuse(AgencyImportResult(errors=plan.errors))
        try:
            with transaction.atomic():
                admin = create_first_system_admin(details)
                result = import_agencies(admin, content) if content is not None else None
                if result is not None and not result.ok:
                    raise _Refused(result)
        except AlreadySetUp:
            raise CommandError(ALREADY) from None
        except _Refused as refused:
            self._refuse(refused.result)
        self.stdout.write(
            f"System administrator {admin.username} created at {details.agency_name}. Sign in "
            f"at {self.base_url.rstrip('/')}/accounts/login/; the second factor is set up at the "
            "first sign-in."
        )
        if result is not None:
            self._report(result)

    def _report(self, result: AgencyImportResult) -> None:
        self.stdout.write(
            f"Agencies: {result.agencies_created} created, {result.agencies_skipped} already "
            f"present. Accounts: {result.users_created} created, {result.users_skipped} already "
            "present."
        )
        if result.enrolments:
            base = self.base_url.rstrip("/")
            self.stdout.write(
                "One-time enrolment links (valid 72 hours; pass each to its holder only):"
            )
            for username, token in result.enrolments:
                self.stdout.write(f"{username}\t{base}/accounts/enrol/{token}/")

    def _refuse(self, result: AgencyImportResult) -> None:
        self.stdout.write("line;column;problem")
        for error in result.errors:
            self.stdout.write(f"{error.line};{error.column};{error.message}")
        raise CommandError(
            f"Nothing was set up: {len(result.errors)} problems in the agencies file."
        )

    @staticmethod
    def _messages(exc: ValidationError) -> str:
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)

    def _migrate(self, verbosity: int) -> None:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        if executor.migration_plan(targets):
            call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("createcachetable", verbosity=verbosity)

    def _value(self, options: dict[str, Any], name: str, prompt: str, interactive: bool) -> str:
        value = options[name]
        if value:
            return str(value).strip()
        return self._ask(prompt, interactive, required=True, option=name)

    @staticmethod
    def _ask(prompt: str, interactive: bool, *, required: bool, option: str = "") -> str:
        if not interactive:
            if required:
                raise CommandError(f"--{option.replace('_', '-')} is required without a terminal.")
            return ""
        while True:
            value = input(f"{prompt}: ").strip()
            if value or not required:
                return value

    @staticmethod
    def _password(options: dict[str, Any], interactive: bool) -> str:
        source = options["password_file"]
        if source:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
            password = text.splitlines()[0] if text.strip() else ""
            if not password:
                raise CommandError("The password file is empty.")
            return password
        if not interactive:
            raise CommandError("--password-file is required without a terminal.")
        while True:
            password = getpass.getpass("Password: ")
            if password and password == getpass.getpass("Password (again): "):
                return password
            sys.stderr.write("The passwords differ or are empty; try again.\n")

    @staticmethod
    def _read_file(path: Path | None) -> bytes | None:
        if path is None:
            return None
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        return path.read_bytes()
