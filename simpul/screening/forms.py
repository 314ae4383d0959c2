from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.identity.forms import PersonForm
from simpul.screening.models import DecisionOrg, TraffickingStatus
from simpul.screening.questions import GROUPS

NEW_PERSON = "new"


class InterviewForm(forms.Form):
    """Who is screened (a person already on the report, or a new one) and the answers."""

    age_at_act = forms.IntegerField(
        label=_("Age when it happened (as assessed)"),
        min_value=0,
        max_value=110,
        required=False,
        help_text=_("Documents may show a false age: give your own assessment."),
    )

    def __init__(self, *args: Any, persons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), f"{p.code} · {p.masked_name}") for p in persons]
        choices.append((NEW_PERSON, str(_("Someone not yet recorded"))))
        self.fields["subject"] = forms.ChoiceField(
            label=_("Who is screened?"),
            choices=choices,
            widget=forms.RadioSelect,
            initial=choices[0][0],
        )
        self.order_fields(["subject", "age_at_act"])
        self.groups = []
        for code, title, questions in GROUPS:
            names = []
            for qcode, text in questions:
                self.fields[qcode] = forms.BooleanField(label=text, required=False)
                names.append(qcode)
            self.groups.append((code, title, names))

    def answers(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            q: True for _, _, qs in self.groups for q in qs if self.cleaned_data.get(q)
        }
        if self.cleaned_data.get("age_at_act") is not None:
            data["age_at_act"] = self.cleaned_data["age_at_act"]
        return data

    def grouped(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return [(code, title, [self[n] for n in names]) for code, title, names in self.groups]


class NewPersonForm(PersonForm):
    """The person being screened when they are not on the report yet."""

    duplicate_choice = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "p")
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = False


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Trafficking status"), choices=TraffickingStatus.choices)
    decision_org = forms.ChoiceField(
        label=_("Decided by (organisation type)"), choices=DecisionOrg.choices
    )
