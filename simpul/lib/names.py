"""Normalise Indonesian personal names so that spelling variants of one name compare equal.

Victims' records come from police reports, shelters, consulates and court files, and each
source writes the same person differently: old spelling ("Soeharto"), abbreviations ("M.",
"Moh."), religious or noble titles ("Hj.", "Raden"), academic degrees ("S.H."), spaced
initials ("D O D I") and patronymics ("binti Abdullah"). The rules here follow
docs/domain.md section 7. They are deliberately deterministic and conservative: they only
remove differences that carry no identity, and fuzzy matching is left to later stages
(see `soundex_id`) and to human review.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from simpul.lib.name_words import (
    BATAK_MARGA,
    BORU_MARKERS,
    DEGREE_TITLES,
    MUHAMMAD_VARIANTS,
    PATRONYMIC_MARKERS,
    PREFIX_COMPOUNDS,
    PREFIX_TITLES,
    TITLES,
    WEAK_FIRST_TOKENS,
    WEAK_TOKENS,
)

__all__ = [
    "BATAK_MARGA",
    "DEGREE_TITLES",
    "MUHAMMAD_VARIANTS",
    "PATRONYMIC_MARKERS",
    "PREFIX_TITLES",
    "TITLES",
    "WEAK_FIRST_TOKENS",
    "WEAK_TOKENS",
    "ParsedName",
    "name_key_variants",
    "name_tokens",
    "normalise_name",
    "parse_name",
    "soundex_id",
]


# Apostrophes are dropped rather than treated as separators: "Ma'ruf" is one word.
_APOSTROPHES = dict.fromkeys(map(ord, "'`\u00b4\u02b9\u02bb\u02bc\u2018\u2019\u2032"))

# Old spelling only shows reliably through these digraphs; a plain "j" is ambiguous
# ("Janti" is old for Yanti, "Joko" is modern), so j -> y needs one of them as context.
_OLD_SPELLING_CONTEXT = re.compile(r"oe|dj|tj")
_OLD_SPELLING = re.compile(r"oe|dj|tj|nj|sj|ch|j")
_OLD_TO_MODERN = {"oe": "u", "dj": "j", "tj": "c", "sj": "sy", "ch": "kh"}

# Two words joined by a hyphen. A match may only start at the beginning of a word (the
# lookbehind) and the first word is taken whole without backtracking (possessive "++"): the
# plain pattern retried from every letter of a word and backtracked over the rest of it, which
# made one 60,000-letter word cost minutes (issue 21). The matches are the same.
_HYPHENATED = re.compile(r"(?<![^\W\d_])([^\W\d_]++)-([^\W\d_]+)")


@dataclass(frozen=True)
class ParsedName:
    """A name split into what identifies the person and what is only evidence."""

    tokens: tuple[str, ...]
    father_tokens: tuple[str, ...]
    titles: tuple[str, ...]
    marga: str | None


class _Token(NamedTuple):
    text: str
    # A following dot marks an abbreviation ("M.", "S.H."); it decides whether letters
    # form a title or a patronymic marker.
    dotted: bool


def normalise_name(text: str) -> str:
    """The canonical form of a name: its canonical tokens joined by single spaces."""
    return " ".join(name_tokens(text))


def name_tokens(text: str) -> list[str]:
    """The person's canonical name tokens in their original order (no titles, no father)."""
    return list(parse_name(text).tokens)


def parse_name(text: str) -> ParsedName:
    """Split a written name into the person's tokens, the father's tokens and the titles."""
    folded = _fold(text)
    old_spelling = _OLD_SPELLING_CONTEXT.search(folded) is not None
    folded = _HYPHENATED.sub(_join_hyphenated_marga, folded)
    tokens = _merge_compound_titles(_join_spaced_initials(_tokenise(folded)))
    person, father = _split_patronymic(tokens)
    person_tokens, titles = _normalise_part(person, old_spelling)
    # The father's titles describe him, not the person, so they are not kept as evidence.
    father_tokens, _ = _normalise_part(father, old_spelling)
    marga = person_tokens[-1] if person_tokens and person_tokens[-1] in BATAK_MARGA else None
    return ParsedName(tuple(person_tokens), tuple(father_tokens), tuple(titles), marga)


def name_key_variants(text: str) -> set[str]:
    """Keys for blocking and search, so that reordered or Balinese names still meet.

    Returns the canonical name, its tokens in sorted order (given and family names are
    often swapped between documents) and the name without weak tokens. Empty keys are
    left out.
    """
    tokens = name_tokens(text)
    if not tokens:
        return set()
    keys = {" ".join(tokens), " ".join(sorted(tokens))}
    strong = [
        token
        for index, token in enumerate(tokens)
        if token not in WEAK_TOKENS and not (index == 0 and token in WEAK_FIRST_TOKENS)
    ]
    if strong:
        keys.add(" ".join(strong))
    return keys


