"""The data every installation starts with: the starter question bank and the default risk
indicators. Loaded by migration 0002; idempotent, so it can run again (e.g. after a test flush
or before loading demo data)."""

from typing import Any

from django.utils import translation

from simpul.prevention.bank import STARTER_BANK, load_bank
from simpul.prevention.models import EventQuestion, Question, RiskIndicator
from simpul.prevention.risk import DEFAULT_INDICATORS


def ensure_starter_data(
    question_model: Any = None, event_question_model: Any = None, indicator_model: Any = None
) -> None:
    """Create what is missing. Model classes are parameters so the migration can pass its
    historical models; by default the current ones are used."""
    if question_model is None:
        question_model, event_question_model, indicator_model = (
            Question,
            EventQuestion,
            RiskIndicator,
        )
    load_bank(question_model, event_question_model, STARTER_BANK)
    with translation.override("en"):
        for position, d in enumerate(DEFAULT_INDICATORS):
            indicator_model.objects.get_or_create(
                code=d.code,
                defaults={
                    "label": str(d.label),
                    "description": str(d.description),
                    "unit": str(d.unit),
                    "source_kind": d.source_kind,
                    "weight": d.weight,
                    "scale_min": d.scale_min,
                    "scale_max": d.scale_max,
                    "higher_is_riskier": d.higher_is_riskier,
                    "per_thousand": d.per_thousand,
                    "active": True,
                    "position": position,
                },
            )
