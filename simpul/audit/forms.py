from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.audit.log import SEARCHED_MAX_LENGTH


class SearchedLookupForm(forms.Form):
    identifier = forms.CharField(
        label=_("Searched identifier (NIK, phone, passport or name)"),
        max_length=SEARCHED_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SearchedRevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see what was searched?"),
        min_length=10,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
