"""Reference codes that people read aloud, write down and type (case KS-26-…, report ADU-26-…,
person P-…, receipts): one alphabet without look-alikes (no 0/O, 1/I/L, U) and one generator."""

import secrets
from collections.abc import Callable

from django.db.models import Model

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_part(length: int) -> str:
    """`length` characters drawn from the alphabet with a cryptographic generator."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def unique_codes(model: type[Model], field: str, make: Callable[[], str], count: int) -> list[str]:
    """`count` distinct codes from `make()` that no row of `model` holds in `field` yet, drawn
    in memory and checked against the table in chunks (bulk imports)."""
    codes: set[str] = set()
    while len(codes) < count:
        fresh = list({make() for _ in range(count - len(codes))} - codes)
        for start in range(0, len(fresh), 500):
            chunk = fresh[start : start + 500]
            taken = set(
                model._default_manager.filter(**{f"{field}__in": chunk}).values_list(
                    field, flat=True
                )
            )
            codes.update(set(chunk) - taken)
    return list(codes)[:count]


def unique_code(model: type[Model], field: str, make: Callable[[], str]) -> str:
    """A code from `make()` that no row of `model` holds in `field` yet (the column's unique
    constraint still decides a race between two writers)."""
    while True:
        code = make()
        if not model._default_manager.filter(**{field: code}).exists():
            return code
