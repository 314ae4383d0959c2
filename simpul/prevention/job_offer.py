"""The public "cek tawaran kerja" self-check: rules as data, evaluated without storing anything.

The rule file lists the questions (with their answer options) and the red flags. A flag fires
when any of its `when` answers was given and none of its `unless` answers. Each flag explains
why it matters, what to do, and the rule or modus it rests on (`basis`). Text is held in
Bahasa Indonesia and English; the page shows the active language, falling back to Indonesian.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

RULES_FILE = Path(__file__).resolve().parent / "data" / "job_offer_rules_2025_1.json"

DANGER = "danger"
CAUTION = "caution"
SEVERITY_POINTS = {DANGER: 3, CAUTION: 1}

VERDICT_HIGH = "high"
VERDICT_CAUTION = "caution"
VERDICT_CLEAR = "clear"
VERDICT_INCOMPLETE = "incomplete"
MIN_ANSWERS = 4

Text = dict[str, str]


def localised(text: Text, language: str | None = None) -> str:
    lang = (language or get_language() or "id").split("-")[0]
    return text.get(lang) or text.get("id") or next(iter(text.values()), "")


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Question:
    code: str
    text: Text
    options: tuple[Option, ...]

    def choices(self, language: str | None = None) -> list[tuple[str, str]]:
        return [(o.value, localised(o.label, language)) for o in self.options]


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str
    when: dict[str, tuple[str, ...]]
    unless: dict[str, tuple[str, ...]]
    title: Text
    why: Text
    what_to_do: Text
    basis: str  # shown to the public: the rule or modus the flag rests on
    sources: str  # for maintainers: the seed papers and domain.md sections

    def fires(self, answers: dict[str, str]) -> bool:
        hit = any(answers.get(q) in values for q, values in self.when.items())
        blocked = any(answers.get(q) in values for q, values in self.unless.items())
        return hit and not blocked


@dataclass(frozen=True)
class RuleSet:
    version: str
    valid_from: str
    valid_to: str | None
    questions: tuple[Question, ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class Result:
    flags: list[Flag]
    points: int
    answered: int
    verdict: str

    @property
    def dangers(self) -> list[Flag]:
        return [f for f in self.flags if f.severity == DANGER]

    @property
    def cautions(self) -> list[Flag]:
        return [f for f in self.flags if f.severity == CAUTION]


def _conditions(raw: dict[str, Any], questions: dict[str, Question], code: str) -> dict:
    out: dict[str, tuple[str, ...]] = {}
    for q_code, values in raw.items():
        if q_code not in questions:
            raise ValueError(f"flag {code}: unknown question {q_code!r}")
        known = {o.value for o in questions[q_code].options}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"flag {code}: unknown answers {sorted(unknown)} to {q_code}")
        out[q_code] = tuple(values)
    return out


def parse_rules(data: dict[str, Any]) -> RuleSet:
    questions = {
        q["code"]: Question(
            code=q["code"],
            text=q["text"],
            options=tuple(Option(o["value"], o["label"]) for o in q["options"]),
        )
        for q in data["questions"]
    }
    flags = []
    for f in data["flags"]:
        if f["severity"] not in SEVERITY_POINTS:
            raise ValueError(f"flag {f['code']}: unknown severity {f['severity']!r}")
        flags.append(
            Flag(
                code=f["code"],
                severity=f["severity"],
                when=_conditions(f["when"], questions, f["code"]),
                unless=_conditions(f.get("unless", {}), questions, f["code"]),
                title=f["title"],
                why=f["why"],
                what_to_do=f["what_to_do"],
                basis=f.get("basis", ""),
                sources=f.get("sources", ""),
            )
        )
    return RuleSet(
        version=str(data["version"]),
        valid_from=str(data["valid_from"]),
        valid_to=data.get("valid_to"),
        questions=tuple(questions.values()),
        flags=tuple(flags),
    )


@lru_cache(maxsize=4)
def rules(path: Path = RULES_FILE) -> RuleSet:
    return parse_rules(json.loads(path.read_text(encoding="utf-8")))


def evaluate(rule_set: RuleSet, answers: dict[str, str]) -> Result:
    """The red flags raised by the answers, dangers first. Unknown answers are ignored."""
    valid = {
        q.code: answers[q.code]
        for q in rule_set.questions
        if answers.get(q.code) in {o.value for o in q.options}
    }
    fired = [f for f in rule_set.flags if f.fires(valid)]
    fired.sort(key=lambda f: -SEVERITY_POINTS[f.severity])
    points = sum(SEVERITY_POINTS[f.severity] for f in fired)
    if any(f.severity == DANGER for f in fired):
        verdict = VERDICT_HIGH
    elif fired:
        verdict = VERDICT_CAUTION
    elif len(valid) < MIN_ANSWERS:
        verdict = VERDICT_INCOMPLETE
    else:
        verdict = VERDICT_CLEAR
    return Result(flags=fired, points=points, answered=len(valid), verdict=verdict)
