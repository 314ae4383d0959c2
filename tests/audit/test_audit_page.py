"""The audit page: readable labels instead of action codes, filters that persist across pages,
older renamed codes found under their current name, and a constant query count."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext, override

from simpul.audit.catalogue import ACTIONS
from simpul.audit.log import record
from simpul.audit.models import Outcome


def _rows(response) -> list[str]:
    return re.findall(r'<tr data-action="([a-z_.]+)"', response.content.decode())


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_shows_labels_in_the_readers_language_not_codes(signed_in):
    record("returnevent.view", record_type="migration.returnevent", record_id="r-1")
    record("person.reveal", record_type="identity.person", record_id="p-1", outcome="denied")
    client = signed_in("sysadmin")
    html = client.get("/audit/").content.decode()
    with override("id"):
        for label in (str(ACTIONS["return.view"]), str(ACTIONS["person.reveal"])):
            assert f'<td data-label="{gettext("Action")}">{gettext(label)}</td>' in html
    # No cell shows a bare action code.
    assert '">returnevent.view</td>' not in html and '">person.reveal</td>' not in html


def test_filters_persist_across_pages_and_old_codes_count_under_the_new_name(signed_in):
    for i in range(40):
        record("returnevent.view", record_type="migration.returnevent", record_id=f"old-{i}")
        record("return.view", record_type="migration.returnevent", record_id=f"new-{i}")
        record("departure.view", record_type="migration.departure", record_id=f"d-{i}")
    record("return.view", record_id="refused", outcome=Outcome.DENIED)
    client = signed_in("sysadmin")
    first = client.get("/audit/?action=return.view")
    assert first.context["page"].paginator.count == 81
    assert set(_rows(first)) == {"return.view", "returnevent.view"}
    assert 'href="?action=return.view&amp;page=2"' in first.content.decode()
    second = client.get("/audit/?action=return.view&page=2")
    assert len(_rows(second)) == 31 and set(_rows(second)) <= {"return.view", "returnevent.view"}
    refused = client.get("/audit/?action=return.view&outcome=denied")
    assert refused.context["page"].paginator.count == 1
    assert client.get("/audit/?record=d-1").context["page"].paginator.count == 11  # d-1, d-10..
    assert client.get("/audit/?action=departure.").context["page"].paginator.count == 40


def test_the_audit_page_costs_the_same_queries_for_10_and_60_entries(signed_in):
    client = signed_in("sysadmin")
    for i in range(10):
        record("departure.view", record_type="migration.departure", record_id=str(i))
    small = _queries(client, "/audit/?action=departure.view")
    for i in range(50):
        record("departure.view", record_type="migration.departure", record_id=str(i))
    assert _queries(client, "/audit/?action=departure.view") == small
    assert _queries(client, "/audit/?action=departure.view&page=2") == small
