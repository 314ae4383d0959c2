"""Issue 21, finding 1: who may give whom a role. Memberships are granted only by a role above
the grantee's, never to oneself, never to a user of another agency; an administrator's own
access stays what the role table says."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from simpul.accounts import actions
from simpul.accounts.models import Agency, Membership, RoleChangeNotice, User
from simpul.accounts.principal import Principal
from simpul.accounts.roles import Perm, Role, may_appoint
from simpul.audit.models import AuditEvent

SAMBAS = "UPTD PPA Kabupaten Sambas"
TPI = "UPTD PPA Kota Tanjungpinang"


def _id(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


SELF = "You cannot give a role to yourself. Another administrator must do it."
OTHER_AGENCY = (
    "This user belongs to another agency. A role there cannot be given from here: "
    "ask that agency's administrator, or choose another username."
)
NOT_APPOINTABLE = "Your role cannot appoint this role."


def _form(username: str, role: str) -> dict[str, str]:
    return {"username": username, "first_name": "Nama", "last_name": "", "role": role}


def test_the_appointment_table_ranks_every_role():
    operational = [r for r in Role if r not in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)]
    for role in operational:
        assert may_appoint(Role.AGENCY_ADMIN, role)
        assert not may_appoint(Role.SYSTEM_ADMIN, role)  # a system admin never hands out cases
        for other in operational:
            assert not may_appoint(role, other)
    assert not may_appoint(Role.AGENCY_ADMIN, Role.AGENCY_ADMIN)
    assert not may_appoint(Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)
    assert may_appoint(Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN)
    assert may_appoint(Role.SYSTEM_ADMIN, Role.SYSTEM_ADMIN)


@pytest.mark.django_db
def test_agency_admin_cannot_give_itself_case_supervisor(signed_in):
    admin = signed_in("admin.sambas")
    agency = Agency.objects.get(name=SAMBAS)
    before = Membership.objects.count()
    response = admin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("admin.sambas", "case_supervisor")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["username"] == [_id(SELF)]
    assert Membership.objects.count() == before
    assert AuditEvent.objects.filter(action="accounts.member_add").count() == 0
    assert admin.get("/cases/").status_code == 403
    assert admin.get("/persons/").status_code == 403


@pytest.mark.django_db
def test_system_admin_cannot_give_itself_a_role_in_another_agency(signed_in):
    sysadmin = signed_in("sysadmin")
    agency = Agency.objects.get(name=SAMBAS)
    before = Membership.objects.count()
    # A case role is not even offered to a system administrator...
    response = sysadmin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("sysadmin", "case_supervisor")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["role"]
    # ...and an administrator's role for itself is refused at the username.
    response = sysadmin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("sysadmin", "agency_admin")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["username"] == [_id(SELF)]
    # The action refuses it whatever the form offered.
    with pytest.raises(ValidationError) as refused:
        actions.add_member(
            User.objects.get(username="sysadmin"),
            agency,
            username="sysadmin",
            first_name="X",
            last_name="",
            role=Role.CASE_SUPERVISOR,
        )
    assert refused.value.message_dict == {"username": [_id(SELF)]}
    assert Membership.objects.count() == before
    assert sysadmin.get("/persons/").status_code == 403


@pytest.mark.django_db
def test_an_agency_admin_cannot_appoint_an_agency_admin(signed_in):
    admin = signed_in("admin.sambas")
    agency = Agency.objects.get(name=SAMBAS)
    users = User.objects.count()
    response = admin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("admin.kedua", "agency_admin")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["role"]
    assert User.objects.count() == users
    # ...and the action refuses it too, whatever the form offered.
    with pytest.raises(ValidationError) as refused:
        actions.add_member(
            User.objects.get(username="admin.sambas"),
            agency,
            username="admin.kedua",
            first_name="X",
            last_name="",
            role=Role.AGENCY_ADMIN,
        )
    assert refused.value.message_dict == {"role": [_id(NOT_APPOINTABLE)]}
    assert User.objects.count() == users


@pytest.mark.django_db
def test_a_system_admin_appoints_agency_admins_but_no_case_roles(signed_in):
    sysadmin = signed_in("sysadmin")
    agency = Agency.objects.get(name=TPI)
    refused = sysadmin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("kasus.tpi", "case_supervisor")
    )
    assert refused.status_code == 422
    assert refused.context["form"].errors["role"]
    assert not User.objects.filter(username="kasus.tpi").exists()
    given = sysadmin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("admin.tpi", "agency_admin")
    )
    assert given.status_code == 200
    membership = Membership.objects.get(user__username="admin.tpi")
    assert (membership.agency, membership.role, membership.is_active) == (
        agency,
        "agency_admin",
        True,
    )
    assert membership.granted_by == User.objects.get(username="sysadmin")


@pytest.mark.django_db
def test_a_user_of_another_agency_is_refused_at_the_username(signed_in):
    admin = signed_in("admin.sambas")
    agency = Agency.objects.get(name=SAMBAS)
    before = Membership.objects.filter(user__username="pekerja.tpi").count()
    response = admin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("pekerja.tpi", "case_supervisor")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["username"] == [_id(OTHER_AGENCY)]
    assert Membership.objects.filter(user__username="pekerja.tpi").count() == before
    assert not Membership.objects.filter(user__username="pekerja.tpi", agency=agency).exists()


@pytest.mark.django_db
def test_a_second_role_for_an_own_agency_member_is_allowed(signed_in):
    admin = signed_in("admin.sambas")
    agency = Agency.objects.get(name=SAMBAS)
    response = admin.post(
        f"/accounts/agencies/{agency.id}/members/new/", _form("pekerja.sambas", "hotline_operator")
    )
    assert response.status_code == 302
    roles = set(
        Membership.objects.filter(user__username="pekerja.sambas").values_list("role", flat=True)
    )
    assert roles == {"case_worker", "hotline_operator"}


@pytest.mark.django_db
def test_an_admin_cannot_restore_a_role_of_its_own(world):
    admin = User.objects.get(username="admin.sambas")
    agency = Agency.objects.get(name=SAMBAS)
    # A role left over from before the rules, suspended since.
    own = Membership.objects.create(
        user=admin, agency=agency, role=Role.CASE_SUPERVISOR, is_active=False
    )
    with pytest.raises(ValidationError):
        actions.set_membership_active(admin, own, True)
    own.refresh_from_db()
    assert own.is_active is False
    # Suspending one's own role stays possible (it only takes access away).
    admin_role = Membership.objects.get(user=admin, role=Role.AGENCY_ADMIN)
    with pytest.raises(ValidationError):
        actions.set_membership_active(admin, admin_role, True)


@pytest.mark.django_db
def test_an_agency_admin_cannot_restore_an_agency_admin(world):
    admin = User.objects.get(username="admin.sambas")
    agency = Agency.objects.get(name=SAMBAS)
    other = User.objects.create(username="admin.lama")
    theirs = Membership.objects.create(
        user=other, agency=agency, role=Role.AGENCY_ADMIN, is_active=False
    )
    with pytest.raises(ValidationError):
        actions.set_membership_active(admin, theirs, True)
    theirs.refresh_from_db()
    assert theirs.is_active is False


@pytest.mark.django_db
def test_a_system_admin_never_holds_case_permissions(world):
    sysadmin = User.objects.get(username="sysadmin")
    agency = Agency.objects.get(name=SAMBAS)
    # Even a case role stored directly (e.g. from before the rules) grants it nothing.
    Membership.objects.create(user=sysadmin, agency=agency, role=Role.CASE_SUPERVISOR)
    principal = Principal(sysadmin)
    for perm in (Perm.VIEW_RECORDS, Perm.EDIT_RECORDS, Perm.REVEAL_IDENTITY):
        assert not principal.has_perm(perm)
    assert principal.has_perm(Perm.MANAGE_AGENCIES)


@pytest.mark.django_db
def test_a_role_an_admin_granted_itself_grants_nothing(world):
    admin = User.objects.get(username="admin.sambas")
    agency = Agency.objects.get(name=SAMBAS)
    Membership.objects.create(
        user=admin, agency=agency, role=Role.CASE_SUPERVISOR, granted_by=admin
    )
    assert not Principal(admin).has_perm(Perm.VIEW_RECORDS)
    worker = User.objects.get(username="pekerja.sambas")
    assert Principal(worker).has_perm(Perm.VIEW_RECORDS)


@pytest.mark.django_db
def test_a_role_change_is_shown_to_the_member_and_the_agency_supervisors(signed_in):
    admin = signed_in("admin.sambas")
    membership = Membership.objects.get(user__username="pekerja.sambas")
    assert admin.post(f"/accounts/members/{membership.id}/toggle/").status_code == 302
    assert admin.post(f"/accounts/members/{membership.id}/toggle/").status_code == 302
    notices = RoleChangeNotice.objects.filter(membership=membership).order_by("id")
    assert [n.change for n in notices] == ["deactivated", "activated"]
    assert AuditEvent.objects.filter(action="accounts.member_activate").count() == 1
    worker = signed_in("pekerja.sambas")
    home = worker.get("/")
    assert [n.id for n in home.context["role_notices_own"]] == [n.id for n in notices][::-1]
    assert b'id="role-notices-own"' in home.content
    supervisor = signed_in("supervisor.sambas")
    seen = supervisor.get("/").context["role_notices_agency"]
    assert {n.membership_id for n in seen} == {membership.id}
    assert b'id="role-notices-agency"' in supervisor.get("/").content
    # Another agency's staff see nothing of it.
    outsider = signed_in("pekerja.tpi").get("/")
    assert list(outsider.context["role_notices_own"]) == []
    assert list(outsider.context["role_notices_agency"]) == []
