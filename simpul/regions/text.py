"""Text normalisation for region names and search input; no database access."""

import unicodedata

# Typographic apostrophes occur in official names ("Regapu\u2019u"); users type "'".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# Regency and city names carry these words in front of the place name. A user who types
# "Sambas" or "Tanjungpinang" means "Kabupaten Sambas" / "Kota Tanjung Pinang" exactly, so
# ranking treats the name without them as an exact match too. Compact (space-free) form.
NAME_PREFIXES: tuple[str, ...] = (
    "kabupatenadministrasi",
    "kotaadministrasi",
    "kabupaten",
    "kota",
)


def clean_name(value: str) -> str:
    """A name for storage and display: surrounding and repeated whitespace removed.

    A few source names end with a space ("Jurang Jaler "); the letters are never changed.
    """
    return " ".join(value.split())


def search_text(value: str) -> str:
    """Lowercase, accents stripped, apostrophes unified, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def compact_text(value: str) -> str:
    """search_text() with everything but letters and digits removed: "kotatanjungpinang".

    Lets "Tanjungpinang" find "Kota Tanjung Pinang" and "regapuu" find "Regapu\u2019u".
    """
    return "".join(ch for ch in search_text(value) if ch.isalnum())
