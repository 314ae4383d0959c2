from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.identity.data import IdentityData
from simpul.regions.forms import RegionField


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    aliases = forms.CharField(
        label=_("Other names or spellings"),
        required=False,
        help_text=_("One per line: nicknames, names on other documents."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    nik = forms.CharField(label=_("NIK"), max_length=24, required=False)
    passport = forms.CharField(label=_("Passport or SPLP number"), max_length=20, required=False)
    birth_date = forms.CharField(
        label=_("Birth date"),
        max_length=10,
        required=False,
        help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY if only that is known."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Unknown")), ("F", _("Female")), ("M", _("Male"))],
    )
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    region = RegionField(label=_("Home village or area"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
