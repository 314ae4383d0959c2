"""The demo world loads through the real actions and is safe to load twice."""

import pytest
from django.core.management import CommandError, call_command

from simpul.cases.models import Case, Stage
from simpul.intake.models import Intake


@pytest.mark.django_db
def test_load_demo_refuses_outside_demo_mode(regions, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="SIMPUL_DEMO=true"):
        call_command("load_demo")
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_world(regions, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")
    counts = (Intake.objects.count(), Case.objects.count())
    call_command("load_demo")
    assert (Intake.objects.count(), Case.objects.count()) == counts == (5, 1)
    assert Case.objects.get().stage == Stage.SERVICES
    assert Intake.objects.filter(immediate_danger=True).count() == 1
