"""Labels for the codes stored by the migration module (translated at render time)."""

from django import template
from django.db.models import TextChoices

from simpul.migration import codes
from simpul.migration.rules import reason_text

register = template.Library()


@register.filter
def point_name(code: str) -> str:
    point = codes.POINT_BY_CODE.get(code)
    return point.name if point else (code or "—")


def _labels(values: object, choices: type[TextChoices]) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(v, v)) for v in (values if isinstance(values, list) else [])]


@register.filter
def flag_labels(values: object) -> list[str]:
    return _labels(values, codes.RedFlag)


@register.filter
def problem_labels(values: object) -> list[str]:
    return _labels(values, codes.Problem)


@register.filter
def document_labels(values: object) -> list[str]:
    return _labels(values, codes.CheckedDocument)


@register.filter
def task_labels(values: object) -> list[str]:
    return _labels(values, codes.TeamTask)


@register.filter
def reason(item: dict[str, object]) -> str:
    params = item.get("params")
    return reason_text(str(item.get("code", "")), params if isinstance(params, dict) else None)


@register.filter
def document_label(code: str) -> str:
    req = codes.DOCUMENT_BY_CODE.get(code)
    return str(req.label) if req else code


@register.filter
def document_basis(code: str) -> str:
    req = codes.DOCUMENT_BY_CODE.get(code)
    return req.legal_basis if req else ""


@register.filter
def status_label(value: str) -> str:
    return str(dict(codes.ProceduralStatus.choices).get(value, value))


@register.filter
def country_label(value: str) -> str:
    return str(dict(codes.Country.choices).get(value, value or "—"))


@register.filter
def outcome_label(value: str) -> str:
    return str(dict(codes.ScreeningOutcome.choices).get(value, value))


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, 0) if isinstance(mapping, dict) else 0
