from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9]*",
            }
        ),
    )


class AgreementForm(forms.Form):
    accept = forms.BooleanField(
        label=_(
            "I will keep the identity of victims and witnesses confidential, use this system "
            "only for my duties, and understand that disclosing an identity is a crime "
            "(UU 21/2007 Pasal 24 and 44)."
        ),
        required=True,
        error_messages={"required": _("You must accept the agreement to continue.")},
    )
