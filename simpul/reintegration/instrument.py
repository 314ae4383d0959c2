"""A monitoring instrument as data, and its validation on load. Pure: no database, no settings.

An instrument version is one JSON document (shipped in `instruments/`, loaded by a migration or
`simpul load_instrument`)::

    {"code": "rss", "version": 1, "title": {"en": ..., "id": ...},
     "bands": {"low": "0.33", "high": "0.66"},          # low < 0.33 <= medium < 0.66 <= high
     "setback_drop": "0.10",                            # composite fall that is a setback
     "dimensions": [{"key", "label", "weight"}],        # weights sum to 1
     "indicators": [{"key", "dimension", "label", "weight"}],  # per dimension, sum to 1
     "questions": [{"key", "indicator", "text", "safety": bool,
                    "options": [{"key", "label", "score": "0".."1", "negative": bool}]}]}

Numbers are strings read as exact fractions ("1/3", "0.5"), so "weights sum to 1" is exact.
A question's score is its chosen option's score; an indicator is the mean of its questions."""

from collections import Counter
from fractions import Fraction
from typing import Any

LANGUAGES = ("en", "id")


class InstrumentError(ValueError):
    """The instrument document breaks a rule; the message says which."""


def number(value: Any) -> Fraction:
    """An exact number from the document ("1/3", "0.25", 1)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InstrumentError(f"numbers are strings or integers, not {value!r}")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise InstrumentError(f"not a number: {value!r}") from None


def _label(item: dict[str, Any], field: str, where: str) -> None:
    text = item.get(field)
    if not isinstance(text, dict) or any(not str(text.get(lang, "")).strip() for lang in LANGUAGES):
        raise InstrumentError(f"{where}: {field} needs an English and an Indonesian text")


def _unique(items: list[dict[str, Any]], what: str) -> set[str]:
    keys = [str(i.get("key", "")) for i in items]
    if any(not k for k in keys):
        raise InstrumentError(f"every {what} needs a key")
    twice = [k for k, n in Counter(keys).items() if n > 1]
    if twice:
        raise InstrumentError(f"{what} keys used twice: {', '.join(sorted(twice))}")
    return set(keys)


def _weights_sum_to_one(weights: list[Fraction], where: str) -> None:
    if any(w <= 0 for w in weights):
        raise InstrumentError(f"{where}: weights must be positive")
    if sum(weights) != 1:
        raise InstrumentError(f"{where}: weights sum to {sum(weights)}, not 1")


def validate(data: Any) -> dict[str, Any]:
    """The document itself when every rule holds; InstrumentError naming the first broken one."""
    if not isinstance(data, dict):
        raise InstrumentError("an instrument is a JSON object")
    if not str(data.get("code", "")).strip():
        raise InstrumentError("the instrument needs a code")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InstrumentError("the version is a whole number from 1")
    _label(data, "title", "instrument")
    dimensions = list(data.get("dimensions") or [])
    indicators = list(data.get("indicators") or [])
    questions = list(data.get("questions") or [])
    if not dimensions or not indicators or not questions:
        raise InstrumentError("an instrument needs dimensions, indicators and questions")
    dim_keys = _unique(dimensions, "dimension")
    ind_keys = _unique(indicators, "indicator")
    _unique(questions, "question")
    for d in dimensions:
        _label(d, "label", f"dimension {d['key']}")
    _weights_sum_to_one([number(d.get("weight")) for d in dimensions], "dimensions")
    for d in dimensions:
        own = [i for i in indicators if i.get("dimension") == d["key"]]
        if not own:
            raise InstrumentError(f"dimension {d['key']} has no indicator")
        _weights_sum_to_one([number(i.get("weight")) for i in own], f"indicators of {d['key']}")
    for i in indicators:
        if i.get("dimension") not in dim_keys:
            raise InstrumentError(f"indicator {i['key']}: unknown dimension {i.get('dimension')}")
        _label(i, "label", f"indicator {i['key']}")
        if not any(q.get("indicator") == i["key"] for q in questions):
            raise InstrumentError(f"indicator {i['key']} has no question")
    for q in questions:
        where = f"question {q['key']}"
        if q.get("indicator") not in ind_keys:
            raise InstrumentError(f"{where}: unknown indicator {q.get('indicator')}")
        _label(q, "text", where)
        options = list(q.get("options") or [])
        if len(options) < 2:
            raise InstrumentError(f"{where}: at least two answer options")
        _unique(options, f"option of {q['key']}")
        for o in options:
            _label(o, "label", f"{where} option {o['key']}")
            if not 0 <= number(o.get("score")) <= 1:
                raise InstrumentError(f"{where} option {o['key']}: score outside [0, 1]")
        if q.get("safety") and not any(o.get("negative") for o in options):
            raise InstrumentError(f"{where}: a safety question needs a negative answer")
    bands = data.get("bands") or {}
    low, high = number(bands.get("low", "")), number(bands.get("high", ""))
    if not 0 < low < high < 1:
        raise InstrumentError("bands: 0 < low < high < 1")
    if not 0 < number(data.get("setback_drop", "")) <= 1:
        raise InstrumentError("setback_drop is a fall of the composite in (0, 1]")
    return data


def text(item: dict[str, Any], field: str, language: str) -> str:
    """An item's text in the reader's language (Indonesian for any "id…" language)."""
    texts = item[field]
    return str(texts["id"] if language.lower().startswith("id") else texts["en"])
