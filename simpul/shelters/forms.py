"""Forms of the shelter pages. Thin: they collect input for the actions, which validate."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import Agency
from simpul.regions.forms import RegionField
from simpul.regions.models import Region
from simpul.shelters import codes
from simpul.shelters.models import Shelter

_DATE = {"type": "date"}


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d")
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ShelterDetailsForm(VersionForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=codes.ShelterKind.choices)
    region = RegionField(label=_("Regency or city"), levels=[Region.Level.REGENCY])
    address = forms.CharField(
        label=_("New exact address (kept sealed)"),
        help_text=_("Leave empty to keep the sealed address."),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accepts_sex = forms.ChoiceField(label=_("Accepts"), choices=codes.AcceptsSex.choices)
    accepts_children = forms.BooleanField(label=_("Accepts children"), required=False)
    min_age = forms.IntegerField(
        label=_("Youngest age"), min_value=0, max_value=120, required=False
    )
    max_age = forms.IntegerField(label=_("Oldest age"), min_value=0, max_value=120, required=False)


class ShelterForm(ShelterDetailsForm):
    """Registering: the details, the operating agency and the first bed inventory."""

    field_order = [
        "name",
        "kind",
        "operator_agency",
        "region",
        "address",
        "accepts_sex",
        "accepts_children",
        "min_age",
        "max_age",
        "beds",
        "blocked",
        "blocked_reason",
    ]
    operator_agency = forms.ModelChoiceField(
        label=_("Operating agency"), queryset=Agency.objects.none(), empty_label=None
    )
    address = forms.CharField(
        label=_("Exact address (kept sealed)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    beds = forms.IntegerField(label=_("Beds"), min_value=0, max_value=10000)
    blocked = forms.IntegerField(label=_("Blocked beds"), min_value=0, max_value=10000, initial=0)
    blocked_reason = forms.CharField(
        label=_("Why beds are blocked"), max_length=200, required=False
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["operator_agency"].queryset = agencies  # type: ignore[attr-defined]


class InventoryForm(forms.Form):
    beds = forms.IntegerField(label=_("Beds"), min_value=0, max_value=10000)
    blocked = forms.IntegerField(label=_("Blocked beds"), min_value=0, max_value=10000, initial=0)
    blocked_reason = forms.CharField(
        label=_("Why beds are blocked"), max_length=200, required=False
    )
    valid_from = date_field(_("Valid from"), required=False)


class RevealAddressForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the address?"),
        min_length=10,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PlanFromReferralForm(forms.Form):
    shelter: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Shelter"), queryset=Shelter.objects.none(), empty_label=None
    )
    planned_on = date_field(_("Planned arrival"), required=False)

    def __init__(self, *args: Any, shelters: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shelter"].queryset = shelters  # type: ignore[attr-defined]


class CheckInForm(VersionForm):
    consent_basis = forms.ChoiceField(
        label=_("Consent to the stay given by"),
        choices=[("", "—"), *codes.ConsentBasis.choices],
        required=False,
    )
    overflow_reason = forms.CharField(
        label=_("Overflow reason (only when the shelter is full)"), max_length=200, required=False
    )


class CheckOutForm(VersionForm):
    exit_reason = forms.ChoiceField(label=_("Exit reason"), choices=codes.ExitReason.choices)


class CancelForm(VersionForm):
    reason = forms.CharField(label=_("Why cancelled"), max_length=200)


class ExtensionForm(VersionForm):
    until = date_field(_("Extended until"))
    reason = forms.CharField(label=_("Why"), max_length=300)


class RestrictionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Restriction"), choices=codes.RestrictionKind.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200)
    review_on = date_field(_("Review on"))


class DocumentForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document"), choices=codes.DocumentType.choices)
    number = forms.CharField(
        label=_("Number (stored only as a keyed hash)"), max_length=40, required=False
    )
    consent = forms.BooleanField(label=_("The person agreed to the safekeeping"), required=False)


class HandoverForm(forms.Form):
    """The berita acara serah terima: parties, escorts, date and place, persons, documents."""

    to_agency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Receiving agency (UPTD PPA or Dinas Sosial of the origin regency)"),
        queryset=Agency.objects.none(),
    )
    handover_on = date_field(_("Date of the handover"))
    place = forms.CharField(label=_("Place of the handover"), max_length=200)
    escort_users: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Escorting officers"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    escorts = forms.CharField(
        label=_("Other escorts (names, kept sealed)"), max_length=300, required=False
    )
    person_ids = forms.MultipleChoiceField(
        label=_("Other victims of the same case handed over"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    custody_ids = forms.MultipleChoiceField(
        label=_("Documents held for safekeeping handed over"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_documents = forms.MultipleChoiceField(
        label=_("Other documents handed over"),
        choices=codes.DocumentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_documents_note = forms.CharField(
        label=_("Note on the documents (kept sealed)"), max_length=300, required=False
    )
    return_event = forms.ChoiceField(label=_("Return (border record)"), required=False)

    def __init__(
        self,
        *args: Any,
        agencies: Any,
        escorts: Any,
        persons: list[tuple[str, str]],
        documents: list[tuple[str, str]],
        returns: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["escort_users"].queryset = escorts  # type: ignore[attr-defined]
        self.fields["escort_users"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.username
        )
        self.fields["person_ids"].choices = persons  # type: ignore[attr-defined]
        self.fields["custody_ids"].choices = documents  # type: ignore[attr-defined]
        self.fields["return_event"].choices = [("", "—"), *returns]  # type: ignore[attr-defined]
        for name, choices in (("person_ids", persons), ("custody_ids", documents)):
            if not choices:
                del self.fields[name]
        if not returns:
            del self.fields["return_event"]
