"""Issue 12, item 13: the protection journey through API v1 — report, person, screening, case,
its steps, consent, referral, acceptance by the receiving agency — with the same actions and
scopes as the pages. Exact statuses, the records each call creates, and that a token out of
scope gets 404 and changes nothing."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils.translation import gettext, override

from simpul.accounts.models import Agency, User
from simpul.api.tokens import issue_token
from simpul.audit.models import AuditEvent
from simpul.cases.models import Case, Consent, PlanItem, ServiceDelivery, Stage
from simpul.core.models import AccessGrant
from simpul.identity.models import Person
from simpul.intake.models import Intake, IntakePerson
from simpul.intake.models import Status as IntakeStatus
from simpul.referrals.models import Referral, ReferralStatus
from simpul.screening.models import ScreeningResult

YES = ["act_recruitment", "means_deception", "purpose_exploitation_resulted"]


def indonesian(msgid: str) -> str:
    with override("id"):
        return gettext(msgid)


class Api:
    """A client holding one user's bearer token."""

    def __init__(self, username: str) -> None:
        self.user = User.objects.get(username=username)
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(self.user, 'test')}"}

    def get(self, path: str, **params):
        return Client().get("/api/v1" + path, params, **self.auth)

    def post(self, path: str, body: object = None, method: str = "post"):
        return getattr(Client(), method)(
            "/api/v1" + path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self.auth,
        )


def agency_id(name: str) -> int:
    return Agency.objects.get(name=name).pk


SAMBAS = "UPTD PPA Kabupaten Sambas"
POLICE = "Unit PPA Polres Sambas"


def _through_to_services(world) -> dict:
    """Report -> person -> screening -> case -> assessment and plan approved, via the API."""
    operator, worker, supervisor = (
        Api("operator.sambas"),
        Api("pekerja.sambas"),
        Api("supervisor.sambas"),
    )
    r = operator.post(
        "/intakes",
        {"channel": "hotline", "narrative": "Dua remaja dibawa agen.", "place_region": "61.01.09"},
    )
    assert r.status_code == 201, r.content
    intake = r.json()
    assert intake["status"] == IntakeStatus.NEW
    r = operator.post(
        f"/intakes/{intake['id']}/triage",
        {"expected_version": intake["version"], "decision": "screen", "child_involved": True},
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["child_involved"]) == (IntakeStatus.TRIAGED, True)

    identity = {
        "full_name": "Melati Kusumawardani",
        "birth_date": "2009-03-02",
        "sex": "F",
        "region": "61.01.09.2001",  # Kaliau': outside the Sebunga village officer's reach
    }
    r = operator.post(f"/intakes/{intake['id']}/persons", {"identity": identity})
    assert r.status_code == 201, r.content
    person = r.json()
    assert person["masked_name"] == "M••• K•••"
    assert set(r.json()) == {"id", "code", "masked_name"}  # never the identity itself
    assert IntakePerson.objects.filter(intake_id=intake["id"], person_id=person["id"]).count() == 1

    r = operator.post(
        f"/intakes/{intake['id']}/screenings",
        {"person_id": person["id"], "yes": YES, "age_at_act": 16},
    )
    assert r.status_code == 201, r.content
    screening = r.json()
    assert (screening["result"], screening["child"]) == ("likely_victim", True)
    assert {x["code"] for x in screening["reasons"] if x["met"]} >= {"act", "means", "purpose"}
    assert ScreeningResult.objects.filter(intake_id=intake["id"]).count() == 1

    r = operator.post("/cases", {"screening_id": screening["id"], "assigned_to": "pekerja.sambas"})
    assert r.status_code == 201, r.content
    case = r.json()
    assert (case["stage"], case["owner_agency"], case["assigned_to"]) == (
        Stage.ASSESSMENT,
        SAMBAS,
        "pekerja.sambas",
    )
    assert [v["id"] for v in case["victims"]] == [person["id"]]
    assert Intake.objects.get(pk=intake["id"]).status == IntakeStatus.CASE_OPENED
    cid = case["id"]

    r = worker.post(
        f"/cases/{cid}/assessment", {"expected_version": case["version"], "text": "Korban anak."}
    )
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == Stage.ASSESSMENT_SUBMITTED
    r = supervisor.post(f"/cases/{cid}/assessment/decision", {"approve": True})
    assert r.status_code == 200, r.content
    version = r.json()["version"]
    assert r.json()["stage"] == Stage.PLANNING

    due = (date.today() + timedelta(days=14)).isoformat()
    plan = {
        "expected_version": version,
        "goals": "Aman, pulih, kembali sekolah.",
        "items": [
            {"service": "legal_aid", "responsible_agency_id": agency_id(POLICE), "due_on": due}
        ],
    }
    r = worker.post(f"/cases/{cid}/plan", plan)
    assert r.status_code == 200, r.content
    assert r.json()["plan_items"] == [
        {
            "service": "legal_aid",
            "responsible_agency_id": agency_id(POLICE),
            "due_on": due,
            "done": False,
        }
    ]
    r = supervisor.post(f"/cases/{cid}/plan/decision", {"approve": True})
    assert r.status_code == 200 and r.json()["stage"] == Stage.SERVICES
    return {"intake": intake, "person": person, "screening": screening, "case": r.json()}


