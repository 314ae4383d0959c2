"""Possible duplicates in words: why a person may be the same one (which fields agree)."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

REASON_LABELS = {
    "nik": _("same NIK"),
    "nik_typo": _("NIK differs by a typo"),
    "passport": _("same passport"),
    "passport_typo": _("passport number differs by a typo"),
    "phone": _("same phone"),
    "name": _("same name"),
    "name_similar": _("similar name"),
    "birth_date": _("same birth date"),
    "birth_date_typo": _("birth date one digit off"),
    "birth_year": _("same birth year"),
    "regency": _("same regency"),
}


@register.filter
def reason_label(code: str) -> str:
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else "—"
