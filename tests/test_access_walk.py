"""AC-01/AC-02: every URL is closed by default, and nothing leaks across scopes.

The walk reads every pattern from the URL resolver, so a new view that forgets its permission
fails here without anyone having to remember to add a test.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from simpul.accounts.access import PUBLIC, SIGN_IN_STEP, access_level
from simpul.accounts.models import Agency, Membership, User
from simpul.audit.models import AuditEvent
from simpul.identity.models import Person
from tests.conftest import sign_in

PUBLIC_ALLOW_LIST = {
    "accounts:login",
    "accounts:logout",
    "accounts:enrol_start",  # the one-time enrolment link (issue 21, finding 1)
    "accounts:enrol",
    "set_language",
    "health:web",  # the health endpoints (issue 14): JSON, nothing about people
    "health:worker",
    "health:scheduler",
    "intake:public_report",
    "intake:public_follow_up",
    "regions:search",
    "prevention:job_offer_check",
    "prevention:phone_test",
    "victim_status:lookup",  # the victim's own status page: case code and secret (issue 15)
}
SIGN_IN_STEPS = {
    "accounts:otp",
    "accounts:otp_setup",
    "accounts:agreement",
    "accounts:password",
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}", p.callback


def all_urls(person_id: uuid.UUID, *, api: bool = False):
    """Every page URL (session-authenticated), or with api=True every API URL (bearer token)."""
    urls = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        if name.startswith("api:") != api:
            continue
        path = "/" + route.replace("<uuid:person_id>", str(person_id))
        # Other parameters get values that exist nowhere: the walk checks access, not content.
        path = re.sub(r"<uuid:\w+>", lambda _m: str(uuid.uuid4()), path)
        path = re.sub(r"<int:\w+>", "1", path)
        path = re.sub(r"<(slug|str):\w+>", "details", path)
        path = re.sub(r"<(\w+)>", lambda _m: str(uuid.uuid4()), path)
        assert "<" not in path, f"walk cannot fill the parameters of {route}; extend the test"
        urls.append((path, name, callback))
    return urls


@pytest.fixture
def other_person(world):
    """A person recorded by the Tanjungpinang UPTD PPA: out of scope for Sambas users."""
    return Person.objects.filter(owner_agency__name="UPTD PPA Kota Tanjungpinang").first()


@pytest.mark.django_db
def test_public_views_are_exactly_the_allow_list(other_person):
    public = {name for _, name, cb in all_urls(other_person.id) if access_level(cb) == PUBLIC}
    steps = {name for _, name, cb in all_urls(other_person.id) if access_level(cb) == SIGN_IN_STEP}
    assert public == PUBLIC_ALLOW_LIST
    assert steps == SIGN_IN_STEPS


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_to_every_closed_url_are_sent_to_sign_in(other_person, method):
    client = Client()
    checked = 0
    for path, name, _ in all_urls(other_person.id):
        if name in PUBLIC_ALLOW_LIST:
            continue
        response = getattr(client, method)(path)
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), path
        checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused_every_closed_url_and_each_refusal_is_audited(
    other_person,
):
    User.objects.create_user("norole", password="a-long-enough-passphrase")
    client = sign_in(Client(), "norole", "a-long-enough-passphrase")
    closed = [
        (path, name)
        for path, name, _ in all_urls(other_person.id)
        if name not in PUBLIC_ALLOW_LIST | SIGN_IN_STEPS
    ]
    before = AuditEvent.objects.filter(action="authz.denied").count()
    for path, _name in closed:
        response = client.get(path)
        assert response.status_code == 403, (path, response.status_code)
    after = AuditEvent.objects.filter(action="authz.denied").count()
    assert after - before == len(closed)


@pytest.mark.django_db
def test_a_user_whose_role_was_removed_is_refused_on_the_next_request(signed_in):
    client = signed_in("pekerja.sambas")
    assert client.get("/persons/").status_code == 200
    Membership.objects.filter(user__username="pekerja.sambas").update(is_active=False)
    assert client.get("/persons/").status_code == 403


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_on_the_next_request(signed_in):
    client = signed_in("pekerja.sambas")
    User.objects.filter(username="pekerja.sambas").update(is_active=False)
    response = client.get("/persons/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_out_of_scope_person_looks_missing_and_the_attempt_is_audited(signed_in, other_person):
    client = signed_in("supervisor.sambas")
    response = client.get(f"/persons/{other_person.id}/")
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(
        action="person.access", record_id=str(other_person.id), outcome="denied"
    )
    assert denied.count() == 1
    reveal = client.post(f"/persons/{other_person.id}/reveal/", {"reason": "checking a report"})
    assert reveal.status_code == 404


@pytest.mark.django_db
def test_lists_and_search_show_only_persons_in_scope(signed_in):
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    client = signed_in("supervisor.sambas")
    listed = client.get("/persons/").context["persons"]
    assert {p.owner_agency_id for p in listed} == {sambas.id}
    assert len(listed) == Person.objects.filter(owner_agency=sambas).count() == 3
    other = Person.objects.exclude(owner_agency=sambas).first()
    from simpul.identity.actions import person_aad
    from simpul.identity.crypto import keyring
    from simpul.identity.data import IdentityData

    secret = IdentityData.from_bytes(keyring().open(other.sealed_identity, person_aad(other.id)))
    found = client.post("/persons/", {"q": secret.full_name}).context["persons"]
    assert other.id not in {p.id for p in found}
    if secret.nik:
        assert client.post("/persons/", {"q": secret.nik}).context["persons"] == []


@pytest.mark.django_db
def test_assigned_scope_sees_own_records_but_not_colleagues(signed_in):
    """A case worker sees what they recorded or were assigned, not the whole agency's."""
    from simpul.identity.queries import persons_for

    worker = User.objects.get(username="pekerja.sambas")
    supervisor = User.objects.get(username="supervisor.sambas")
    own = set(Person.objects.filter(created_by=worker).values_list("id", flat=True))
    assert set(persons_for(worker).values_list("id", flat=True)) == own
    assert set(persons_for(supervisor).values_list("id", flat=True)) >= own


