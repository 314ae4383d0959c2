"""Forms of the justice pages; each validates input and builds its action's input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.justice.actions import EventInput, PerpetratorInput, SentenceInput
from simpul.justice.codes import (
    AdditionalPenalty,
    AgeBand,
    Aggravation,
    EventCode,
    Law,
    LicenceStatus,
    Nationality,
    PerpetratorKind,
    PerpetratorRole,
    ProtectiveMeasure,
    Regime,
    SanctionKind,
    Sex,
    StopReason,
    VerdictOutcome,
    VictimRelation,
)

_DATE = forms.DateInput(attrs={"type": "date"})
_BLANK = [("", "—")]


class OpenProceedingForm(forms.Form):
    reported_on = forms.DateField(label=_("Date of the police report"), widget=_DATE)
    police_report_number = forms.CharField(label=_("Police report number"), max_length=80)
    regime = forms.ChoiceField(
        label=_("Procedural regime"),
        choices=[("", _("By the report date")), *list(Regime.choices)],
        required=False,
    )
    regime_reason = forms.CharField(
        label=_("Reason for another regime"), max_length=300, required=False
    )


class EventForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.ChoiceField(label=_("Event"), choices=EventCode.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=_DATE)
    document_number = forms.CharField(label=_("Document number"), max_length=80, required=False)
    stop_reason = forms.ChoiceField(
        label=_("Why it stopped"), choices=_BLANK + list(StopReason.choices), required=False
    )
    verdict_outcome = forms.ChoiceField(
        label=_("Verdict outcome"), choices=_BLANK + list(VerdictOutcome.choices), required=False
    )
    victim_testified = forms.BooleanField(label=_("The victim testified"), required=False)
    protective_measures = forms.MultipleChoiceField(
        label=_("Protective measures"),
        choices=ProtectiveMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_hearing_on = forms.DateField(label=_("Next hearing"), widget=_DATE, required=False)
    note = forms.CharField(
        label=_("Instructions or note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: object, codes: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if codes is not None:
            self.fields["code"].choices = [(c, EventCode(c).label) for c in codes]  # type: ignore[attr-defined]

    def to_input(self) -> EventInput:
        d = self.cleaned_data
        return EventInput(
            code=d["code"],
            occurred_on=d["occurred_on"],
            document_number=d["document_number"],
            stop_reason=d["stop_reason"],
            verdict_outcome=d["verdict_outcome"],
            victim_testified=d["victim_testified"],
            protective_measures=list(d["protective_measures"]),
            next_hearing_on=d["next_hearing_on"],
            note=d["note"],
        )


class ProsecutorForm(forms.Form):
    prosecutor: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Prosecutor"), queryset=User.objects.none()
    )

    def __init__(self, *args: object, prosecutors: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["prosecutor"].queryset = prosecutors  # type: ignore[attr-defined]
        self.fields["prosecutor"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class DefendantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PerpetratorKind.choices)
    full_name = forms.CharField(
        label=_("Full name (kept in the vault)"), max_length=200, required=False
    )
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    nib = forms.CharField(label=_("Business number (NIB)"), max_length=20, required=False)
    licence_number = forms.CharField(
        label=_("Placement licence number"), max_length=60, required=False
    )
    licence_status = forms.ChoiceField(label=_("Licence status"), choices=LicenceStatus.choices)
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=Nationality.choices, initial=Nationality.ID
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    roles = forms.MultipleChoiceField(
        label=_("Role in the process"),
        choices=PerpetratorRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complicit_official = forms.BooleanField(label=_("Complicit official"), required=False)
    office_held = forms.CharField(label=_("Office held"), max_length=120, required=False)

    def to_input(self) -> PerpetratorInput:
        d = self.cleaned_data
        return PerpetratorInput(
            kind=d["kind"],
            full_name=d["full_name"],
            company_name=d["company_name"],
            nib=d["nib"],
            licence_number=d["licence_number"],
            licence_status=d["licence_status"],
            nationality=d["nationality"],
            sex=d["sex"],
            age_band=d["age_band"],
            roles=list(d["roles"]),
            complicit_official=d["complicit_official"],
            office_held=d["office_held"],
        )


class ChargeForm(forms.Form):
    defendant = forms.ChoiceField(label=_("Defendant"))
    law = forms.ChoiceField(label=_("Law"), choices=Law.choices)
    article = forms.CharField(
        label=_("Article"), max_length=40, help_text=_("For UU 21/2007: 2_1, 2_2, 3, 4 ... 24")
    )
    aggravations = forms.MultipleChoiceField(
        label=_("Aggravating circumstances"),
        choices=Aggravation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, defendants: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["defendant"].choices = defendants  # type: ignore[attr-defined]


class SentenceForm(forms.Form):
    charge = forms.ChoiceField(label=_("Charge"))
    prison_months = forms.IntegerField(label=_("Prison (months)"), min_value=0, required=False)
    life = forms.BooleanField(label=_("Life imprisonment"), required=False)
    fine = forms.IntegerField(label=_("Fine (Rp)"), min_value=0, required=False)
    substitute_detention_months = forms.IntegerField(
        label=_("Substitute detention (months)"), min_value=0, required=False
    )
    additional_penalties = forms.MultipleChoiceField(
        label=_("Additional penalties"),
        choices=AdditionalPenalty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    restitution_ordered = forms.BooleanField(label=_("Restitution ordered"), required=False)
    restitution_amount = forms.IntegerField(
        label=_("Restitution (Rp)"), min_value=0, required=False
    )

    def __init__(self, *args: object, charges: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["charge"].choices = charges  # type: ignore[attr-defined]

    def to_input(self) -> SentenceInput:
        d = self.cleaned_data
        return SentenceInput(
            prison_months=d["prison_months"],
            life=d["life"],
            fine=d["fine"],
            substitute_detention_months=d["substitute_detention_months"],
            additional_penalties=list(d["additional_penalties"]),
            restitution_ordered=d["restitution_ordered"],
            restitution_amount=d["restitution_amount"],
        )


class SanctionForm(forms.Form):
    perpetrator = forms.ChoiceField(label=_("Company"))
    kind = forms.ChoiceField(label=_("Sanction"), choices=SanctionKind.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decided_on = forms.DateField(label=_("Decided on"), widget=_DATE)
    effective_from = forms.DateField(label=_("From"), widget=_DATE, required=False)
    effective_to = forms.DateField(label=_("Until"), widget=_DATE, required=False)

    def __init__(self, *args: object, companies: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["perpetrator"].choices = companies  # type: ignore[attr-defined]


class VictimRelationForm(forms.Form):
    perpetrator = forms.ChoiceField(label=_("Perpetrator"))
    victim = forms.ChoiceField(label=_("Victim"))
    relation = forms.ChoiceField(label=_("Relation to the victim"), choices=VictimRelation.choices)

    def __init__(
        self,
        *args: object,
        perpetrators: list[tuple[str, str]],
        victims: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["perpetrator"].choices = perpetrators  # type: ignore[attr-defined]
        self.fields["victim"].choices = victims  # type: ignore[attr-defined]


# A new register entry is active, revoked or without a licence; a suspension is a sanction.
_REGISTER_STATUSES = [
    (v, label) for v, label in LicenceStatus.choices if v != LicenceStatus.SUSPENDED
]


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    nib = forms.CharField(label=_("Business number (NIB)"), max_length=20, required=False)
    licence_number = forms.CharField(
        label=_("Placement licence number (SIP3MI)"), max_length=60, required=False
    )
    licence_status = forms.ChoiceField(
        label=_("Licence status"), choices=_REGISTER_STATUSES, initial=LicenceStatus.ACTIVE
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where the entry comes from, e.g. the ministry's list of a given date."),
    )


class CompanySanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sanction"), choices=SanctionKind.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decided_on = forms.DateField(label=_("Decided on"), widget=_DATE)
    effective_from = forms.DateField(label=_("From"), widget=_DATE, required=False)
    effective_to = forms.DateField(label=_("Until"), widget=_DATE, required=False)
