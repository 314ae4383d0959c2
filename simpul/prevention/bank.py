"""The knowledge-test question bank: versioned JSON files of questions in Bahasa Indonesia.

Authors list the correct option first; the loader shuffles each question's options with a seed
made of its code, so the correct letter varies on the printed sheet but never changes between
loads (questions marked `keep_order`, e.g. Benar/Salah, stay as written).
"""

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simpul.prevention.models import OPTION_LETTERS, Topic

DATA_DIR = Path(__file__).resolve().parent / "data"
STARTER_BANK = DATA_DIR / "question_bank_2025_1.json"


@dataclass(frozen=True)
class BankQuestion:
    code: str
    topic: str
    text: str
    options: list[str]
    correct: int
    explanation: str
    source: str
    bank_version: str
    language: str


def read_bank(path: Path = STARTER_BANK) -> list[BankQuestion]:
    """Parse and check a bank file; ValueError naming the first bad question."""
    data = json.loads(path.read_text(encoding="utf-8"))
    version = str(data["bank_version"])
    language = str(data.get("language", "id"))
    seen: set[str] = set()
    questions = []
    for raw in data["questions"]:
        questions.append(_question(raw, version, language, seen))
    return questions


def _question(raw: dict[str, Any], version: str, language: str, seen: set[str]) -> BankQuestion:
    code = str(raw["code"])
    if code in seen:
        raise ValueError(f"{code}: duplicate code")
    seen.add(code)
    if raw["topic"] not in Topic.values:
        raise ValueError(f"{code}: unknown topic {raw['topic']!r}")
    options = [str(o) for o in raw["options"]]
    if not 2 <= len(options) <= len(OPTION_LETTERS):
        raise ValueError(f"{code}: needs 2 to {len(OPTION_LETTERS)} options")
    correct = int(raw["correct"])
    if not 0 <= correct < len(options):
        raise ValueError(f"{code}: correct option out of range")
    if not raw.get("keep_order"):
        order = list(range(len(options)))
        random.Random(f"simpul-bank:{code}").shuffle(order)
        options = [options[i] for i in order]
        correct = order.index(correct)
    return BankQuestion(
        code=code,
        topic=raw["topic"],
        text=str(raw["text"]),
        options=options,
        correct=correct,
        explanation=str(raw.get("explanation", "")),
        source=str(raw.get("source", "")),
        bank_version=version,
        language=language,
    )


def load_bank(
    question_model: Any, event_question_model: Any, path: Path = STARTER_BANK
) -> tuple[int, int]:
    """Create new questions and update unused ones (by code). Returns (created, updated).

    A question already used in an event's test is never rewritten (its recorded answers point
    at its options): a revised question needs a new code. Takes the model classes so a data
    migration can pass its historical models.
    """
    created = updated = 0
    for q in read_bank(path):
        fields = {
            "topic": q.topic,
            "language": q.language,
            "text": q.text,
            "options": q.options,
            "correct": q.correct,
            "explanation": q.explanation,
            "source": q.source,
            "bank_version": q.bank_version,
        }
        existing = question_model.objects.filter(code=q.code).first()
        if existing is None:
            question_model.objects.create(code=q.code, active=True, **fields)
            created += 1
            continue
        if all(getattr(existing, name) == value for name, value in fields.items()):
            continue
        if event_question_model.objects.filter(question_id=existing.pk).exists():
            raise ValueError(f"{q.code} is used in a test; give the revised question a new code")
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        updated += 1
    return created, updated