@pytest.mark.django_db
def test_village_officer_sees_only_their_village(world):
    from simpul.identity.queries import persons_for

    officer = User.objects.get(username="desa.sebunga")
    visible = list(persons_for(officer))
    assert visible
    assert {p.scope_region_id for p in visible} == {"61.01.09.2002"}
    neighbour = User.objects.create_user("desa.kaliau", password="another-long-passphrase")
    Membership.objects.create(
        user=neighbour,
        agency=Agency.objects.get(name="Pemerintah Desa Kaliau'"),
        role="village_officer",
    )
    assert persons_for(neighbour).count() == 0


@pytest.mark.django_db
def test_roles_without_record_access_see_no_person(world):
    from simpul.identity.queries import persons_for

    for username in ["gt.kalbar", "analis.kepri", "admin.sambas", "sysadmin"]:
        user = User.objects.get(username=username)
        assert persons_for(user).count() == 0, username


@pytest.mark.django_db
def test_every_api_operation_refuses_calls_without_a_valid_token(world):
    checked = 0
    for path, name, _ in all_urls(uuid.uuid4(), api=True):
        if name == "api:openapi-json":
            assert Client().get(path).status_code == 200  # the schema itself is public
            continue
        for client in [Client(), Client(HTTP_AUTHORIZATION="Bearer sp_not-a-token")]:
            assert client.get(path).status_code in (401, 404, 405), path
            assert client.post(path).status_code in (401, 404, 405), path
        checked += 1
    assert checked >= 4


# Issue 21: the walk includes the administrators and the receiver of a services-only referral.
# A canary victim (a distinctive name and NIK) is in the world, in a case shared with the police
# for "services" only, so a body check is meaningful.


@pytest.fixture
def canary(world):
    from simpul.referrals.actions import accept_referral, send_referral
    from tests.referrals.support import agency, canary_case
    from tests.referrals.support import user as get_user

    case, person = canary_case()
    referral = send_referral(
        get_user("pekerja.sambas"), case, agency("police"), reason="Layanan", sections=["services"]
    )
    accept_referral(get_user("polisi.sambas"), referral)
    return case, person


def _walk_with(case, person):
    """Every page URL with the canary's case and person filled in where a route names them."""
    urls = []
    for route, name, _callback in _walk(get_resolver().url_patterns):
        if name.startswith("api:") or name in PUBLIC_ALLOW_LIST | SIGN_IN_STEPS:
            continue
        path = "/" + route.replace("<uuid:person_id>", str(person.id))
        path = path.replace("<uuid:case_id>", str(case.id))
        path = re.sub(r"<uuid:\w+>", lambda _m: str(uuid.uuid4()), path)
        path = re.sub(r"<int:\w+>", "1", path)
        path = re.sub(r"<(slug|str):\w+>", "details", path)
        path = re.sub(r"<(\w+)>", lambda _m: str(uuid.uuid4()), path)
        urls.append((path, name))
    # Every step form of the case, not only the one the placeholder names.
    for step in ["consent", "referral", "details", "closure", "reopen"]:
        urls.append((f"/cases/{case.id}/step/{step}/", "cases:step"))
    return urls


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _names(person):
    from tests.referrals.support import CANARY_NAME, CANARY_NIK

    return [CANARY_NAME, *CANARY_NAME.split(), CANARY_NIK, person.masked_name, person.code]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin.sambas", "sysadmin"])
def test_administrators_get_no_case_or_person_data_anywhere(signed_in, canary, username):
    case, person = canary
    client = signed_in(username)
    walked = 0
    for path, _name in _walk_with(case, person):
        response = client.get(path)
        body = _body(response)
        for secret in [*_names(person), case.code]:
            assert secret not in body, (username, path, secret)
        if str(case.id) in path or str(person.id) in path:
            assert response.status_code in (403, 404), (username, path, response.status_code)
        walked += 1
    assert walked >= 40
    assert client.post(
        f"/persons/{person.id}/reveal/", {"reason": "pemeriksaan sistem"}
    ).status_code in (
        403,
        404,
    )


@pytest.mark.django_db
def test_a_receiver_of_a_services_referral_sees_no_identity_anywhere(signed_in, canary):
    case, person = canary
    client = signed_in("polisi.sambas")
    assert client.get(f"/cases/{case.id}/").status_code == 200  # the case itself is shared
    walked = 0
    for path, _name in _walk_with(case, person):
        body = _body(client.get(path))
        for secret in _names(person):
            assert secret not in body, (path, secret)
        walked += 1
    assert walked >= 40
    reveal = client.post(f"/persons/{person.id}/reveal/", {"reason": "penyidikan perkara"})
    assert reveal.status_code == 404
    assert not AuditEvent.objects.filter(action="person.reveal", outcome="ok").exists()
