"""Big lists: returns, departures, check-ins, missing reports, screenings and decisions page,
filter and search by code; filters ride along in the page links; the query count of a page does
not grow with the list."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpul.migration import actions
from simpul.migration.codes import ScreeningOutcome
from simpul.migration.importer import import_returns
from simpul.migration.models import ImportBatch, ReturnEvent
from tests.migration.builders import identity, nik, register

pytestmark = pytest.mark.django_db

HEADER = ["nama", "tanggal_lahir", "jenis_kelamin", "nik", "jenis_dokumen", "nomor_dokumen"]
HEADER += ["tanggal_tiba", "titik_masuk", "kode_wilayah_asal"]


def _import(user, n: int, start: int = 0, reference: str = "") -> ImportBatch:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(start, start + n):
        born = date(1980, 1, 1) + timedelta(days=37 * i)
        writer.writerow(
            [
                f"Rina Marlina {i}",
                born.strftime("%d/%m/%Y"),
                "P",
                nik(born, 5000 + i),
                "SPLP",
                f"X{100000 + i}",
                (timezone.localdate() - timedelta(days=i % 40)).isoformat(),
                "PLBN_ARUK",
                "61.01.09.2002",
            ]
        )
    result = import_returns(user, out.getvalue().encode(), "list.csv", list_reference=reference)
    assert not result.errors, result.errors
    return ImportBatch.objects.get(pk=result.batch.id)


def _ids(response) -> list[str]:
    return re.findall(r'<tr data-id="([0-9a-f-]{36})"', response.content.decode())


def _queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_deportee_list_is_worked_through_not_yet_screened_first_page_by_page(people, signed_in):
    batch = _import(people.pos, 60, reference="DEP-KCH-07")
    first = ReturnEvent.objects.filter(batch=batch).order_by("returned_on", "id").first()
    actions.screen_return(
        people.pos, first, actions.ScreeningInput(outcome=ScreeningOutcome.ALLOWED)
    )
    client = signed_in("pos.aruk")
    page1 = client.get("/migration/returns/?screened=no")
    assert page1.context["page"].paginator.count == 59
    assert len(_ids(page1)) == 50 and str(first.id) not in _ids(page1)
    # The pager keeps the filter.
    assert 'href="?screened=no&amp;page=2"' in page1.content.decode()
    page2 = client.get("/migration/returns/?screened=no&page=2")
    assert len(_ids(page2)) == 9 and not set(_ids(page1)) & set(_ids(page2))
    # Unfiltered, the unscreened come first and the one screened return last.
    everything = client.get("/migration/returns/?page=2")
    assert _ids(everything)[-1] == str(first.id)
    assert 'data-screened="yes"' in everything.content.decode()
    # Search by the list reference, by person code, and by the import.
    assert client.get("/migration/returns/?q=dep-kch-07").context["page"].paginator.count == 60
    only = client.get(f"/migration/returns/?q={first.person.code}")
    assert _ids(only) == [str(first.id)]
    assert client.get(f"/migration/returns/?batch={batch.id}").context["page"].paginator.count == 60
    # An unknown filter value is ignored, not an error.
    assert (
        client.get("/migration/returns/?screened=maybe&kind=x").context["page"].paginator.count
        == 60
    )


def test_the_returns_page_costs_the_same_queries_for_10_and_60_rows(people, signed_in):
    client = signed_in("pos.aruk")
    _import(people.pos, 10)
    small = _queries(client, "/migration/returns/")
    _import(people.pos, 50, start=10)
    assert ReturnEvent.objects.count() == 60
    assert _queries(client, "/migration/returns/") == small
    assert _queries(client, "/migration/returns/?screened=no&page=2") == small


def _departures(user, n: int, start: int = 0) -> None:
    left = timezone.localdate() - timedelta(days=200)
    for i in range(start, start + n):
        register(
            user,
            identity(name=f"Siti {i}", serial=7000 + i),
            already_left=True,
            departed_on=left,
        )


def test_departure_and_check_in_lists_page_filter_search_with_constant_queries(people, signed_in):
    client = signed_in("desa.sebunga")
    _departures(people.desa, 4)
    counts = {
        url: _queries(client, url)
        for url in (
            "/migration/departures/",
            "/migration/checkins/?status=overdue",
            "/migration/checkins/?status=all",
            "/migration/missing/?status=all",
        )
    }
    _departures(people.desa, 16, start=4)  # 20 departures, 60 overdue check-ins
    for url, n in counts.items():
        assert _queries(client, url) == n, url
    overdue = client.get("/migration/checkins/?status=overdue")
    assert overdue.context["page"].paginator.count == 60
    assert len(_ids(overdue)) == 50
    assert 'href="?status=overdue&amp;page=2"' in overdue.content.decode()
    departures = client.get("/migration/departures/?stage=away&country=MY")
    assert departures.context["page"].paginator.count == 20
    ref = departures.context["page"][0].reference
    found = client.get(f"/migration/departures/?q={ref.lower()}")
    assert [d.reference for d in found.context["page"]] == [ref]
    assert client.get("/migration/departures/?stage=planned").context["page"].paginator.count == 0
    by_ref = client.get(f"/migration/checkins/?status=overdue&q={ref}")
    assert by_ref.context["page"].paginator.count == 3


def test_the_neighbouring_village_lists_none_of_it(people, signed_in):
    _departures(people.desa, 2)
    client = signed_in("desa.sebunga")
    assert client.get("/migration/departures/").context["page"].paginator.count == 2
    from django.test import Client

    from tests.conftest import sign_in

    other = sign_in(Client(), "desa.kaliau", "a-long-enough-passphrase")
    assert other.get("/migration/departures/").context["page"].paginator.count == 0
    assert other.get("/migration/checkins/?status=all").context["page"].paginator.count == 0


def test_the_person_page_links_to_the_persons_records_each_list_scoped(people, signed_in):
    d = register(people.desa, identity(name="Siti Aminah", serial=7100))
    register(people.desa, identity(name="Rina", serial=7101))
    client = signed_in("desa.sebunga")
    page = client.get(f"/persons/{d.person_id}/").content.decode()
    link = f"/migration/departures/?q={d.person.code}"
    assert f'href="{link}"' in page
    listed = client.get(link)
    assert [x.id for x in listed.context["page"]] == [d.id]
    # Another village's officer cannot open the person, nor find the departure by the code.
    from django.test import Client

    from tests.conftest import sign_in

    other = sign_in(Client(), "desa.kaliau", "a-long-enough-passphrase")
    assert other.get(f"/persons/{d.person_id}/").status_code == 404
    assert other.get(link).context["page"].paginator.count == 0
