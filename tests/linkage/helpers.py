"""Persons and records for the linkage tests, written through the real actions."""

from datetime import date

from django.core.management import call_command

from simpul.accounts.models import Membership, User
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.linkage.models import LinkageRun, LinkedRecord
from simpul.regions.models import Region

SEBUNGA = "61.01.09.2002"


def nik(born: date, serial: int, *, female: bool = True, district: str = "610109") -> str:
    day = born.day + (40 if female else 0)
    return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def add_person(username: str, region: str | None, **fields: str) -> Person:
    user = User.objects.get(username=username)
    agency = Membership.objects.filter(user=user).first().agency
    person, _warnings = create_person(
        user,
        IdentityData(**fields),
        owner_agency=agency,
        scope_region=Region.objects.get(pk=region) if region else None,
    )
    return person


def run(full: bool = False) -> LinkageRun:
    call_command("link_persons", *(["--full"] if full else []), verbosity=0)
    return LinkageRun.objects.order_by("-id").first()


def cluster(person: Person) -> str:
    return LinkedRecord.objects.get(person=person).cluster_id
