"""Issue 21, finding 3: a search by identifier is POSTed, never carried in a URL; a GET with
`?q=` runs no search and echoes nothing; identity pages are kept out of htmx's history cache."""

import pytest
from django.test import Client

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from tests.conftest import sign_in

NAME = "Kemuning Saptawarni"
NIK = "6101095203910042"
PHONE = "081377798765"


def _canary() -> Person:
    person, _ = create_person(
        User.objects.get(username="pekerja.sambas"),
        IdentityData(full_name=NAME, nik=NIK, phone=PHONE),
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
        scope_region=None,
    )
    return person


def _searches(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.django_db
def test_a_person_search_in_the_url_runs_no_search_and_is_not_echoed(world):
    person = _canary()
    client = sign_in(Client(), "pekerja.sambas")
    before = _searches("person.search")
    for q in [NIK, NAME, PHONE]:
        r = client.get("/persons/", {"q": q})
        assert r.status_code == 200
        assert q not in r.content.decode()
        assert r.context["q"] == ""
    assert _searches("person.search") == before
    # The plain list still works.
    assert person.code in client.get("/persons/").content.decode()


@pytest.mark.django_db
def test_a_person_search_is_posted_with_csrf_and_answered_on_the_post(world):
    person = _canary()
    client = sign_in(Client(), "pekerja.sambas")
    client.handler.enforce_csrf_checks = True
    page = client.get("/persons/")
    html = page.content.decode()
    assert 'method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "hx-push-url" not in html and "hx-get" not in html
    assert 'hx-history="false"' in html
    token = page.cookies.get("csrftoken") or next(
        c for name, c in page.cookies.items() if name.endswith("csrftoken")
    )
    # Without the token: refused, and no search ran.
    before = _searches("person.search")
    assert client.post("/persons/", {"q": NIK}).status_code == 403
    assert _searches("person.search") == before
    for q in [NIK, NAME, PHONE]:
        r = client.post("/persons/", {"q": q, "csrfmiddlewaretoken": token.value})
        assert r.status_code == 200, q  # answered on the POST, no redirect carrying the query
        assert [p.id for p in r.context["persons"]] == [person.id], q
        assert 'hx-history="false"' in r.content.decode()
    assert _searches("person.search") == before + 3
    # The htmx request gets only the rows.
    rows = client.post(
        "/persons/", {"q": NIK, "csrfmiddlewaretoken": token.value}, HTTP_HX_REQUEST="true"
    )
    assert rows.status_code == 200 and person.code in rows.content.decode()
    assert "<html" not in rows.content.decode()


@pytest.mark.django_db
def test_a_case_search_in_the_url_runs_no_search_and_a_posted_one_does(world):
    from simpul.cases.models import Case

    client = sign_in(Client(), "supervisor.sambas")
    before = _searches("case.search")
    r = client.get("/cases/", {"q": "6101095203910042"})
    assert r.status_code == 200
    assert "6101095203910042" not in r.content.decode()
    assert r.context["q"] == ""
    assert _searches("case.search") == before
    html = client.get("/cases/").content.decode()
    assert 'method="post"' in html and "hx-get" not in html
    assert 'hx-history="false"' in html
    posted = client.post("/cases/", {"q": "no such case 123"})
    assert posted.status_code == 200
    assert posted.context["cases"] == []
    assert _searches("case.search") == before + 1
    case = Case.objects.filter(owner_agency__name="UPTD PPA Kabupaten Sambas").first()
    if case is not None:
        found = client.post("/cases/", {"q": case.code}).context["cases"]
        assert [c.id for c in found] == [case.id]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_query_string_reaches_the_server_or_request_log(regions, caplog):
    """Django's own development-server request handler (runserver's, not the quiet one of the
    test server) serves the real application; a `?q=` an old bookmark still carries must not
    reach a log line."""
    import contextlib
    import logging
    import threading
    import urllib.error
    import urllib.request

    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    from simpul.wsgi import application

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    collect = Collect(level=logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ["django.server", "django.request", "simpul"]]
    for logger in loggers:
        logger.addHandler(collect)
    caplog.set_level(logging.DEBUG)
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=True)
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for path in [f"/persons/?q={NIK}", f"/cases/?q={PHONE}", f"/api/v1/cases?q={NIK}"]:
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).close()
    finally:
        server.shutdown()
        server.server_close()
        for logger in loggers:
            logger.removeHandler(collect)
    served = [line for line in lines if "/persons/" in line or "/cases" in line]
    assert len(served) >= 3, lines  # the requests were logged...
    for secret in [NIK, PHONE]:  # ...without their query strings
        assert not [line for line in lines if secret in line], lines
        assert secret not in caplog.text
