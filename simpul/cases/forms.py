from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import Agency, User
from simpul.cases.codes import (
    ConsentItem,
    Education,
    EventType,
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
from simpul.regions.models import Region

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


class ReturnReasonMixin:
    """A decision that returns the step needs the reason the case worker will see."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        if data.get("approve") is False and not (data.get("reason") or "").strip():
            self.add_error(  # type: ignore[attr-defined]
                "reason", _("Say what the case worker should change (at least 5 characters).")
            )
        return data


class TextStepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )


class DecisionForm(ReturnReasonMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Approve")), ("no", _("Return for changes"))],
    )
    reason = forms.CharField(
        label=_("Reason for returning (the case worker sees it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class ClosureDecisionForm(DecisionForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Approve the closure")), ("no", _("Refuse the closure"))],
    )
    reason = forms.CharField(
        label=_("Reason for refusing (the case worker sees it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class PlanRowForm(forms.Form):
    """One row of the plan. A row left wholly empty is no row; a row partly filled is refused
    at the missing field, never dropped."""

    service = forms.ChoiceField(
        label=_("Service"), choices=_BLANK + Service.choices, required=False
    )
    responsible_agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = ("service", "responsible_agency", "due_on")
        filled = [n for n in names if data.get(n) or self.has_error(n)]
        if filled:
            messages = {
                "service": _("Choose the service of this row."),
                "responsible_agency": _("Choose the agency responsible for this row."),
                "due_on": _("Give the date this row is due."),
            }
            for name in names:
                if not data.get(name) and not self.has_error(name):
                    self.add_error(name, messages[name])
        return data

    @property
    def is_row(self) -> bool:
        d = getattr(self, "cleaned_data", {})
        return bool(d.get("service") or d.get("responsible_agency") or d.get("due_on"))


class BasePlanRows(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(f.is_row for f in self.forms):
            raise forms.ValidationError(_("A plan needs at least one service."))


PlanRows = forms.formset_factory(
    PlanRowForm, formset=BasePlanRows, extra=0, max_num=20, validate_max=True
)
PLAN_ROWS_SHOWN = 3


class PlanForm(forms.Form):
    """Goals plus the plan's rows (a formset with prefix "items"); prefilled with the plan
    submitted before, e.g. after a supervisor returned it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    goals = forms.CharField(
        label=_("Goals of the plan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )

    def __init__(
        self, data: Any = None, *args: Any, agencies: Any, rows: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(data, *args, **kwargs)
        initial = [
            {
                "service": r.service,
                "responsible_agency": r.responsible_agency_id,
                "due_on": r.due_on,
            }
            for r in rows
        ]
        blanks = max(PLAN_ROWS_SHOWN - len(initial), 1)
        self.rows = PlanRows(
            data,
            prefix="items",
            initial=initial + [{}] * blanks if data is None else None,
            form_kwargs={"agencies": agencies},
        )

    def is_valid(self) -> bool:
        own = super().is_valid()
        rows = self.rows.is_valid()
        return own and rows

    def items(self) -> list[tuple[str, Agency, Any]]:
        return [
            (
                f.cleaned_data["service"],
                f.cleaned_data["responsible_agency"],
                f.cleaned_data["due_on"],
            )
            for f in self.rows.forms
            if f.is_row
        ]


class ServiceForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    delivered_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
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


class WithdrawConsentForm(forms.Form):
    consent = forms.ChoiceField(label=_("Consent withdrawn"))

    def __init__(self, *args: Any, consents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), str(c.pk)) for c in consents if c.withdrawn_at is None
        ]


class EventForm(forms.Form):
    """One step of the trafficking chronology: recruitment, transit or exploitation, where and
    when."""

    event_type = forms.ChoiceField(label=_("What happened"), choices=EventType.choices)
    occurred_on = forms.DateField(
        label=_("Date (or start)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    region = forms.ModelChoiceField(
        label=_("Region in Indonesia (code)"),
        queryset=Region.objects.all(),
        required=False,
        to_field_name="code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "61.01.09"}),
        help_text=_("A Kemendagri region code, e.g. 61.01 for Kabupaten Sambas."),
    )
    country = forms.RegexField(
        label=_("Country abroad (two-letter code)"),
        regex=r"^[A-Za-z]{2}$",
        required=False,
        max_length=2,
        help_text=_("ISO 3166 code, e.g. MY for Malaysia, SG for Singapore."),
        error_messages={"invalid": _("Enter the two-letter code of the country.")},
    )
    place = forms.CharField(
        label=_("Place (town, port, workplace)"),
        max_length=120,
        required=False,
        help_text=_("No names of people."),
    )


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("What is to be done"), max_length=300, help_text=_("No names of people.")
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    responsible_agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none()
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, agencies: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["assigned_to"].queryset = assignees  # type: ignore[attr-defined]
        self.fields["assigned_to"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.username
        )

    def clean_due_on(self) -> Any:
        due = self.cleaned_data.get("due_on")
        if due is None:
            raise forms.ValidationError(_("Give the date the task is due."))
        return due


class TaskChangeForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False
    )
    done = forms.BooleanField(label=_("Done"), required=False)

    def __init__(self, *args: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignees  # type: ignore[attr-defined]


class AssignWorkerForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Case worker"), queryset=User.objects.none())

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["worker"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.username
        )


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
