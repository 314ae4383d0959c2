"""Issue 12, item 12 on the intake pages: stored codes are shown as labels in the reader's
language (status, channel, triage decision, country), never a raw code or None; dates in the
language's one format."""

import re

import pytest
from django.utils import formats, timezone
from django.utils.translation import gettext, override

from simpul.accounts.models import Agency, User
from simpul.intake.actions import IntakeDetails, record_intake, triage
from simpul.intake.models import Channel, Intake, Status, TriageDecision


def _report(channel: str, **details: object) -> Intake:
    return record_intake(
        User.objects.get(username="operator.sambas"),
        IntakeDetails(channel=channel, narrative="Laporan.", **details),  # type: ignore[arg-type]
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
    )


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_report_pages_show_labels_in_indonesian_never_codes(signed_in):
    operator = User.objects.get(username="operator.sambas")
    new = _report(Channel.SOCIAL_MEDIA, place_country="MY")
    closed = _report(Channel.WHATSAPP)
    triage(
        operator, closed, "no_action", immediate_danger=False, child_involved=False, reason="Iseng."
    )
    screened = _report(Channel.REFERRAL_VILLAGE)
    triage(operator, screened, "screen", immediate_danger=False, child_involved=False)
    client = signed_in("operator.sambas")
    page = client.get("/intake/").content.decode()
    text = _visible_text(page)
    with override("id"):
        labels = [
            str(Status.NEW.label),
            str(Status.CLOSED.label),
            str(Status.TRIAGED.label),
            str(Channel.SOCIAL_MEDIA.label),
            str(Channel.WHATSAPP.label),
            str(Channel.REFERRAL_VILLAGE.label),
            str(TriageDecision.NO_ACTION.label),
            str(TriageDecision.SCREEN.label),
        ]
        stamp = formats.date_format(timezone.localtime(new.received_at), "DATETIME_FORMAT")
        malaysia = gettext("Malaysia")
    for label in labels:
        assert label in text, label
    for code in ["social_media", "referral_village", "no_action", "closed", "triaged", "None"]:
        assert not re.search(rf"(?<![\w-]){code}(?![\w-])", text), code
    assert stamp in text
    detail = _visible_text(client.get(f"/intake/{new.id}/").content.decode())
    assert malaysia in detail and not re.search(r"·\s*MY\b", detail)
    assert stamp in detail
    closed_page = _visible_text(client.get(f"/intake/{closed.id}/").content.decode())
    with override("id"):
        assert str(TriageDecision.NO_ACTION.label) in closed_page
    assert "no_action" not in closed_page and "None" not in closed_page
