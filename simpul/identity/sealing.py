"""How a person's identity is bound to its row and tokenised for name search: shared by the
vault's actions (which write) and queries (which read), so queries never import actions."""

import uuid
from collections.abc import Iterable

from simpul.identity.crypto import blind_index
from simpul.identity.data import IdentityData
from simpul.lib.names import name_tokens


def person_aad(person_id: uuid.UUID) -> bytes:
    return f"identity.person.sealed_identity:{person_id}".encode()


def hash_name_tokens(tokens: Iterable[str]) -> set[str]:
    """The keyed hashes stored for canonical name tokens (`simpul.lib.names.name_tokens`)."""
    return {blind_index("name", t, length=32) for t in tokens}


def name_token_hashes(data: IdentityData) -> set[str]:
    tokens: set[str] = set()
    for name in [data.full_name, *data.aliases]:
        tokens.update(name_tokens(name))
    return hash_name_tokens(tokens)
