"""The natural key of a return: the same return recorded twice gets the same key.

A keyed HMAC (the vault's blind-index key), so the column reveals nothing about the person,
over entry point, arrival date, document number, canonical name and birth date. The import
list's own reference is left out on purpose: a corrected list re-sent under a new reference
must not create the same returns again.
"""

from datetime import date

from simpul.identity.crypto import blind_index, normalise_for_index
from simpul.lib.names import name_tokens


def canonical_name(full_name: str) -> str:
    return " ".join(name_tokens(full_name)) or " ".join(full_name.casefold().split())


def return_key(
    entry_point: str,
    returned_on: date,
    document_number: str,
    full_name: str,
    birth_date: str,
    *,
    name_is_canonical: bool = False,
) -> str:
    name = full_name if name_is_canonical else canonical_name(full_name)
    parts = [entry_point, returned_on.isoformat(), document_number, name, birth_date]
    return blind_index("return", "+".join(normalise_for_index(p) for p in parts))
