"""The persons list pages and filters by person code, with a constant number of queries."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from simpul.accounts.models import Agency, User
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person


def _add(n: int, start: int = 0) -> None:
    user = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    for i in range(start, start + n):
        create_person(
            user, IdentityData(full_name=f"Nur Aini {i}"), owner_agency=agency, scope_region=None
        )


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_person_list_pages_filters_by_code_and_keeps_its_query_count(signed_in):
    client = signed_in("pekerja.sambas")
    _add(10)
    small = _queries(client, "/persons/")
    _add(50, start=10)
    assert _queries(client, "/persons/") == small
    assert _queries(client, "/persons/?page=2") == small
    first = client.get("/persons/")
    total = first.context["page"].paginator.count
    assert total >= 60 and len(re.findall(r'<tr data-id="', first.content.decode())) == 50
    one = Person.objects.filter(created_by__username="pekerja.sambas").first()
    found = client.get(f"/persons/?code={one.code.lower()}")
    assert [p.id for p in found.context["persons"]] == [one.id]
    assert f'href="?code={one.code.lower()}&amp;page=2"' not in found.content.decode()
    paged = client.get("/persons/?code=P-&page=2")
    assert 'href="?code=P-&amp;page=1"' in paged.content.decode()
