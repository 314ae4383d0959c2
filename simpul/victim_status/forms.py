from django import forms
from django.utils.translation import gettext_lazy as _


class StatusLookupForm(forms.Form):
    case_code = forms.CharField(
        label=_("Case code"),
        max_length=20,
        help_text=_("It is on the slip your case worker gave you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    secret = forms.CharField(
        label=_("Secret code"),
        max_length=20,
        help_text=_("The code on the same slip, for example ABCD-EFGH-JKLM."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
