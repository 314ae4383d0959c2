"""Filters every page may use so that no raw code, `None` or odd date reaches the reader.

- `{{ value|day }}`: a date (or the local date of a timestamp) in the one date format of the
  reader's language (Django's DATE_FORMAT for that language); "—" when empty.
- `{{ value|moment }}`: a timestamp in local time, in the one date-and-time format of the
  language (DATETIME_FORMAT); "—" when empty.
- `{{ code|country_name }}`: an ISO 3166 alpha-2 code as the country's name.
- `{{ value|dash }}`: "—" for None or an empty string, the value otherwise.
- `{{ code|choice_label:choices }}`: the label of a code in a choices class or list.
"""

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import formats, timezone

from simpul.web.countries import country_name as _country_name

register = template.Library()

DASH = "—"


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`{{ forms|get_item:step }}`: look a key up in a mapping from a template."""
    return mapping[key]


@register.filter
def day(value: date | datetime | None) -> str:
    if value in (None, ""):
        return DASH
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return str(value)
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def moment(value: datetime | date | None) -> str:
    if value in (None, ""):
        return DASH
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    return day(value)


@register.filter
def country_name(value: str | None) -> str:
    return _country_name(value)


@register.filter
def dash(value: Any) -> Any:
    return DASH if value is None or value == "" else value


@register.filter
def choice_label(value: Any, choices: Any) -> str:
    """The label of `value` in `choices` (a TextChoices class or a list of pairs)."""
    if value is None or value == "":
        return DASH
    pairs = getattr(choices, "choices", choices)
    return str(dict(pairs).get(value, value))
