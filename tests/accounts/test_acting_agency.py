"""Issue 13: one answer to "which agency is this user acting for" (simpul.accounts.queries):
active memberships at active agencies only, in membership order, a self-granted role counting
for nothing; the migration duties pick the first agency of the right kind."""

import pytest
from django.core.exceptions import PermissionDenied

from simpul.accounts.models import Agency, AgencyType, Membership, User
from simpul.accounts.queries import (
    acting_agency,
    acting_agency_ids,
    acts_for,
    require_acting_agency,
)
from simpul.accounts.roles import Perm, Role
from simpul.migration.capabilities import Duty
from simpul.migration.capabilities import acting_agency as duty_agency

pytestmark = pytest.mark.django_db


def _agency(name: str, kind: str = AgencyType.UPTD_PPA) -> Agency:
    return Agency.objects.create(name=name, agency_type=kind)


def _member(user: User, agency: Agency, role: str, *, by: User | None, active=True) -> None:
    Membership.objects.create(user=user, agency=agency, role=role, granted_by=by, is_active=active)


@pytest.fixture
def admin():
    return User.objects.create_user("granter", password="x")


def _fresh(username: str) -> User:
    return User.objects.get(username=username)  # a new principal: nothing memoised


def test_first_active_membership_at_an_active_agency(admin):
    user = User.objects.create_user("worker", password="x")
    closed, first, second = _agency("Closed"), _agency("First"), _agency("Second")
    _member(user, closed, Role.CASE_WORKER, by=admin)
    _member(user, first, Role.CASE_WORKER, by=admin)
    _member(user, second, Role.CASE_SUPERVISOR, by=admin)
    Agency.objects.filter(pk=closed.pk).update(is_active=False)
    user = _fresh("worker")
    assert acting_agency_ids(user) == [first.pk, second.pk]
    assert acting_agency(user) == first
    assert acts_for(user, second.pk) and not acts_for(user, closed.pk)
    assert not acts_for(user, None)
    assert acting_agency_ids(user, Perm.APPROVE_CASES) == [second.pk]


def test_deactivated_and_self_granted_memberships_count_for_nothing(admin):
    user = User.objects.create_user("worker", password="x")
    own, ended, other = _agency("Own"), _agency("Ended"), _agency("Other")
    _member(user, ended, Role.CASE_WORKER, by=admin, active=False)
    _member(user, own, Role.CASE_WORKER, by=user)  # gave the role to themselves
    assert acting_agency_ids(user) == []
    assert acting_agency(user) is None
    with pytest.raises(PermissionDenied):
        require_acting_agency(user)
    _member(user, other, Role.CASE_WORKER, by=admin)
    assert require_acting_agency(_fresh("worker")) == other


def test_an_agency_closed_after_sign_in_is_no_longer_acted_for(admin):
    user = User.objects.create_user("worker", password="x")
    agency = _agency("Only")
    _member(user, agency, Role.CASE_WORKER, by=admin)
    assert acting_agency(_fresh("worker")) == agency
    Agency.objects.filter(pk=agency.pk).update(is_active=False)
    assert acting_agency(_fresh("worker")) is None


def test_a_duty_picks_the_first_agency_of_the_right_kind(admin):
    user = User.objects.create_user("officer", password="x")
    ppa = _agency("PPA")
    post = _agency("Border post", AgencyType.BORDER_TEAM)
    _member(user, ppa, Role.CASE_WORKER, by=admin)
    _member(user, post, Role.BORDER_OFFICER, by=admin)
    user = _fresh("officer")
    assert acting_agency(user) == ppa
    assert duty_agency(user, Duty.RETURNS) == post
    assert acting_agency(user, agency_types={AgencyType.BORDER_TEAM}) == post
    with pytest.raises(PermissionDenied):
        require_acting_agency(user, agency_types={AgencyType.COURT})
