"""Issue 21, findings 2 and 8 through the pages: a receiver of a services-only referral sees
no victim code or name on any case page or step form, cannot edit or refer on the identity;
every step form and screening page read is audited."""

import pytest
from django.utils import translation

from simpul.audit.models import AuditEvent
from simpul.cases.models import Case
from simpul.core.models import AccessGrant
from simpul.referrals.actions import accept_referral, send_referral
from simpul.referrals.models import Referral
from tests.cases.helpers import indonesian
from tests.cases.test_workflow import _public_report, _screen
from tests.referrals.support import CANARY_NIK, agency, canary_case, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _shown(case: Case, sections: list[str], **kw) -> None:
    referral = send_referral(
        user("pekerja.sambas"), case, agency("police"), reason="Layanan", sections=sections, **kw
    )
    accept_referral(user("polisi.sambas"), referral)


def _counts(case: Case) -> tuple[int, int, int]:
    case.refresh_from_db()
    return Referral.objects.count(), AccessGrant.objects.count(), case.version


def test_a_services_receiver_sees_no_victim_and_no_edit_form(signed_in):
    case, person = canary_case()
    _shown(case, ["services"])
    police = signed_in("polisi.sambas")
    page = police.get(f"/cases/{case.id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert person.code not in body and person.masked_name not in body
    assert page.context["victims"] == []
    assert not page.context["can_edit"] and not page.context["can_act"]
    assert [k for k, _t, _b in page.context["lazy_steps"]] == ["referral"]
    for step in ["consent", "details", "closure", "reopen", "event", "task"]:
        refused = police.get(f"/cases/{case.id}/step/{step}/")
        assert refused.status_code == 403, step
        assert "form" not in refused.context, step  # the case page with a message, no form
    form = police.get(f"/cases/{case.id}/step/referral/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert [v for v, _ in form.context["form"].fields["sections"].choices] == ["services"]
    assert "override_reason" not in form.context["form"].fields
    assert person.code not in form.content.decode()


def test_a_receiver_posting_owner_steps_changes_nothing(signed_in):
    case, person = canary_case()
    _shown(case, ["services"])
    police = signed_in("polisi.sambas")
    before = _counts(case)
    details = police.post(f"/cases/{case.id}/step/details/", {"version": case.version})
    assert details.status_code == 403
    assert [str(m) for m in details.context["messages"]] == [
        indonesian(
            "Only the agency that owns the case (%(agency)s) can change its case file and "
            "workflow. Your agency records its own part of the work.",
            agency="UPTD PPA Kabupaten Sambas",
        )
    ]
    assert (
        police.post(
            f"/cases/{case.id}/step/consent/",
            {"person": person.pk, "items": ["sharing"], "share_with": [agency("iom").pk]},
        ).status_code
        == 403
    )
    refused = police.post(
        f"/cases/{case.id}/step/referral/",
        {
            "to_agency": agency("kejari").pk,
            "reason": "Lanjut",
            "sections": ["identity", "services"],
        },
    )
    assert refused.status_code == 422
    assert refused.context["forms"]["referral"].errors["sections"]
    assert _counts(case) == before
    sent = police.post(
        f"/cases/{case.id}/step/referral/",
        {"to_agency": agency("kejari").pk, "reason": "Lanjut", "sections": ["services"]},
    )
    assert sent.status_code == 302
    assert Referral.objects.filter(from_agency=agency("police"), sections=["services"]).count() == 1


def test_a_receiver_asked_to_act_gets_the_service_form_but_no_victim(signed_in):
    case, person = canary_case(services_stage=True)
    _shown(case, ["services"], receiver_acts=True)
    police = signed_in("polisi.sambas")
    page = police.get(f"/cases/{case.id}/")
    body = page.content.decode()
    assert page.context["can_act"] and not page.context["can_edit"]
    assert 'id="step-service"' in body and 'id="step-assessment"' not in body
    assert person.code not in body and person.masked_name not in body
    assert police.get(f"/cases/{case.id}/step/consent/").status_code == 403


def test_the_owner_consent_step_is_audited_with_what_it_shows(signed_in):
    case, person = canary_case()
    worker = signed_in("pekerja.sambas")
    response = worker.get(f"/cases/{case.id}/step/consent/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert person.code in response.content.decode()  # the owner side sees its victims
    event = AuditEvent.objects.get(action="case.view_step", record_id=str(case.id))
    assert "person" in event.fields and event.reason == "step consent"
    worker.get(f"/cases/{case.id}/step/closure/")
    assert AuditEvent.objects.filter(action="case.view_step", reason="step closure").count() == 1


def test_screening_pages_are_audited(signed_in):
    intake = _public_report()
    operator = signed_in("operator.sambas")
    assert operator.post(f"/intake/{intake.id}/", {"decision": "screen"}).status_code == 302
    assert operator.get(f"/screening/intake/{intake.id}/").status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="screening.view_interview", record_id=str(intake.id)
        ).count()
        == 1
    )
    result = _screen(operator, intake)
    operator.get(f"/screening/{result.id}/")
    view = AuditEvent.objects.get(action="screening.view", record_id=str(result.id))
    assert sorted(view.fields) == ["person", "reasons", "result"]
    assert operator.get(f"/cases/from-screening/{result.id}/").status_code == 200
    assert AuditEvent.objects.filter(action="screening.view", record_id=str(result.id)).count() == 2


def test_the_canary_nik_is_in_no_page_of_the_receiver(signed_in):
    case, _ = canary_case()
    _shown(case, ["services", "events"])
    police = signed_in("polisi.sambas")
    for path in [f"/cases/{case.id}/", "/cases/", "/persons/"]:
        assert CANARY_NIK not in police.get(path).content.decode(), path
