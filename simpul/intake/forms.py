from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import Agency, User
from simpul.identity.data import IdentityData
from simpul.identity.validation import limited_field
from simpul.intake.actions import Caller, IntakeDetails
from simpul.intake.models import Channel, Status, TriageDecision
from simpul.regions.forms import RegionField

COUNTRIES = [
    ("", _("Indonesia or unknown")),
    ("MY", _("Malaysia")),
    ("SG", _("Singapore")),
    ("SA", _("Saudi Arabia")),
    ("HK", _("Hong Kong")),
    ("TW", _("Taiwan")),
    ("KH", _("Cambodia")),
    ("MM", _("Myanmar")),
    ("AE", _("United Arab Emirates")),
    ("ZZ", _("Another country")),
]

MIN_FILL_SECONDS = 3


class PublicReportForm(forms.Form):
    narrative = limited_field(
        "public_narrative",
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who, where, when. Do not worry about details: write what you know."),
        error_messages={"required": _("Describe what happened, even briefly.")},
    )
    place_region = RegionField(
        label=_("Where are the people concerned from, or where did it happen?"), required=False
    )
    place_country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, required=False)
    immediate_danger = forms.BooleanField(label=_("Someone is in danger right now"), required=False)
    child_involved = forms.BooleanField(label=_("A child (under 18) is involved"), required=False)
    contact = limited_field(
        "contact",
        label=_("How can we reach you? (optional)"),
        required=False,
        help_text=_("Leave empty to stay anonymous."),
    )
    # Spam resistance: a field people never see, and a signed start time.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "class": "hp"}),
        label=_("Leave empty"),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound:
            self.initial["started"] = signing.dumps(timezone.now().timestamp(), salt="report")

    def looks_automated(self) -> bool:
        if self.cleaned_data.get("website"):
            return True
        try:
            started = float(
                signing.loads(self.cleaned_data["started"], salt="report", max_age=86400)
            )
        except (signing.BadSignature, KeyError, ValueError):
            return True
        return timezone.now().timestamp() - started < MIN_FILL_SECONDS


class FollowUpForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt code"), max_length=20)
    text = limited_field(
        "note",
        label=_("What do you want to add?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OperatorIntakeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] not in (Channel.PUBLIC_WEB, Channel.API)],
        initial=Channel.HOTLINE,
    )
    narrative = limited_field(
        "narrative", label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 7})
    )
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)
    child_involved = forms.BooleanField(label=_("A child is involved"), required=False)
    place_region = RegionField(label=_("Where (village, district or regency)"), required=False)
    place_country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, required=False)
    reporter_anonymous = forms.BooleanField(
        label=_("The caller wants to stay anonymous"), required=False
    )
    reporter_name = limited_field("full_name", label=_("Caller's name"), required=False)
    reporter_phone = limited_field("phone", label=_("Caller's phone"), required=False)
    concerned_name = limited_field(
        "full_name", label=_("Name of the person concerned"), required=False
    )
    concerned_nik = limited_field("nik", label=_("Their NIK, if known"), required=False)
    concerned_phone = limited_field("phone", label=_("Their phone, if known"), required=False)
    concerned_birth_date = limited_field(
        "birth_date", label=_("Their birth date or year, if known"), required=False
    )

    def details(self) -> IntakeDetails:
        d = self.cleaned_data
        return IntakeDetails(
            channel=d["channel"],
            narrative=d["narrative"],
            place_region=d["place_region"],
            place_country=d["place_country"],
            immediate_danger=d["immediate_danger"],
            child_involved=d["child_involved"],
        )

    def concerned(self) -> IdentityData:
        d = self.cleaned_data
        return IdentityData(
            full_name=d["concerned_name"],
            nik=d["concerned_nik"],
            phone=d["concerned_phone"],
            birth_date=d["concerned_birth_date"],
        )

    def caller(self) -> Caller:
        d = self.cleaned_data
        return Caller(
            name=d["reporter_name"], phone=d["reporter_phone"], anonymous=d["reporter_anonymous"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reporter_anonymous") and (data.get("reporter_name") or "").strip():
            # Never drop what was typed: the operator decides which one holds.
            self.add_error(
                "reporter_name",
                _(
                    "The caller wants to stay anonymous: clear the name, or untick "
                    "“stay anonymous”. A phone number to call back may stay."
                ),
            )
        return data


class TriageForm(forms.Form):
    """The triage decision and what each decision needs: a reason to close or refer, the
    agency and consent to refer, the worker who takes the case."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=TriageDecision.choices, widget=forms.RadioSelect
    )
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)
    child_involved = forms.BooleanField(label=_("A child is involved"), required=False)
    reason = limited_field(
        "note",
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to close without action or to refer to another agency."),
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Case worker who takes the case"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )
    to_agency = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Choose an agency"),
    )
    sections = forms.MultipleChoiceField(
        label=_("The receiving agency may see"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=["identity"],
    )
    consent_given = forms.BooleanField(
        label=_("The person concerned agreed to sharing with this agency"), required=False
    )
    guardian_consent = forms.BooleanField(
        label=_("For a child: a parent or guardian agreed"), required=False
    )
    guardian_relation = forms.CharField(
        label=_("Relation of the parent or guardian"), max_length=60, required=False
    )
    override_reason = forms.CharField(
        label=_("Supervisor override: why it cannot wait for consent"),
        max_length=300,
        required=False,
    )
    note = limited_field(
        "note", label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The version of the report the decision was based on: a stale decision is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        agencies: Any = None,
        workers: Any = None,
        sections: Any = (),
        follow_up: bool = False,
        may_override: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]
        if workers is not None:
            self.fields["assigned_to"].queryset = workers  # type: ignore[attr-defined]
        self.fields["sections"].choices = list(sections)  # type: ignore[attr-defined]
        if follow_up:
            # After screening: open the case, refer, or close with a reason.
            self.fields["decision"].choices = [  # type: ignore[attr-defined]
                c for c in TriageDecision.choices if c[0] != TriageDecision.SCREEN
            ]
            del self.fields["immediate_danger"]
            del self.fields["child_involved"]
        if not may_override:
            del self.fields["override_reason"]


class ReportFilterForm(forms.Form):
    """The filters of the report list; every field optional, an unknown value refused at its
    field (the list then shows everything in scope, never a silently different filter)."""

    reference = forms.CharField(label=_("Reference"), required=False, max_length=20)
    person = forms.CharField(label=_("Person code"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        required=False,
        choices=[
            ("", _("All")),
            ("immediate_danger", _("Immediate danger")),
            ("child", _("A child is involved")),
        ],
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = RegionField(label=_("Area"), required=False)


class ReporterRevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to reach the reporter?"),
        min_length=10,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
