from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.identity.validation import limited_field
from simpul.intake.models import Channel, TriageDecision
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


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=TriageDecision.choices, widget=forms.RadioSelect
    )
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)
    child_involved = forms.BooleanField(label=_("A child is involved"), required=False)
    note = limited_field(
        "note", label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The version of the report the decision was based on: a stale decision is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
