from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import Agency
from simpul.cases.codes import (
    ConsentItem,
    Education,
    Exploitation,
    IncidentPlace,
    MeansOfControl,
    Occupation,
    PerpetratorRelation,
    Service,
    ViolenceForm,
)
from simpul.cases.models import ClosureReason
from simpul.referrals.models import Section

_BLANK: list[tuple[str, Any]] = [("", "—")]


class DetailsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        choices=Exploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    violence_forms = forms.MultipleChoiceField(
        label=_("Forms of violence (SIMFONI)"),
        choices=ViolenceForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    incident_place = forms.ChoiceField(
        label=_("Place of incident"), choices=_BLANK + IncidentPlace.choices, required=False
    )
    perpetrator_relation = forms.ChoiceField(
        label=_("Relationship to perpetrator"),
        choices=_BLANK + PerpetratorRelation.choices,
        required=False,
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=_BLANK + Education.choices, required=False
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"), choices=_BLANK + Occupation.choices, required=False
    )


class TextStepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Approve")), ("no", _("Return for changes"))],
    )


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    goals = forms.CharField(
        label=_("Goals of the plan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, 4):
            self.fields[f"service_{i}"] = forms.ChoiceField(
                label=_("Service %(n)s") % {"n": i},
                choices=_BLANK + Service.choices,
                required=(i == 1),
            )
            self.fields[f"agency_{i}"] = forms.ModelChoiceField(
                label=_("Responsible agency"), queryset=agencies, required=(i == 1)
            )
            self.fields[f"due_{i}"] = forms.DateField(
                label=_("Due date"),
                required=(i == 1),
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def items(self) -> list[tuple[str, Agency, Any]]:
        d = self.cleaned_data
        return [
            (d[f"service_{i}"], d[f"agency_{i}"], d[f"due_{i}"])
            for i in range(1, 4)
            if d.get(f"service_{i}") and d.get(f"agency_{i}") and d.get(f"due_{i}")
        ]


class ServiceForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    delivered_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Agency.objects.none())
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = agencies  # type: ignore[attr-defined]


class ConsentForm(forms.Form):
    person = forms.ChoiceField(label=_("Victim"))
    items = forms.MultipleChoiceField(
        label=_("The victim agrees to"),
        choices=ConsentItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    share_with = forms.ModelMultipleChoiceField(
        label=_("Agencies the case may be shared with"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_child = forms.BooleanField(label=_("The victim is under 18"), required=False)
    guardian_consent = forms.BooleanField(
        label=_("A parent or guardian also consented"), required=False
    )
    guardian_relation = forms.CharField(
        label=_("Guardian's relationship"), max_length=60, required=False
    )

    def __init__(self, *args: Any, victims: list[Any], agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.code} · {p.masked_name}") for p in victims
        ]
        self.fields["share_with"].queryset = agencies  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Refer to"), queryset=Agency.objects.none())
    service = forms.ChoiceField(
        label=_("Service needed"), choices=_BLANK + Service.choices, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    sections = forms.MultipleChoiceField(
        label=_("The receiving agency may see"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    receiver_acts = forms.BooleanField(
        label=_("Ask the receiving agency to act on the case (record its own services/tasks)"),
        help_text=_(
            "Without this the receiving agency only reads the sections you share. Even with "
            "it, it never edits your assessment, plan or workflow."
        ),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Supervisor override: why it cannot wait for consent"),
        max_length=300,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        agencies: Any,
        sections: set[str] | None = None,
        may_ask_to_act: bool = True,
        may_override: bool = True,
        **kwargs: Any,
    ) -> None:
        """`sections`: what the sender may pass on (None: every section, the owner side)."""
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]
        if sections is not None:
            self.fields["sections"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Section.choices if value in sections
            ]
        if not may_ask_to_act:
            del self.fields["receiver_acts"]
        if not may_override:
            del self.fields["override_reason"]


class ClosureForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the case reopened?"), max_length=300)


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Accept the referral")), ("no", _("Decline"))],
    )
    reason = forms.CharField(label=_("Reason (if you decline)"), max_length=300, required=False)
