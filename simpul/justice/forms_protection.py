"""Forms of the victim's side of a proceeding: restitution steps and LPSK protection."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.justice.actions import LpskInput, RestitutionInput
from simpul.justice.codes import (
    LpskApplicant,
    LpskChangeKind,
    LpskDecision,
    LpskProtection,
    RestitutionChannel,
    RestitutionStep,
)

_DATE = forms.DateInput(attrs={"type": "date"})
_BLANK = [("", "—")]


def _rupiah(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, required=False)


class _VictimChoice(forms.Form):
    victim = forms.ChoiceField(label=_("Victim"))

    def __init__(self, *args: object, victims: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["victim"].choices = victims  # type: ignore[attr-defined]


class RestitutionForm(_VictimChoice):
    step = forms.ChoiceField(label=_("Step"), choices=RestitutionStep.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=_DATE)
    amount = _rupiah(_("Amount (Rp)"))
    lost_income = _rupiah(_("Awarded for lost income (Rp)"))
    suffering = _rupiah(_("Awarded for suffering (Rp)"))
    medical = _rupiah(_("Awarded for medical and psychological costs (Rp)"))
    other_loss = _rupiah(_("Awarded for other loss (Rp)"))
    channel = forms.ChoiceField(
        label=_("Filed through"), choices=_BLANK + list(RestitutionChannel.choices), required=False
    )
    reference = forms.CharField(label=_("Reference number"), max_length=80, required=False)

    def to_input(self) -> RestitutionInput:
        d = self.cleaned_data
        heads = {
            k: int(d[k]) for k in ("lost_income", "suffering", "medical", "other_loss") if d[k]
        }
        return RestitutionInput(
            step=d["step"],
            occurred_on=d["occurred_on"],
            amount=d["amount"],
            heads=heads if d["step"] == RestitutionStep.AWARDED else {},
            channel=d["channel"],
            reference=d["reference"],
        )


class LpskApplyForm(_VictimChoice):
    applied_on = forms.DateField(label=_("Applied on"), widget=_DATE)
    applicant = forms.ChoiceField(label=_("Applicant"), choices=LpskApplicant.choices)
    protections = forms.MultipleChoiceField(
        label=_("Protections asked for"),
        choices=LpskProtection.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def to_input(self) -> LpskInput:
        d = self.cleaned_data
        return LpskInput(d["applied_on"], d["applicant"], list(d["protections"]))


class _ApplicationChoice(forms.Form):
    application = forms.ChoiceField(label=_("Application"))

    def __init__(
        self, *args: object, applications: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["application"].choices = applications  # type: ignore[attr-defined]


class LpskDecisionForm(_ApplicationChoice):
    decision = forms.ChoiceField(label=_("Decision"), choices=LpskDecision.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=_DATE)
    decision_number = forms.CharField(label=_("Decision number"), max_length=80, required=False)
    granted = forms.MultipleChoiceField(
        label=_("Protections granted"),
        choices=LpskProtection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    until = forms.DateField(label=_("Protected until"), widget=_DATE, required=False)


class LpskChangeForm(_ApplicationChoice):
    kind = forms.ChoiceField(label=_("Change"), choices=LpskChangeKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=_DATE)
    protections = forms.MultipleChoiceField(
        label=_("Protections added or taken away"),
        choices=LpskProtection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    until = forms.DateField(label=_("New end date"), widget=_DATE, required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=80, required=False)
