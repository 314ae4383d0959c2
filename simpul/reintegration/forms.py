"""Forms of the reintegration pages. Thin: they collect input for the actions, which validate.
The visit form is built from the instrument version's data (one radio question per item)."""

from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import Agency
from simpul.reintegration import choices
from simpul.reintegration.instrument import text

_DATE = {"type": "date"}


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d")
    )


def agency_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.order_by("name")
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanForm(forms.Form):
    person = forms.ChoiceField(label=_("Victim"), widget=forms.RadioSelect)
    returned_on = date_field(_("Returned home on"))

    def __init__(self, *args: Any, persons: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.persons = {str(p.pk): p for p in persons}
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.code} · {p.masked_name}") for p in persons
        ]


class GoalForm(VersionForm):
    domain = forms.ChoiceField(label=_("Domain"), choices=choices.Domain.choices)
    level = forms.ChoiceField(label=_("Level"), choices=choices.Level.choices)
    text = forms.CharField(
        label=_("Goal"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_agency = agency_field()
    due_on = date_field(_("Due date"))


class GoalStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Status"), choices=choices.GoalStatus.choices)


class ServiceForm(VersionForm):
    kind = forms.ChoiceField(label=_("Service"), choices=choices.ServiceKind.choices)
    responsible_agency = agency_field()
    due_on = date_field(_("Due date"))


class DeliveredForm(VersionForm):
    delivered_on = date_field(_("Delivered on"))


class ReviewForm(VersionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What should change (when returning)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActivateForm(VersionForm):
    start_on = date_field(_("Start date"), required=False)


class VisitForm(VersionForm):
    """One required radio field per question of the instrument version, in its order."""

    done_on = date_field(_("Visited on"))

    def __init__(self, *args: Any, instrument: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("done_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        language = translation.get_language() or "en"
        self.questions = instrument["questions"]
        for q in self.questions:
            self.fields[f"q_{q['key']}"] = forms.ChoiceField(
                label=text(q, "text", language),
                choices=[(o["key"], text(o, "label", language)) for o in q["options"]],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[str, str]:
        return {q["key"]: self.cleaned_data[f"q_{q['key']}"] for q in self.questions}
