"""The regions:search endpoint."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("subset_regions")


@pytest.fixture
def user_client(signed_in: Callable[[str], Client]) -> Client:
    """A demo user signed in through the real pages (password, second factor, agreement).

    The project's access policy turns away a bare force_login() user (no agreement, no
    role), so this uses the shared `signed_in` fixture of tests/conftest.py.
    """
    return signed_in("pekerja.sambas")


def test_url() -> None:
    assert reverse("regions:search") == "/regions/search/"


def test_anonymous_visitors_can_search_public_reference_data(client: Client) -> None:
    """The public report form needs the picker; region codes are public Kemendagri data."""
    response = client.get(reverse("regions:search"), {"q": "sajingan"})
    assert response.status_code == 200
    assert 'data-code="61.01.09"' in response.content.decode()


def test_fragment_for_signed_in_user(user_client: Client) -> None:
    response = user_client.get(reverse("regions:search"), {"q": "sajingan"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.count('role="option"') == 1
    assert 'data-code="61.01.09"' in html
    assert 'data-label="Sajingan Besar, Kabupaten Sambas, Kalimantan Barat"' in html
    assert "Sajingan Besar" in html
    assert "<script" not in html
    assert "Accept" in response["Vary"]


def test_fragment_for_no_match_and_blank_query(user_client: Client) -> None:
    none = user_client.get(reverse("regions:search"), {"q": "xyzzy"}).content.decode()
    assert 'role="option"' not in none
    assert 'role="presentation"' in none
    blank = user_client.get(reverse("regions:search"), {"q": ""}).content.decode()
    assert blank.strip() == ""


def test_json(user_client: Client) -> None:
    expected = {
        "code": "61.01.09",
        "name": "Sajingan Besar",
        "level": "kecamatan",
        "path": "Sajingan Besar, Kabupaten Sambas, Kalimantan Barat",
    }
    by_format = user_client.get(reverse("regions:search"), {"q": "610109", "format": "json"})
    assert by_format.status_code == 200
    assert by_format.json()["results"][0] == expected
    by_header = user_client.get(
        reverse("regions:search"), {"q": "sajingan"}, headers={"Accept": "application/json"}
    )
    assert by_header.json() == {"results": [expected]}


def test_filters(user_client: Client) -> None:
    url = reverse("regions:search")
    data = user_client.get(url, {"q": "sambas", "level": "kecamatan", "format": "json"}).json()
    assert [r["code"] for r in data["results"]] == ["61.01.01"]
    data = user_client.get(
        url, {"q": "sambas", "level": "kabupaten_kota,kecamatan", "format": "json"}
    ).json()
    assert [r["code"] for r in data["results"]] == ["61.01", "61.01.01"]
    data = user_client.get(url, {"q": "entikong", "within": "61.01", "format": "json"}).json()
    assert data["results"] == []
    data = user_client.get(url, {"q": "a", "limit": "2", "format": "json"}).json()
    assert len(data["results"]) == 2


def test_bad_parameters(user_client: Client) -> None:
    url = reverse("regions:search")
    assert user_client.get(url, {"q": "sambas", "level": "kota"}).status_code == 400
    bad_json = user_client.get(url, {"q": "sambas", "within": "x", "format": "json"})
    assert bad_json.status_code == 400
    assert "error" in bad_json.json()
    assert user_client.get(url, {"q": "a", "limit": "many"}).status_code == 200


def test_only_get(user_client: Client) -> None:
    assert user_client.post(reverse("regions:search"), {"q": "sambas"}).status_code == 405
