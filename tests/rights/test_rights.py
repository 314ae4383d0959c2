"""The victims' rights checklist (UU 21/2007): the order informed → requested → fulfilled, a
fulfilled right says what fulfilled it, refusals change nothing; the case's scope (another
agency gets 404, audited); the case page shows the checklist in words, not codes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent, Outcome
from simpul.cases import actions as case_actions
from simpul.cases.models import Case
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.regions.models import Region
from simpul.rights import actions, queries
from simpul.rights.choices import Right, RightStatus, Wanted
from simpul.rights.models import VictimRight
from simpul.shelters import actions as shelter_actions
from tests.shelters.helpers import accepted_shelter_referral, make_shelter, officer
from tests.web.test_words_not_codes import assert_words_only

TODAY = timezone.localdate


def _worker() -> User:
    return User.objects.get(username="pekerja.sambas")


def _case() -> Case:
    worker = _worker()
    person, _ = create_person(
        worker,
        IdentityData(full_name="Sari Wulandari", sex="F", birth_date="2003"),
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
        scope_region=Region.objects.get(pk="61.01"),
    )
    return case_actions.open_case(
        User.objects.get(username="supervisor.sambas"), victims=[person], assigned_to=worker
    )


def _victim(case: Case):
    return queries.victims(case)[0]


@pytest.mark.django_db
def test_a_right_goes_from_informed_to_fulfilled_linked_to_the_stay(world):
    referral, person = accepted_shelter_referral()
    case = referral.case
    [stay] = shelter_actions.plan_stay_from_referral(officer(), referral, make_shelter())
    worker = _worker()
    right = Right.REINTEGRATION
    row = actions.record_right(worker, case, person, right, actions.RightInput(informed_on=TODAY()))
    assert (row.status, row.informed_by) == (RightStatus.INFORMED, worker)
    row = actions.record_right(
        worker,
        case,
        person,
        right,
        actions.RightInput(informed_on=TODAY(), wanted=Wanted.YES, requested_on=TODAY()),
        version=row.version,
    )
    assert row.status == RightStatus.REQUESTED
    links = dict(queries.link_choices(worker, case))
    assert f"stay:{stay.pk}" in links and f"referral:{referral.pk}" in links
    row = actions.record_right(
        worker,
        case,
        person,
        right,
        actions.RightInput(
            informed_on=TODAY(),
            wanted=Wanted.YES,
            requested_on=TODAY(),
            fulfilled_on=TODAY(),
            link=f"stay:{stay.pk}",
        ),
        version=row.version,
    )
    assert (row.status, row.link_kind, row.link_id, row.version) == (
        RightStatus.FULFILLED,
        "stay",
        str(stay.pk),
        3,
    )
    assert VictimRight.objects.count() == 1
    assert AuditEvent.objects.filter(action="rights.record", record_id=str(case.pk)).count() == 3
    [checklist] = queries.checklist(case)
    assert [r.right for r in checklist.rows] == list(Right.values)
    assert checklist.fulfilled == 1
    # Declining is a state of its own.
    declined = actions.record_right(
        worker,
        case,
        person,
        Right.RESTITUTION,
        actions.RightInput(informed_on=TODAY(), wanted=Wanted.NO, note="Tidak ingin menuntut"),
    )
    assert declined.status == RightStatus.DECLINED
    assert queries.note_of(declined) == "Tidak ingin menuntut"


@pytest.mark.django_db
def test_refusals_leave_nothing_changed(world):
    case = _case()
    person, worker = _victim(case), _worker()
    tomorrow = TODAY() + timedelta(days=1)
    yesterday = TODAY() - timedelta(days=1)
    for data, field in (
        (actions.RightInput(requested_on=TODAY(), wanted=Wanted.YES), "informed_on"),
        (actions.RightInput(informed_on=tomorrow), "informed_on"),
        (actions.RightInput(informed_on=TODAY(), requested_on=TODAY()), "wanted"),
        (
            actions.RightInput(informed_on=TODAY(), wanted=Wanted.YES, requested_on=yesterday),
            "requested_on",
        ),
        (
            actions.RightInput(informed_on=TODAY(), wanted=Wanted.YES, fulfilled_on=TODAY()),
            "fulfilled_on",
        ),
        (
            # Fulfilled needs what fulfilled it: a link or a note.
            actions.RightInput(
                informed_on=TODAY(), wanted=Wanted.YES, requested_on=TODAY(), fulfilled_on=TODAY()
            ),
            "link",
        ),
        (
            actions.RightInput(
                informed_on=TODAY(),
                wanted=Wanted.YES,
                requested_on=TODAY(),
                fulfilled_on=TODAY(),
                link="proceeding:PR-00-NOPE",
            ),
            "link",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            actions.record_right(worker, case, person, Right.LEGAL_AID, data)
        assert field in refused.value.message_dict, (data, refused.value.message_dict)
    # Another agency's case worker may not write it; nor the hotline operator of another.
    with pytest.raises(PermissionDenied):
        actions.record_right(
            User.objects.get(username="pekerja.tpi"),
            case,
            person,
            Right.LEGAL_AID,
            actions.RightInput(informed_on=TODAY()),
        )
    assert VictimRight.objects.count() == 0
    assert not AuditEvent.objects.filter(action="rights.record").exists()
    # Fulfilled with a note only is accepted.
    row = actions.record_right(
        worker,
        case,
        person,
        Right.LEGAL_AID,
        actions.RightInput(
            informed_on=TODAY(),
            wanted=Wanted.YES,
            requested_on=TODAY(),
            fulfilled_on=TODAY(),
            note="Didampingi advokat LBH Pontianak",
        ),
    )
    assert row.status == RightStatus.FULFILLED


@pytest.mark.django_db
def test_the_case_page_shows_the_checklist_and_other_agencies_get_404(world, signed_in):
    case = _case()
    person = _victim(case)
    client = signed_in("pekerja.sambas")
    page = client.get(f"/cases/{case.pk}/")
    html = page.content.decode()
    assert 'id="rights"' in html
    assert html.count('data-right="') == len(Right.values)
    assert "UU 21/2007 Pasal 44" in html
    assert_words_only(html, "case page with rights")
    url = f"/rights/cases/{case.pk}/victims/{person.pk}/{Right.RETURN}/"
    form = client.get(url)
    assert form.status_code == 200
    assert_words_only(form.content.decode(), "right form")
    refused = client.post(url, {"wanted": "yes", "requested_on": TODAY().isoformat()})
    assert refused.status_code == 422
    assert VictimRight.objects.count() == 0
    saved = client.post(url, {"wanted": "undecided", "informed_on": TODAY().isoformat()})
    assert saved.status_code == 302
    assert VictimRight.objects.get().status == RightStatus.INFORMED
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'data-right="{Right.RETURN}" data-status="informed"' in html
    # The TPI case worker (another agency) gets 404 on the form, and the attempt is audited.
    other = signed_in("pekerja.tpi")
    assert other.get(url).status_code == 404
    assert other.post(url, {"wanted": "no", "informed_on": TODAY().isoformat()}).status_code == 404
    denied = AuditEvent.objects.filter(
        action="case.access", record_id=str(case.pk), outcome=Outcome.DENIED
    )
    assert denied.count() == 2
    assert VictimRight.objects.get().wanted == Wanted.UNDECIDED
