import pytest

from simpul.accounts.models import Agency, User
from simpul.intake.actions import IntakeDetails, record_intake
from simpul.intake.models import Channel


@pytest.fixture
def intake(world):
    """A hotline report at the Sambas UPTD PPA, waiting for screening."""
    operator = User.objects.get(username="operator.sambas")
    return record_intake(
        operator,
        IntakeDetails(channel=Channel.HOTLINE, narrative="Laporan"),
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
    )
