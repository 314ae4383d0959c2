"""Officers admitting to the last bed at the same moment: exactly one succeeds, the others
are told the shelter is full. Real threads on real connections, on SQLite (IMMEDIATE
transactions serialise writers) and on PostgreSQL (the shelter row is locked FOR UPDATE)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from simpul.accounts.models import Agency, Membership, User
from simpul.accounts.roles import Role
from simpul.shelters import actions
from simpul.shelters.codes import StayStatus
from simpul.shelters.models import Stay
from tests.shelters.helpers import RPTC, checked_in, make_shelter, officer, planned

ROUNDS = 3
CONTENDERS = 4  # admissions racing for the one bed left, by two officers


def _second_officer() -> User:
    user = User.objects.create_user("shelter.tpi2", password="x-unused-2026")
    Membership.objects.create(
        user=user,
        agency=Agency.objects.get(name=RPTC),
        role=Role.SHELTER_OFFICER,
        granted_by=User.objects.get(username="sysadmin"),
    )
    return user


@pytest.mark.django_db(transaction=True)
def test_two_officers_admitting_to_the_last_bed_at_once_one_succeeds(world):
    officers = [officer(), _second_officer()]
    for round_no in range(ROUNDS):
        shelter = make_shelter(beds=3, name=f"RPTC Uji {round_no}")
        checked_in(shelter)
        checked_in(shelter)  # one bed left
        stays = [planned(shelter) for _ in range(CONTENDERS)]
        outcomes: list[str] = []
        barrier = threading.Barrier(CONTENDERS)

        def admit(
            user: User,
            stay: Stay,
            barrier: threading.Barrier = barrier,
            outcomes: list[str] = outcomes,
        ) -> None:
            try:
                # Connect and load the principal first, so the race starts at the check-in.
                user.memberships.exists()
                barrier.wait()
                actions.check_in(user, stay, consent_basis="own")
                outcomes.append("admitted")
            except ValidationError as exc:
                assert "overflow_reason" in exc.message_dict
                outcomes.append("full")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=admit, args=(officers[i % 2], s)) for i, s in enumerate(stays)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(outcomes) == ["admitted"] + ["full"] * (CONTENDERS - 1), round_no
        here = Stay.objects.filter(shelter=shelter, status=StayStatus.CHECKED_IN).count()
        assert here == 3  # the beds, never more
        planned_left = Stay.objects.filter(shelter=shelter, status=StayStatus.PLANNED).count()
        assert planned_left == CONTENDERS - 1
