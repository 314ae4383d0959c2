"""A shelter's managers change its details after registration: name, type, regency, whom it
accepts, the sealed address. Bad input, another agency's officer and a stale form change
nothing."""

import pytest

from simpul.audit.models import AuditEvent
from simpul.identity.crypto import open_text
from simpul.shelters.models import Shelter
from simpul.shelters.sealing import aad
from tests.cases.helpers import indonesian
from tests.shelters.helpers import make_shelter

pytestmark = pytest.mark.django_db

ADDRESS = "Jl. Rahasia No. 9, Senggarang"


def _form(shelter: Shelter, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "version": shelter.version,
        "name": shelter.name,
        "kind": shelter.kind,
        "region": shelter.region_id,
        "accepts_sex": shelter.accepts_sex,
        "min_age": "" if shelter.min_age is None else shelter.min_age,
        "max_age": "" if shelter.max_age is None else shelter.max_age,
        "address": "",
    }
    if shelter.accepts_children:
        values["accepts_children"] = "on"
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def test_the_operating_agency_changes_whom_the_shelter_accepts(signed_in):
    shelter = make_shelter(address=ADDRESS)
    client = signed_in("shelter.tpi")
    page = client.get(f"/shelters/registry/{shelter.pk}/edit/")
    assert page.status_code == 200
    assert ADDRESS not in page.content.decode()  # the sealed address is never put in the form
    response = client.post(
        f"/shelters/registry/{shelter.pk}/edit/",
        _form(
            shelter,
            name="RPTC Senggarang (putri)",
            accepts_sex="female",
            accepts_children=None,
            min_age=18,
            max_age=60,
        ),
    )
    assert response.status_code == 302
    fresh = Shelter.objects.get(pk=shelter.pk)
    assert (
        fresh.name,
        fresh.accepts_sex,
        fresh.accepts_children,
        fresh.min_age,
        fresh.max_age,
    ) == (
        "RPTC Senggarang (putri)",
        "female",
        False,
        18,
        60,
    )
    assert fresh.version == shelter.version + 1
    assert open_text(fresh.address_sealed, aad("shelter", "address", fresh.pk)) == ADDRESS
    event = AuditEvent.objects.get(action="shelter.change")
    assert sorted(event.fields) == ["accepts_children", "accepts_sex", "max_age", "min_age", "name"]

    moved = client.post(
        f"/shelters/registry/{shelter.pk}/edit/",
        _form(fresh, address="Jl. Baru No. 1, Tanjungpinang"),
    )
    assert moved.status_code == 302
    fresh.refresh_from_db()
    assert open_text(fresh.address_sealed, aad("shelter", "address", fresh.pk)) == (
        "Jl. Baru No. 1, Tanjungpinang"
    )
    assert AuditEvent.objects.filter(action="shelter.change").last().fields == ["address"]


def test_bad_input_a_stale_form_and_another_agency_change_nothing(signed_in):
    shelter = make_shelter()
    client = signed_in("shelter.tpi")
    url = f"/shelters/registry/{shelter.pk}/edit/"
    ages = client.post(url, _form(shelter, name="Nama baru", min_age=30, max_age=20))
    assert ages.status_code == 422
    body = ages.content.decode()
    assert indonesian("The oldest age must not be below the youngest.") in body
    assert 'value="Nama baru"' in body  # what was typed is kept
    stale = client.post(url, _form(shelter, name="Nama baru", version=shelter.version - 1))
    assert stale.status_code == 422
    worker = signed_in("pekerja.sambas")
    assert worker.get(url).status_code == 403
    assert worker.post(url, _form(shelter, name="Diambil alih")).status_code == 403
    fresh = Shelter.objects.get(pk=shelter.pk)
    assert (fresh.name, fresh.version) == (shelter.name, shelter.version)
    assert not AuditEvent.objects.filter(action="shelter.change").exists()
    # The detail page links to the form for its managers only.
    assert 'id="edit-link"' in client.get(f"/shelters/registry/{shelter.pk}/").content.decode()
    assert 'id="edit-link"' not in worker.get(f"/shelters/registry/{shelter.pk}/").content.decode()
