from collections.abc import Collection
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import Agency
from simpul.accounts.roles import AgencyType, Role
from simpul.regions.forms import RegionField


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


class MemberForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only, e.g. nama.kabupaten"),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: Collection[str] = (), **kwargs: Any) -> None:
        """`roles`: the roles this administrator may give here (the action checks again)."""
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        if isinstance(role, forms.ChoiceField):
            role.choices = [c for c in Role.choices if c[0] in roles]


class AgencyForm(forms.Form):
    """A system administrator's registration or edit of an agency (the action checks again)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    agency_type = forms.ChoiceField(label=_("Type"), choices=AgencyType.choices)
    jurisdiction = RegionField(
        label=_("Jurisdiction"),
        required=False,
        help_text=_("The region the agency serves. Leave empty for a national agency."),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Agency.objects.filter(is_active=True).order_by("name")
        if agency is not None:
            parents = parents.exclude(pk=agency.pk)
        parent = self.fields["parent"]
        if isinstance(parent, forms.ModelChoiceField):
            parent.queryset = parents


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    agency_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *AgencyType.choices]
    )
    region = RegionField(label=_("Jurisdiction within"), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )
