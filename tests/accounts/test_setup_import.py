"""`simpul setup`: the first system administrator and the agencies-and-users file (issue 14,
item 4). The file is checked completely; any problem refuses all of it, each reported with its
line and a message in the reader's language; a re-run skips what is there."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from simpul.accounts.actions.setup import (
    AlreadySetUp,
    FirstAdmin,
    create_first_system_admin,
    import_agencies,
)
from simpul.accounts.agency_import import COLUMNS
from simpul.accounts.models import Agency, EnrolmentToken, Membership, User
from simpul.audit.models import AuditEvent
from simpul.demo.world import build_world
from tests.cases.helpers import indonesian

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "agencies.csv"
PASSWORD = "perahu-kecil-di-sungai-kapuas"
HEADER = ",".join(COLUMNS)


def _first_admin(username: str = "sysadmin") -> User:
    return create_first_system_admin(
        FirstAdmin(username=username, email="", full_name="Putri Wulandari", password=PASSWORD)
    )


def _snapshot() -> tuple[dict, dict]:
    agencies = {
        a.name: (a.agency_type, a.jurisdiction_id, a.parent.name if a.parent else None)
        for a in Agency.objects.select_related("parent")
    }
    users = {
        u.username: (
            u.get_full_name(),
            frozenset(
                (m.agency.name, m.role, m.is_active)
                for m in Membership.objects.filter(user=u).select_related("agency")
            ),
        )
        for u in User.objects.all()
    }
    return agencies, users


def _counts() -> tuple[int, int, int, int]:
    return (
        Agency.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        EnrolmentToken.objects.count(),
    )


@pytest.mark.django_db
def test_the_example_file_rebuilds_the_demo_worlds_agencies_and_users(regions):
    build_world(persons_per_agency=0)
    expected = _snapshot()
    assert len(expected[0]) == 13 and len(expected[1]) == 13
    Membership.objects.all().delete()
    User.objects.all().delete()
    Agency.objects.all().delete()

    admin = _first_admin()
    result = import_agencies(admin, EXAMPLE.read_bytes())

    assert result.ok, result.errors
    assert (result.agencies_created, result.agencies_skipped) == (12, 1)  # the secretariat
    assert (result.users_created, result.users_skipped) == (12, 1)  # the administrator
    assert _snapshot() == expected
    # New accounts have no password: each enrols once through its own link.
    assert sorted(name for name, _token in result.enrolments) == sorted(
        u for u in expected[1] if u != "sysadmin"
    )
    assert not any(u.has_usable_password() for u in User.objects.exclude(username="sysadmin"))
    assert EnrolmentToken.objects.filter(used_at__isnull=True).count() == 12
    assert AuditEvent.objects.filter(action="accounts.agency_registered").count() == 13
    assert AuditEvent.objects.filter(action="accounts.member_add").count() == 12
    assert AuditEvent.objects.filter(action="accounts.agencies_imported", count=24).count() == 1

    # Safe to re-run: everything is there exactly as described, nothing is created.
    again = import_agencies(admin, EXAMPLE.read_bytes())
    assert again.ok
    assert (again.agencies_created, again.agencies_skipped) == (0, 13)
    assert (again.users_created, again.users_skipped) == (0, 13)
    assert _snapshot() == expected


BAD_FILE = "\n".join(
    [
        HEADER,
        "a,Agency A,uptd_ppa,61.01,,,,,",  # 2: fine
        "b,Agency B,spaceship,61.01,,,,,",  # 3: unknown type
        "c,Agency C,police,99.99,,,,,",  # 4: unknown region
        "d,Agency D,shelter,21.72,zz,,,,",  # 5: parent not in the file
        "a,,,,,u.one,Satu Orang,,prosecutor",  # 6: no prosecutor in a UPTD PPA
        "a,,,,,u.two,Dua Orang,not-an-email,case_worker",  # 7: bad e-mail
        "a,,,,,u.three,Tiga Orang,,case_worker",  # 8: fine
        "a,,,,,u.three,Tiga Orang,,case_worker",  # 9: duplicate
        "e,Agency E,village,61.01.09.2002,,u.three,Tiga Orang,,village_officer",  # 10: other agency
        "a,Agency A,ngo,61.01,,,,,",  # 11: described differently
        "f,Agency F,uptd_ppa,61.01,,bad name!,Empat,,case_worker",  # 12: bad username
        "a,,,,,u.five,Lima Orang,,astronaut",  # 13: unknown role
        "g,,,,,u.six,Enam Orang,,case_worker",  # 14: agency never described
        "h,Agency H,ngo,,h,,,,",  # 15: its own parent
    ]
)


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_line_and_nothing_is_stored(regions):
    admin = _first_admin()
    before = _counts()
    audits = AuditEvent.objects.count()
    with translation.override("id"):
        result = import_agencies(admin, BAD_FILE.encode())
    assert [(e.line, e.column, e.code) for e in result.errors] == [
        (3, "agency_type", "unknown_type"),
        (4, "jurisdiction", "unknown_region"),
        (5, "parent_code", "parent_missing"),
        (6, "role", "role_not_in_type"),
        (7, "email", "bad_email"),
        (9, "username", "duplicate_user"),
        (10, "username", "user_other_agency"),
        (11, "agency_code", "agency_described_twice"),
        (12, "username", "bad_username"),
        (13, "role", "unknown_role"),
        (14, "agency_code", "agency_undescribed"),
        (15, "parent_code", "parent_loop"),
    ]
    messages = {e.code: e.message for e in result.errors}
    assert messages["unknown_region"] == indonesian("Unknown region code %(value)s.", value="99.99")
    assert messages["duplicate_user"] == indonesian(
        "%(username)s is listed twice with this role (first on line %(line)s).",
        username="u.three",
        line=8,
    )
    assert _counts() == before
    # The refusal itself is audited (how many problems, never the file's content).
    assert AuditEvent.objects.count() == audits + 1
    refused = AuditEvent.objects.get(action="accounts.agencies_imported")
    assert (refused.outcome, refused.count) == ("failed", 12)


@pytest.mark.django_db
def test_a_row_that_would_change_what_exists_is_refused(regions):
    admin = _first_admin()
    first = f"{HEADER}\nk,Agency K,uptd_ppa,61.01,,k.worker,Kasih Sayang,,case_worker\n"
    assert import_agencies(admin, first.encode()).ok
    before = _snapshot()
    changed = "\n".join(
        [
            HEADER,
            "k,Agency K,uptd_ppa,21.72,,,,,",  # another region
            "p,Agency P,uptd_ppa,61.01,,k.worker,Kasih Sayang,,case_worker",  # another agency
            "q,Agency Q,ngo,61.01,,,,,",  # new, fine on its own
        ]
    )
    result = import_agencies(admin, changed.encode())
    assert [(e.line, e.code) for e in result.errors] == [(2, "agency_differs"), (3, "user_differs")]
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_parent_is_created_before_its_units(regions):
    admin = _first_admin()
    content = "\n".join(
        [
            HEADER,
            "unit,Unit Layanan,uptd_ppa,61.01,mother,,,,",
            "mother,Dinas Induk,dinas_pppa,61.01,,,,,",
        ]
    )
    assert import_agencies(admin, content.encode()).ok
    assert Agency.objects.get(name="Unit Layanan").parent == Agency.objects.get(name="Dinas Induk")


@pytest.mark.django_db
def test_setup_runs_once(regions, tmp_path):
    password = tmp_path / "password"
    password.write_text(PASSWORD + "\n")
    _first_admin()
    before = _counts()
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "setup", "--username", "another", "--full-name", "Orang Lain", "--no-input",
            "--password-file", str(password),
        )  # fmt: skip
    assert _counts() == before
    with pytest.raises(AlreadySetUp):
        _first_admin("third")


@pytest.mark.django_db
def test_a_refused_file_leaves_no_administrator_behind(regions, tmp_path, monkeypatch):
    # load_regions would load the whole tree: the slice is enough for this file.
    password = tmp_path / "password"
    password.write_text(PASSWORD + "\n")
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(f"{HEADER}\nx,Agency X,spaceship,,,,,,\n")
    out = StringIO()
    with pytest.raises(CommandError, match="1 problems"):
        call_command(
            "setup", "--username", "root.admin", "--full-name", "Akar Admin", "--no-input",
            "--password-file", str(password), "--agencies", str(agencies), stdout=out,
        )  # fmt: skip
    assert "2;agency_type;" in out.getvalue()
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_a_weak_password_is_refused_before_anything_is_written(regions, tmp_path):
    password = tmp_path / "password"
    password.write_text("12345\n")
    with pytest.raises(CommandError, match="password"):
        call_command(
            "setup", "--username", "root.admin", "--full-name", "Akar Admin", "--no-input",
            "--password-file", str(password),
        )  # fmt: skip
    assert _counts() == (0, 0, 0, 0)
