"""Fixtures for the migration tests: the demo world plus the users the scoping tests need."""

from types import SimpleNamespace

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.models import Agency, AgencyType, Membership, User
from simpul.accounts.roles import Role


def _member(username: str, agency: Agency, role: Role) -> User:
    user = User.objects.create_user(username, password="a-long-enough-passphrase")
    Membership.objects.create(user=user, agency=agency, role=role)
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def people(world):
    """The demo users by duty, plus: a village officer of the neighbouring village, a
    district-level officer for Sajingan Besar, and a border officer at Sri Bintan Pura."""
    kaliau = Agency.objects.get(name="Pemerintah Desa Kaliau'")
    district = Agency.objects.create(
        name="LTSA Kecamatan Sajingan Besar",
        agency_type=AgencyType.DISNAKER,
        jurisdiction_id="61.01.09",
    )
    sbp = Agency.objects.get(name="Tim Terpadu Pelabuhan Sri Bintan Pura")
    return SimpleNamespace(
        desa=User.objects.get(username="desa.sebunga"),
        pos=User.objects.get(username="pos.aruk"),
        kaliau=_member("desa.kaliau", kaliau, Role.VILLAGE_OFFICER),
        district=_member("ltsa.sajingan", district, Role.VILLAGE_OFFICER),
        sbp=_member("pos.sbp", sbp, Role.BORDER_OFFICER),
        gt=User.objects.get(username="gt.kalbar"),
        uptd=User.objects.get(username="supervisor.sambas"),
        worker=User.objects.get(username="pekerja.sambas"),
        police=User.objects.get(username="polisi.sambas"),
    )
