"""Reference codes that people read aloud, write down and type (case KS-26-…, report ADU-26-…,
person P-…, receipts): one alphabet without look-alikes (no 0/O, 1/I/L, U) and one generator."""

import secrets
from collections.abc import Callable

from django.db.models import Model

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_part(length: int) -> str:
    """`length` characters drawn from the alphabet with a cryptographic generator."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def unique_code(model: type[Model], field: str, make: Callable[[], str]) -> str:
    """A code from `make()` that no row of `model` holds in `field` yet (the column's unique
    constraint still decides a race between two writers)."""
    while True:
        code = make()
        if not model._default_manager.filter(**{field: code}).exists():
            return code