# Letter classes for `soundex_id`. Voiced and voiceless pairs share a class because
# Indonesian spellings swap them freely (Fitri/Pitri, Yusuf/Yusup); z joins s because
# Rizki/Riski and Aziz/Azis are common. Vowels, h, w and y are left out entirely: they
# carry most of the variation (Fatimah/Fatima, Dhani/Dani, Yanti/Janti).
_SOUND_CLASSES = {
    "b": "p",
    "f": "p",
    "p": "p",
    "v": "p",
    "c": "j",
    "j": "j",
    "d": "t",
    "t": "t",
    "g": "k",
    "k": "k",
    "q": "k",
    "x": "k",
    "s": "s",
    "z": "s",
    "l": "l",
    "m": "m",
    "n": "n",
    "r": "r",
}
_SOUNDEX_LENGTH = 6


def soundex_id(token: str) -> str:
    """A short phonetic key for one canonical name token, for fuzzy blocking.

    The first letter is kept as its class (every leading vowel becomes "a", so
    Osman/Usman meet); the remaining consonants are mapped to classes, repeats collapse
    (Anna/Ana, Sitti/Siti) and the key is cut to six characters. Feed it tokens from
    `name_tokens`, which have already had old spelling modernised.
    """
    letters = [char for char in _fold(token) if "a" <= char <= "z"]
    if not letters:
        return ""
    first = letters[0]
    head = "a" if first in "aeiou" else _SOUND_CLASSES.get(first, first)
    codes = [head]
    for char in letters[1:]:
        code = _SOUND_CLASSES.get(char)
        if code is not None and code != codes[-1]:
            codes.append(code)
    return "".join(codes)[:_SOUNDEX_LENGTH]


def _fold(text: str) -> str:
    """Lowercase, compatibility-normalise and strip accents and apostrophes."""
    if text.isascii():  # nothing to normalise (most names): the same result, much faster
        return text.translate(_APOSTROPHES).lower()
    # Apostrophes go first: NFKC turns a spacing acute accent into a space.
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return unicodedata.normalize("NFC", stripped).translate(_APOSTROPHES)


def _join_hyphenated_marga(match: re.Match[str]) -> str:
    # Hyphens normally separate words, but some marga are written either way
    # ("Butar-butar", "Butarbutar").
    joined = match.group(1) + match.group(2)
    return joined if joined in BATAK_MARGA else match.group(0)


_ASCII_WORD = re.compile(r"([A-Za-z]+)(.?)")


def _tokenise(text: str) -> list[_Token]:
    """Split on anything that is not a letter, remembering which words ended in a dot."""
    if text.isascii():  # for ASCII, [a-z] is exactly `str.isalpha`
        return [_Token(m.group(1), dotted=m.group(2) == ".") for m in _ASCII_WORD.finditer(text)]
    tokens: list[_Token] = []
    current: list[str] = []
    for char in text:
        if char.isalpha():
            current.append(char)
            continue
        if current:
            tokens.append(_Token("".join(current), dotted=char == "."))
            current = []
    if current:
        tokens.append(_Token("".join(current), dotted=False))
    return tokens


def _join_spaced_initials(tokens: list[_Token]) -> list[_Token]:
    """Join runs of three or more single letters ("D O D I", "J.A.Y.A.") into one word.

    Shorter runs are left alone: "M. Rizki" and "H. M. Rizki" are abbreviations.
    """
    if len(tokens) < 3 or sum(len(token.text) == 1 for token in tokens) < 3:
        return tokens  # no run of three single letters (most names)
    result: list[_Token] = []
    for run in _single_letter_runs([token.text for token in tokens]):
        parts = tokens[run.start : run.stop]
        if len(parts) >= 3:
            result.append(_Token("".join(p.text for p in parts), dotted=parts[-1].dotted))
        else:
            result.extend(parts)
    return result


def _join_single_letter_words(words: list[str]) -> list[str]:
    if len(words) < 3 or sum(len(word) == 1 for word in words) < 3:
        return words
    joined: list[str] = []
    for run in _single_letter_runs(words):
        part = words[run.start : run.stop]
        if len(part) >= 3:
            joined.append("".join(part))
        else:
            joined.extend(part)
    return joined


def _single_letter_runs(words: list[str]) -> list[range]:
    """Cut a word list into maximal runs of single letters and single longer words."""
    runs: list[range] = []
    start = 0
    while start < len(words):
        stop = start + 1
        if len(words[start]) == 1:
            while stop < len(words) and len(words[stop]) == 1:
                stop += 1
        runs.append(range(start, stop))
        start = stop
    return runs


def _merge_compound_titles(tokens: list[_Token]) -> list[_Token]:
    """Rejoin dotted titles that the tokeniser split ("S.H." -> "sh", "K.H." -> "kh").

    Degrees are only looked for once a name word has been seen, and prefix titles only
    before, so that "M. Si" in front of a name is never read as the degree M.Si.
    """
    if not any(token.dotted for token in tokens[:-1]):
        return tokens  # every compound has a dotted part before its last
    result: list[_Token] = []
    seen_name = False
    index = 0
    while index < len(tokens):
        allowed = DEGREE_TITLES if seen_name else PREFIX_COMPOUNDS
        merged: _Token | None = None
        for size in (3, 2):
            parts = tokens[index : index + size]
            if (
                len(parts) == size
                and all(part.dotted for part in parts[:-1])
                and all(len(part.text) <= 4 for part in parts)
            ):
                joined = "".join(part.text for part in parts)
                if joined in allowed:
                    merged = _Token(joined, dotted=parts[-1].dotted)
                    index += size
                    break
        if merged is None:
            merged = tokens[index]
            index += 1
        if merged.text not in PREFIX_TITLES:
            seen_name = True
        result.append(merged)
    return result


