"""A region picker: a search box that queries regions:search via HTMX, plus a hidden code.

Usage in a form::

    district = RegionField(levels=[Region.Level.DISTRICT], within="61", label=_("District"))

The page must load htmx and render `{{ form.media }}` (the picker's JS and CSS). The form
posts the region code under the field's name; the visible search text is never submitted.
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.regions import codes
from simpul.regions.models import Region


class RegionPickerWidget(forms.TextInput):
    """`<input type="search">` with an HTMX-filled listbox and a hidden input for the code.

    `levels` and `within` are passed to the search endpoint, so the suggestions match what
    the form field accepts.
    """

    template_name = "regions/widgets/region_picker.html"
    input_type = "search"
    search_url_name = "regions:search"
    trigger = "input changed delay:250ms, search"

    class Media:
        js = ["regions/region-picker.js"]
        css = {"all": ["regions/region-picker.css"]}

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        levels: Iterable[str] | None = None,
        within: str | None = None,
        limit: int | None = None,
    ) -> None:
        super().__init__(attrs)
        self.levels: list[str] = list(levels or [])
        self.within = within
        self.limit = limit

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        code, label = self._code_and_label(value)
        input_id = widget["attrs"].get("id") or f"id_{name}"
        listbox_id = f"{input_id}_results"
        widget["attrs"].update(
            {
                "id": input_id,
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": listbox_id,
                "autocomplete": "off",
                "spellcheck": "false",
                "data-region-picker-input": True,
                # The text that belongs to the code; editing it away clears the code.
                "data-region-picker-label": label,
                "hx-get": reverse(self.search_url_name),
                "hx-trigger": self.trigger,
                "hx-target": f"#{listbox_id}",
                "hx-swap": "innerHTML",
                # Cancel a slower earlier search when the user keeps typing.
                "hx-sync": "this:replace",
                # region-picker.js adds the typed text as "q" before each request.
                "hx-vals": json.dumps(self._search_params()),
            }
        )
        widget.update({"code": code, "label": label, "listbox_id": listbox_id})
        return context

    def _search_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        if self.levels:
            params["level"] = ",".join(self.levels)
        if self.within:
            params["within"] = self.within
        if self.limit:
            params["limit"] = str(self.limit)
        return params

    @staticmethod
    def _code_and_label(value: Any) -> tuple[str, str]:
        """The code for the hidden input and the text to show for it."""
        if isinstance(value, Region):
            return value.code, value.path_name
        code = "" if value is None else str(value)
        if not code:
            return "", ""
        region = Region.objects.filter(code=codes.normalize_code(code) or code).first()
        # An unknown code stays visible so the user sees what was rejected.
        return code, region.path_name if region else code


class RegionField(forms.ModelChoiceField):
    """A Region chosen with RegionPickerWidget; accepts dotted or undotted codes."""

    default_error_messages = {
        "invalid_choice": _("Choose a region from the suggestions."),
    }

    def __init__(
        self,
        queryset: QuerySet[Region] | None = None,
        *,
        levels: Sequence[str] | None = None,
        within: str | None = None,
        **kwargs: Any,
    ) -> None:
        regions = queryset if queryset is not None else Region.objects.all()
        if levels:
            regions = regions.filter(level__in=levels)
        if within:
            regions = regions.filter(Region.subtree_filter("code", within))
        kwargs.setdefault("widget", RegionPickerWidget(levels=levels, within=within))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", None)
        super().__init__(regions, **kwargs)

    def to_python(self, value: Any) -> Region | None:
        if isinstance(value, str):
            value = codes.normalize_code(value) or value.strip()
        return super().to_python(value)
