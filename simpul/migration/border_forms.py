"""Forms of the border pages: returns, screening, Imigrasi's decisions, list import."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.migration import codes
from simpul.migration.actions import DecisionInput, ReturnInput, ScreeningInput
from simpul.migration.forms import IdentityFields, date_field, multi_choice, point_choices
from simpul.regions.forms import RegionField
from simpul.regions.models import Region


class ReturnForm(IdentityFields):
    home_region = RegionField(
        label=_("Home village or area"),
        levels=[Region.Level.VILLAGE, Region.Level.DISTRICT, Region.Level.REGENCY],
        required=False,
    )
    returned_on = date_field(_("Arrival date"))
    entry_point = forms.ChoiceField(label=_("Entry point"), choices=point_choices)
    kind = forms.ChoiceField(label=_("Kind of return"), choices=codes.ReturnKind.choices)
    from_country = forms.ChoiceField(
        label=_("Returned from"), choices=codes.Country.choices, initial=codes.Country.MY
    )
    travel_document = forms.ChoiceField(
        label=_("Travel document"), choices=codes.ReturnDocument.choices
    )
    source_depot = forms.CharField(
        label=_("Depot or detention centre"), max_length=120, required=False
    )
    consulate = forms.CharField(label=_("Consulate or embassy"), max_length=120, required=False)
    receiving_team = forms.CharField(label=_("Receiving team"), max_length=120, required=False)
    shelter = forms.CharField(label=_("Shelter"), max_length=120, required=False)
    onward_region = RegionField(label=_("Onward destination"), required=False)
    escort = forms.CharField(label=_("Escorted home by"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()
        self.fields["source_depot"].widget.attrs["list"] = "known-depots"
        self.fields["consulate"].widget.attrs["list"] = "known-consulates"

    def return_input(self) -> Any:
        d = self.cleaned_data
        return ReturnInput(
            returned_on=d["returned_on"],
            entry_point=d["entry_point"],
            travel_document=d["travel_document"],
            kind=d["kind"],
            from_country=d["from_country"],
            source_depot=d["source_depot"],
            consulate=d["consulate"],
            receiving_team=d["receiving_team"],
            shelter=d["shelter"],
            onward_region=d["onward_region"],
            escort=d["escort"],
        )


class ScreeningFields(forms.Form):
    red_flags = multi_choice(_("Red flags found"), codes.RedFlag.choices)
    documents_checked = multi_choice(_("Documents checked"), codes.CheckedDocument.choices)
    tasks = multi_choice(_("What the team did"), codes.TeamTask.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=codes.ScreeningOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Encrypted."),
    )
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)

    def screening_input(self, **extra: Any) -> Any:
        d = self.cleaned_data
        return ScreeningInput(
            outcome=d["outcome"],
            tasks=d["tasks"],
            documents_checked=d["documents_checked"],
            red_flags=d["red_flags"],
            note=d["note"],
            immediate_danger=d["immediate_danger"],
            **extra,
        )


class ScreeningForm(IdentityFields, ScreeningFields):
    home_region = RegionField(label=_("Home village or area"), required=False)
    crossing_point = forms.ChoiceField(label=_("Post"), choices=point_choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=codes.Direction.choices)
    destination_country = forms.ChoiceField(
        label=_("Destination"), choices=[("", "—"), *codes.Country.choices], required=False
    )


class DecisionForm(IdentityFields):
    home_region = RegionField(label=_("Home village or area"), required=False)
    kind = forms.ChoiceField(label=_("Decision"), choices=codes.ImmigrationDecisionKind.choices)
    decided_on = date_field(_("Date"))
    office = forms.CharField(label=_("Immigration office or checkpoint"), max_length=120)
    crossing_point = forms.ChoiceField(label=_("Checkpoint"), choices=point_choices, required=False)
    destination_country = forms.ChoiceField(
        label=_("Intended destination"), choices=[("", "—"), *codes.Country.choices], required=False
    )
    reasons = multi_choice(_("Reasons (modus)"), codes.RedFlag.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def decision_input(self) -> Any:
        d = self.cleaned_data
        return DecisionInput(
            kind=d["kind"],
            decided_on=d["decided_on"],
            office=d["office"],
            crossing_point=d["crossing_point"],
            destination_country=d["destination_country"],
            reasons=d["reasons"],
            note=d["note"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Deportee list (CSV or XLSX)"),
        help_text=_("Header row first. Columns are listed in the documentation."),
    )
    entry_point = forms.ChoiceField(
        label=_("Entry point for rows that name none"), choices=point_choices, required=False
    )
    list_reference = forms.CharField(
        label=_("List reference (e.g. the consulate's letter number)"),
        max_length=120,
        required=False,
    )
    encoding = forms.ChoiceField(
        label=_("Character encoding of a CSV file"),
        choices=[("utf-8", "UTF-8"), ("cp1252", _("Windows-1252 (older Excel on Windows)"))],
        initial="utf-8",
        required=False,
        help_text=_("A byte that is not valid in this encoding refuses the file."),
    )
