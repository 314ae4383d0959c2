"""Forms of the linkage pages (thin: the actions validate)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.linkage.models import Decision, RunMode


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Are these the same person?"), choices=Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What decided it, e.g. a document seen. Kept sealed."),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see these identities?"),
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RunForm(forms.Form):
    mode = forms.ChoiceField(label=_("Run"), choices=RunMode.choices, initial=RunMode.INCREMENTAL)
    engine = forms.ChoiceField(
        label=_("Engine"),
        choices=[("duckdb", "DuckDB"), ("spark", "Spark")],
        initial="duckdb",
    )


class AlertForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("confirm", _("Same person")), ("dismiss", _("Not the same person"))]
    )
