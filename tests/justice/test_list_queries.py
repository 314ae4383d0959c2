"""The proceeding list costs the same number of queries however many rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.justice.support import justice_case, opened

pytestmark = pytest.mark.django_db


def test_list_query_count_is_constant(world, signed_in):
    case = justice_case()
    opened(case)
    client = signed_in("polisi.sambas")
    client.get("/justice/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/justice/").status_code == 200
    for _ in range(4):
        opened(case)
    with CaptureQueriesContext(connection) as five:
        response = client.get("/justice/")
    assert response.context["page"].paginator.count == 5
    assert len(five) == len(one)
