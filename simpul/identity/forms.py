from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.identity.data import IdentityData
from simpul.identity.validation import (
    identity_length_errors,
    limited_field,
)
from simpul.regions.forms import RegionField


class PersonForm(forms.Form):
    full_name = limited_field("full_name", label=_("Full name"))
    aliases = limited_field(
        "aliases",
        label=_("Other names or spellings"),
        required=False,
        help_text=_("One per line: nicknames, names on other documents."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    nik = limited_field("nik", label=_("NIK"), required=False)
    passport = limited_field("passport", label=_("Passport or SPLP number"), required=False)
    birth_date = limited_field(
        "birth_date",
        label=_("Birth date"),
        required=False,
        help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY if only that is known."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Unknown")), ("F", _("Female")), ("M", _("Male"))],
    )
    phone = limited_field("phone", label=_("Phone"), required=False)
    address = limited_field(
        "address", label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    region = RegionField(label=_("Home village or area"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_aliases(self) -> str:
        # The limit for all other names together is the field's; each one is also a name.
        value: str = self.cleaned_data["aliases"]
        errors = identity_length_errors(IdentityData(full_name="", aliases=value.splitlines()))
        if errors:
            raise forms.ValidationError(errors["aliases"])
        return value

    def identity(self) -> IdentityData:
        d = self.cleaned_data
        return IdentityData(
            full_name=d["full_name"],
            aliases=[a for a in d["aliases"].splitlines() if a.strip()],
            nik=d["nik"],
            passport=d["passport"],
            birth_date=d["birth_date"],
            sex=d["sex"],
            phone=d["phone"],
            address=d["address"],
        )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this identity?"),
        min_length=10,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class IdentityCorrectionForm(PersonForm):
    """The identity fields of a recorded person, with the version the editor saw."""

    region = None  # type: ignore[assignment]  # the person's area is not part of the identity
