"""The form of one right of one victim. Thin: the action validates."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.rights.actions import RightInput
from simpul.rights.choices import Wanted

_DATE = {"type": "date"}


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d")
    )


class RightForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    informed_on = _date(_("Informed of this right on"))
    wanted = forms.ChoiceField(label=_("Does the victim want it?"), choices=Wanted.choices)
    requested_on = _date(_("Requested on"))
    fulfilled_on = _date(_("Fulfilled on"))
    link = forms.ChoiceField(label=_("Fulfilled by"), required=False)
    note = forms.CharField(
        label=_("Note (kept sealed)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, links: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link"].choices = [("", "—"), *links]  # type: ignore[attr-defined]

    def details(self) -> RightInput:
        d = self.cleaned_data
        return RightInput(
            informed_on=d["informed_on"],
            wanted=d["wanted"],
            requested_on=d["requested_on"],
            fulfilled_on=d["fulfilled_on"],
            link=d["link"],
            note=d["note"],
        )