def _split_patronymic(tokens: list[_Token]) -> tuple[list[_Token], list[_Token]]:
    """Split at the first "bin"/"binti" that has a name on both sides.

    The father's part ends at the next marker: a grandfather ("bin Ali bin Hasan") is
    dropped because it identifies neither the person nor the father.
    """
    has_name = False
    for index in range(1, len(tokens) - 1):
        # Titles alone are not a name ("Dr. Bin Ali"): the marker then starts the name.
        # Kept up to date token by token: rereading the tokens before each one was quadratic.
        has_name = has_name or tokens[index - 1].text not in PREFIX_TITLES
        if has_name and _is_patronymic_marker(tokens[index]):
            father = tokens[index + 1 :]
            for end, token in enumerate(father):
                if end > 0 and _is_patronymic_marker(token):
                    father = father[:end]
                    break
            return tokens[:index], father
    return tokens, []


def _is_patronymic_marker(token: _Token) -> bool:
    return token.text in PATRONYMIC_MARKERS or (token.text == "b" and token.dotted)


def _normalise_part(tokens: list[_Token], old_spelling: bool) -> tuple[list[str], list[str]]:
    """Strip titles from one person's name and modernise its spelling.

    Returns the canonical tokens and the stripped titles. If stripping would leave
    nothing ("Haji" alone), the original words are kept as the name.
    """
    if not tokens:
        return [], []  # no father's name (most names)
    raw = [token.text for token in tokens]
    modern = [_canonical_word(word, old_spelling) for word in raw]

    def title_form(index: int, titles: frozenset[str]) -> str | None:
        # Titles are recognised as written and in modern spelling ("Tjut" is "Cut"),
        # and reported as written unless only the modern form is a title.
        if raw[index] in titles:
            return raw[index]
        return modern[index] if modern[index] in titles else None

    titles: list[str] = []
    start = 0
    while start < len(raw) and (title := title_form(start, PREFIX_TITLES)) is not None:
        titles.append(title)
        start += 1
    words: list[str] = []
    for index in range(start, len(raw)):
        degree = title_form(index, DEGREE_TITLES) if index > start else None
        if degree is None:
            words.append(modern[index])
        else:
            titles.append(degree)
    if not words:
        # Only prefix titles were written; they are the name, in their title spelling.
        words, titles = titles, []

    # Stripping a degree can leave single letters side by side ("I S.H. M. I"); joining
    # them here as well keeps normalisation idempotent.
    words = _join_single_letter_words(words)
    if len(words) >= 2 and words[0] == "m":
        words[0] = "muhammad"
    return _drop_boru_markers(words), titles


def _drop_boru_markers(words: list[str]) -> list[str]:
    """Drop "br."/"boru" in front of a marga; the marga itself is what identifies kin.

    Walking backwards lets a repeated marker ("br. br. Siregar") go as well. A marker in
    first position stays, since there is no given name for it to follow.
    """
    if BORU_MARKERS.isdisjoint(words):
        return words
    kept: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if index > 0 and word in BORU_MARKERS and kept and kept[-1] in BATAK_MARGA:
            continue
        kept.append(word)
    return kept[::-1]


@lru_cache(maxsize=100_000)
def _canonical_word(word: str, old_spelling: bool) -> str:
    # Muhammad is checked both before and after the spelling rules: "mochamad" is listed
    # as written, while an unlisted old form such as "moechammad" only matches once
    # oe -> u and ch -> kh have run.
    if word in MUHAMMAD_VARIANTS:
        return "muhammad"
    # A marga is spelled one way; the digraph rules would corrupt modern ones such as
    # Panjaitan (n + j, not the old "nj" for "ny").
    if word in BATAK_MARGA:
        return word
    modern = _modern_spelling(word, old_spelling)
    return "muhammad" if modern in MUHAMMAD_VARIANTS else modern


def _modern_spelling(word: str, old_spelling: bool) -> str:
    """Rewrite pre-1972 spelling (oe, dj, tj, nj, sj, ch, and j in context) to modern.

    One left-to-right pass, so the "j" produced from "dj" is never turned into "y".
    Modern spelling writes n + j inside words (Sanjaya, Anjani, Panjaitan), so "nj" only
    becomes "ny" at the start of a word, where modern spelling has no "nj", or when the
    name shows other old-spelling digraphs.
    """

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found == "nj":
            return "ny" if old_spelling or match.start() == 0 else "nj"
        if found == "j":
            return "y" if old_spelling else "j"
        return _OLD_TO_MODERN[found]

    return _OLD_SPELLING.sub(replace, word)
