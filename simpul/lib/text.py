"""Characters no typed or imported text may hold.

NUL and the other C0 and C1 control characters, DEL, and the Unicode direction embeddings,
overrides and isolates (U+202A-U+202E, U+2066-U+2069) have no place in a name, a document
number or a note: they hide or reorder what a reader sees ("Trojan Source") and break exports.
Tab, line feed and carriage return are allowed only where a value may span lines.
"""

import re

_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_SINGLE_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")
_MULTI_LINE = re.compile(f"[{_ALWAYS}]")


def unsafe_character(value: str, *, multiline: bool = False) -> int | None:
    """1-based position of the first forbidden character in `value`, or None."""
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    return found.start() + 1 if found else None
