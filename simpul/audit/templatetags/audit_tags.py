"""Audit entries in words: the action's label and the kind of record, never the codes."""

from django import template
from django.apps import apps

from simpul.audit import catalogue

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return catalogue.label(code)


@register.filter
def record_label(record_type: str) -> str:
    """'migration.departure' -> the model's verbose name in the active language."""
    if not record_type:
        return "—"
    try:
        model = apps.get_model(record_type)
    except (LookupError, ValueError):
        return record_type
    return str(model._meta.verbose_name)
