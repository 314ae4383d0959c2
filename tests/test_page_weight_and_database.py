"""A first page load stays under 200 KB; SQLite takes concurrent writers without locking errors."""

import re
import threading

import pytest
from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.test import Client

from simpul.accounts.models import Agency, AgencyType
from simpul.audit.log import record
from simpul.audit.models import AuditEvent
from tests.conftest import sign_in

BUDGET = 200 * 1024


def _page_weight(html: str) -> int:
    total = len(html.encode())
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert assets, "the page should load its stylesheet and scripts"
    for asset in assets:
        path = finders.find(asset)
        assert path, asset
        with open(path, "rb") as fh:
            total += len(fh.read())
    return total


@pytest.mark.django_db
def test_first_load_of_sign_in_and_home_pages_is_under_200_kb_uncompressed(world):
    client = Client()
    assert _page_weight(client.get("/accounts/login/").content.decode()) < BUDGET
    sign_in(client, "pekerja.sambas")
    for path in ["/", "/persons/", "/persons/new/"]:
        assert _page_weight(client.get(path).content.decode()) < BUDGET, path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_writers_never_see_database_is_locked():
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(5):
                with transaction.atomic():
                    Agency.objects.create(name=f"Writer {n}-{i}", agency_type=AgencyType.NGO)
                    record("test.write", record_type="accounts.agency", record_id=f"{n}-{i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Agency.objects.filter(name__startswith="Writer ").count() == 100
    assert AuditEvent.objects.filter(action="test.write").count() == 100
