"""Checks that keep identities out of prevention records (they are meant to hold none)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 16 digits (a NIK), a phone number (+62 or 0 then 8+ digits, separators allowed), an e-mail.
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?8[\d\s.-]{7,14}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,11}$")
_LONG_NUMBER = re.compile(r"\d{8,}")


def reject_identifiers(text: str) -> None:
    """ValidationError if the text holds something that identifies a person."""
    if _NIK.search(text) or _PHONE.search(text) or _EMAIL.search(text):
        raise ValidationError(_("Do not write ID numbers, phone numbers or e-mail addresses here."))


def participant_code(raw: str) -> str:
    """A participant's pseudonymous code, upper-cased; ValidationError when unusable."""
    code = raw.strip().upper()
    if not _CODE.match(code):
        raise ValidationError(
            _("A participant code has 1 to 12 letters, digits or hyphens, e.g. K07 or SB-12.")
        )
    if _LONG_NUMBER.search(code):
        raise ValidationError(_("A participant code must not be an ID or phone number."))
    return code