@pytest.mark.django_db
def test_the_journey_from_report_to_an_accepted_referral(world):
    got = _through_to_services(world)
    worker, police = Api("pekerja.sambas"), Api("polisi.sambas")
    cid, pid = got["case"]["id"], got["person"]["id"]

    # No consent yet: the referral is refused at the field, nothing is sent.
    body = {
        "to_agency_id": agency_id(POLICE),
        "reason": "Penyidikan TPPO",
        "sections": ["assessment", "services"],
        "receiver_acts": True,
    }
    r = worker.post(f"/cases/{cid}/referrals", body)
    assert r.status_code == 422
    assert list(r.json()["detail"]) == ["to_agency"]
    assert Referral.objects.count() == 0

    r = worker.post(
        f"/cases/{cid}/consents",
        {
            "person_id": pid,
            "items": ["interview", "sharing"],
            "share_with": [agency_id(POLICE)],
            "is_child": True,
            "guardian_consent": True,
            "guardian_relation": "ibu",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["share_with"] == [agency_id(POLICE)]
    assert Consent.objects.filter(case_id=cid, withdrawn_at__isnull=True).count() == 1

    r = worker.post(f"/cases/{cid}/referrals", body)
    assert r.status_code == 201, r.content
    referral = r.json()
    assert (referral["status"], referral["sections"], referral["receiver_acts"]) == (
        ReferralStatus.SENT,
        ["assessment", "services"],
        True,
    )
    assert [x["id"] for x in worker.get("/referrals", direction="out").json()] == [referral["id"]]

    # The police see it coming in, and nothing of the case before they accept.
    assert [x["id"] for x in police.get("/referrals", direction="in").json()] == [referral["id"]]
    assert police.get(f"/cases/{cid}").status_code == 404
    r = police.post(f"/referrals/{referral['id']}/accept")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == ReferralStatus.ACCEPTED
    assert Referral.objects.get(pk=referral["id"]).responded_by == police.user
    assert (
        AccessGrant.objects.filter(
            record_id=cid, kind=AccessGrant.Kind.REFERRAL, agency__name=POLICE
        ).count()
        == 1
    )

    # They read what was shared, and no more: no identity, no plan.
    r = police.get(f"/cases/{cid}")
    assert r.status_code == 200
    shared = r.json()
    assert shared["sections"] == ["assessment", "services"]
    assert shared["assessment"] == "Korban anak."
    assert (shared["victims"], shared["plan_goals"], shared["assigned_to"]) == ([], "", None)
    assert cid in [c["id"] for c in police.get("/cases").json()]

    # Asked to act, they record their own service ...
    r = police.post(
        f"/cases/{cid}/services",
        {
            "service": "legal_aid",
            "delivered_on": date.today().isoformat(),
            "provider_id": agency_id(POLICE),
            "outcome": "BAP diambil.",
        },
    )
    assert r.status_code == 201, r.content
    assert ServiceDelivery.objects.filter(case_id=cid, recorded_by=police.user).count() == 1
    # ... but never move the owner's workflow.
    before = Case.objects.get(pk=cid)
    r = police.post(
        f"/cases/{cid}/closure", {"expected_version": before.version, "reason": "goals_met"}
    )
    assert r.status_code == 403
    assert r.json()["detail"] == indonesian(
        "Only the agency that owns the case (%(agency)s) can request its closure. Your "
        "agency records its own part of the work."
    ) % {"agency": SAMBAS}
    r = police.post(f"/cases/{cid}/assessment", {"expected_version": before.version, "text": "x"})
    assert r.status_code == 403
    assert r.json()["detail"] == indonesian(
        "Only the agency that owns the case (%(agency)s) can change its case file and "
        "workflow. Your agency records its own part of the work."
    ) % {"agency": SAMBAS}
    after = Case.objects.get(pk=cid)
    assert (after.stage, after.version) == (before.stage, before.version)


@pytest.mark.django_db
def test_a_stale_step_is_409_with_the_current_version_and_a_return_needs_a_reason(world):
    got = _through_to_services(world)
    worker, supervisor = Api("pekerja.sambas"), Api("supervisor.sambas")
    cid = got["case"]["id"]
    version = got["case"]["version"]

    r = worker.post(f"/cases/{cid}/details", {"expected_version": version - 1}, method="patch")
    assert r.status_code == 409
    assert r.json() == {
        "detail": indonesian(
            "Someone else changed this record while you were editing. Review their change."
        ),
        "current_version": version,
    }
    r = worker.post(
        f"/cases/{cid}/details",
        {"expected_version": version, "exploitation_types": ["SexualExploitation"]},
        method="patch",
    )
    assert r.status_code == 200, r.content
    assert r.json()["exploitation_types"] == ["SexualExploitation"]
    assert r.json()["version"] == version + 1

    # Closure: requested, then refused without a reason (422, nothing changed), with one the
    # case goes back to the stage it was at.
    r = worker.post(
        f"/cases/{cid}/closure", {"expected_version": version + 1, "reason": "goals_met"}
    )
    assert r.status_code == 200 and r.json()["stage"] == Stage.CLOSURE_REQUESTED
    r = supervisor.post(f"/cases/{cid}/closure/decision", {"approve": False})
    assert r.status_code == 422
    assert list(r.json()["detail"]) == ["reason"]
    assert Case.objects.get(pk=cid).stage == Stage.CLOSURE_REQUESTED
    r = worker.post(f"/cases/{cid}/closure/decision", {"approve": True})
    assert r.status_code == 403  # a case worker does not approve
    assert Case.objects.get(pk=cid).stage == Stage.CLOSURE_REQUESTED
    r = supervisor.post(
        f"/cases/{cid}/closure/decision", {"approve": False, "reason": "Layanan hukum belum."}
    )
    assert r.status_code == 200 and r.json()["stage"] == Stage.SERVICES


@pytest.mark.django_db
def test_a_new_person_like_one_in_scope_is_offered_as_a_duplicate_first(world):
    operator = Api("operator.sambas")
    intake = operator.post("/intakes", {"narrative": "Laporan.", "place_region": "61.01.09"}).json()
    identity = {"full_name": "Kenanga Larasati", "birth_date": "2001", "region": "61.01.09.2002"}
    first = operator.post(f"/intakes/{intake['id']}/persons", {"identity": identity})
    assert first.status_code == 201
    persons = Person.objects.count()
    again = operator.post(f"/intakes/{intake['id']}/persons", {"identity": identity})
    assert again.status_code == 409
    candidates = again.json()["candidates"]
    assert [c["id"] for c in candidates] == [first.json()["id"]]
    assert "name" in candidates[0]["reasons"]  # the fields that agree, never their values
    assert candidates[0]["masked_name"] == "K••• L•••"
    assert Person.objects.count() == persons
    linked = operator.post(f"/intakes/{intake['id']}/persons", {"person_id": first.json()["id"]})
    assert linked.status_code == 200
    confirmed = operator.post(
        f"/intakes/{intake['id']}/persons", {"identity": identity, "confirm_new": True}
    )
    assert confirmed.status_code == 201
    assert Person.objects.count() == persons + 1
    assert IntakePerson.objects.filter(intake_id=intake["id"]).count() == 2


@pytest.mark.django_db
def test_out_of_scope_tokens_get_404_on_every_step_and_change_nothing(world):
    got = _through_to_services(world)
    cid, pid = got["case"]["id"], got["person"]["id"]
    iid, sid = got["intake"]["id"], got["screening"]["id"]
    worker = Api("pekerja.sambas")
    worker.post(
        f"/cases/{cid}/consents",
        {"person_id": pid, "items": ["sharing"], "share_with": [agency_id(POLICE)]},
    )
    referral = worker.post(
        f"/cases/{cid}/referrals",
        {"to_agency_id": agency_id(POLICE), "reason": "Penyidikan", "sections": ["services"]},
    ).json()
    consent_id = Consent.objects.get(case_id=cid).pk
    version = Case.objects.get(pk=cid).version
    today = date.today().isoformat()
    sambas = agency_id(SAMBAS)
    calls = [
        ("get", f"/intakes/{iid}", None),
        ("get", f"/intakes/{iid}/persons", None),
        ("post", f"/intakes/{iid}/triage", {"expected_version": 1, "decision": "screen"}),
        ("post", f"/intakes/{iid}/next-step", {"expected_version": 2, "decision": "open_case"}),
        ("post", f"/intakes/{iid}/persons", {"person_id": pid}),
        ("post", f"/intakes/{iid}/screenings", {"person_id": pid, "yes": YES}),
        ("post", f"/persons/{pid}/screenings", {"yes": YES}),
        ("get", f"/screenings/{sid}", None),
        (
            "post",
            f"/screenings/{sid}/decision",
            {"status": "ActualVictimOfTrafficking", "decision_org": "Police"},
        ),
        ("post", "/cases", {"screening_id": sid}),
        ("get", f"/cases/{cid}", None),
        ("patch", f"/cases/{cid}/details", {"expected_version": version, "education": "sd"}),
        ("post", f"/cases/{cid}/assessment", {"expected_version": version, "text": "x"}),
        ("post", f"/cases/{cid}/assessment/decision", {"approve": True}),
        (
            "post",
            f"/cases/{cid}/plan",
            {
                "expected_version": version,
                "goals": "x",
                "items": [
                    {"service": "legal_aid", "responsible_agency_id": sambas, "due_on": today}
                ],
            },
        ),
        ("post", f"/cases/{cid}/plan/decision", {"approve": True}),
        (
            "post",
            f"/cases/{cid}/services",
            {"service": "legal_aid", "delivered_on": today, "provider_id": sambas},
        ),
        ("post", f"/cases/{cid}/monitoring", None),
        ("post", f"/cases/{cid}/closure", {"expected_version": version, "reason": "goals_met"}),
        ("post", f"/cases/{cid}/closure/decision", {"approve": True}),
        ("get", f"/cases/{cid}/consents", None),
        ("post", f"/cases/{cid}/consents", {"person_id": pid, "items": ["sharing"]}),
        ("post", f"/cases/{cid}/consents/{consent_id}/withdraw", None),
        (
            "post",
            f"/cases/{cid}/referrals",
            {"to_agency_id": agency_id(POLICE), "reason": "x", "sections": ["services"]},
        ),
        ("post", f"/referrals/{referral['id']}/accept", None),
        ("post", f"/referrals/{referral['id']}/decline", {"reason": "bukan wilayah kami"}),
    ]

    def state() -> tuple:
        case = Case.objects.get(pk=cid)
        return (
            case.version,
            case.stage,
            Intake.objects.get(pk=iid).version,
            IntakePerson.objects.count(),
            ScreeningResult.objects.count(),
            ScreeningResult.objects.get(pk=sid).version,
            Case.objects.count(),
            PlanItem.objects.count(),
            ServiceDelivery.objects.count(),
            list(Consent.objects.values_list("pk", "withdrawn_at")),
            list(Referral.objects.values_list("pk", "status")),
            AccessGrant.objects.count(),
        )

    before = state()
    # Another UPTD PPA's worker, the village next door, and an agency the case was not sent to.
    for username in ["pekerja.tpi", "desa.sebunga", "jaksa.sambas"]:
        outsider = Api(username)
        for method, path, body in calls:
            r = outsider.get(path) if method == "get" else outsider.post(path, body, method=method)
            assert r.status_code == 404, (username, method, path, r.status_code, r.content)
            assert r.json() == {"detail": indonesian("Not found.")}
    assert state() == before
    denied = AuditEvent.objects.filter(outcome="denied", actor_username="pekerja.tpi").count()
    assert denied >= 10  # refusals of records that exist are audited


@pytest.mark.django_db
def test_triage_acts_and_refuses_through_the_api_as_on_the_page(world):
    operator, worker = Api("operator.sambas"), Api("pekerja.sambas")
    # In Sebunga: the village officer sees the report (jurisdiction) but does not triage.
    intake = operator.post(
        "/intakes", {"narrative": "Laporan.", "place_region": "61.01.09.2002"}
    ).json()
    iid, version = intake["id"], intake["version"]

    # Out of the case worker's scope (404); the village officer's role does not triage (403);
    # "no action" needs a reason (422); nothing changes.
    r = worker.post(f"/intakes/{iid}/triage", {"expected_version": version, "decision": "screen"})
    assert r.status_code == 404
    r = Api("desa.sebunga").post(
        f"/intakes/{iid}/triage", {"expected_version": version, "decision": "screen"}
    )
    assert r.status_code == 403
    assert r.json()["detail"] == indonesian(
        "Only the agency's hotline operators and supervisors triage."
    )
    r = operator.post(
        f"/intakes/{iid}/triage", {"expected_version": version, "decision": "no_action"}
    )
    assert r.status_code == 422
    assert list(r.json()["detail"]) == ["reason"]
    assert Intake.objects.get(pk=iid).status == IntakeStatus.NEW

    # "Open a case" on a report naming nobody: screening first, the report stays on the list.
    r = operator.post(
        f"/intakes/{iid}/triage", {"expected_version": version, "decision": "open_case"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == IntakeStatus.TRIAGED
    assert Case.objects.filter(intake_id=iid).count() == 0
    # A second triage of the same report is stale.
    r = operator.post(f"/intakes/{iid}/triage", {"expected_version": version, "decision": "screen"})
    assert r.status_code == 409
    assert r.json()["current_version"] == version + 1

    person = operator.post(
        f"/intakes/{iid}/persons", {"identity": {"full_name": "Anggrek Puspaningrum"}}
    ).json()
    screening = operator.post(
        f"/intakes/{iid}/screenings", {"person_id": person["id"], "yes": YES}
    ).json()
    r = operator.post(
        f"/intakes/{iid}/next-step",
        {"expected_version": version + 1, "decision": "open_case", "assigned_to": "pekerja.sambas"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == IntakeStatus.CASE_OPENED
    case = Case.objects.get(intake_id=iid)
    assert (case.assigned_to.username, str(case.screening_id)) == (
        "pekerja.sambas",
        screening["id"],
    )
    assert [str(v.person_id) for v in case.victims.all()] == [person["id"]]
    assert str(case.id) in [c["id"] for c in worker.get("/cases").json()]


@pytest.mark.django_db
def test_a_body_that_is_not_the_object_asked_for_is_refused_and_stores_nothing(world):
    """Found by schemathesis: `[null, null]` (or `{"yes": [], "age_at_act": false}`) as the
    body of a screening was taken as an interview and stored a screening."""
    operator = Api("operator.sambas")
    person = Person.objects.filter(owner_agency__name=SAMBAS).first()
    before = ScreeningResult.objects.count()
    not_objects = [[None, None], [], "ya", 1, {}]
    # Nor a value of another JSON type than declared (no coercion of false to 0, "16" to 16).
    wrong_types = [{"yes": [], "age_at_act": False}, {"yes": [], "age_at_act": "16"}]
    for body in not_objects + wrong_types:
        r = operator.post(f"/persons/{person.pk}/screenings", body)
        assert r.status_code == 422, (body, r.status_code)
    assert ScreeningResult.objects.count() == before
    r = operator.post(f"/persons/{person.pk}/screenings", {"yes": []})
    assert r.status_code == 201
    assert r.json()["result"] == "not_indicated"
