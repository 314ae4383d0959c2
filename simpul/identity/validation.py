"""Validation of identity fields before they are sealed, with translated field messages."""

from dataclasses import replace
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.identity.data import IdentityData
from simpul.lib.nik import validate_nik
from simpul.lib.phone import normalise_phone
from simpul.regions.models import Region

# The longest value each identity or free-text field accepts, in characters. Every way in
# (the person, hotline and screening forms, the public report, the API and the migration
# importer) is held to these numbers here, before anything is tokenised, hashed or sealed:
# one 60,000-character "other names" value once held the write lock for a minute (issue 21).
# A name of 120 characters fits the longest real names with titles ("Raden Ayu ..."); NIK and
# phone leave room for spaces and dots as written; aliases count all other names together.
MAX_LENGTHS: dict[str, int] = {
    "full_name": 120,
    "alias": 120,
    "aliases": 300,
    "nik": 24,
    "passport": 20,
    "phone": 24,
    "birth_date": 10,
    "address": 300,
    "birthplace": 120,
    "narrative": 10_000,
    "public_narrative": 5_000,
    "note": 5_000,
    "contact": 200,
}


def too_long_message(limit: int, length: int) -> str:
    """The translated field message for a value over its limit."""
    return _("Write at most %(limit)d characters here (this has %(length)d).") % {
        "limit": limit,
        "length": length,
    }


class LimitedCharField(forms.CharField):
    """A CharField whose line breaks count as one character, as the browser's maxlength
    counts them (browsers send CRLF)."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n") if text else text


def limited_field(field: str, **kwargs: Any) -> forms.CharField:
    """A form CharField held to the limit of `field` (also the browser's maxlength), with the
    same message as the vault's own check."""
    messages = {
        "max_length": gettext_lazy(
            "Write at most %(limit_value)d characters here (this has %(show_value)d)."
        ),
        **kwargs.pop("error_messages", {}),
    }
    return LimitedCharField(max_length=MAX_LENGTHS[field], error_messages=messages, **kwargs)


def check_text_length(field: str, value: str, *, limit_of: str | None = None) -> None:
    """Raise ValidationError({field: ...}) if `value` is longer than the limit of `limit_of`
    (by default the field's own)."""
    limit = MAX_LENGTHS[limit_of or field]
    if len(value) > limit:
        raise ValidationError({field: [too_long_message(limit, len(value))]})


def identity_length_errors(data: IdentityData) -> dict[str, list[str]]:
    """Field -> messages for every identity value over its limit; empty if all fit.

    Cheap (lengths only) and run first, so that no later step (NIK checks, name tokens,
    blind indexes, sealing) ever sees an oversized value. The importer calls this per row.
    """
    errors: dict[str, list[str]] = {}

    def check(field: str, value: str, limit_of: str | None = None) -> None:
        limit = MAX_LENGTHS[limit_of or field]
        if len(value) > limit and field not in errors:
            errors[field] = [too_long_message(limit, len(value))]

    check("full_name", " ".join(data.full_name.split()))
    aliases = [" ".join(a.split()) for a in data.aliases if a.strip()]
    for alias in aliases:
        check("aliases", alias, limit_of="alias")
    check("aliases", "\n".join(aliases))
    check("nik", data.nik.strip())
    check("passport", "".join(data.passport.split()))
    check("phone", data.phone.strip())
    check("birth_date", data.birth_date.strip())
    check("address", data.address.strip())
    return errors


def nik_messages() -> dict[str, str]:
    """Translated messages for the NIK issue codes of `simpul.lib.nik`."""
    return {
        "length": _("A NIK has exactly 16 digits."),
        "not_digits": _("A NIK contains digits only."),
        "unknown_province": _("The first two digits are not a province code."),
        "zero_regency": _("Digits 3-4 (regency) cannot be 00."),
        "zero_district": _("Digits 5-6 (district) cannot be 00."),
        "bad_birth_date": _("Digits 7-12 are not a real birth date (women add 40 to the day)."),
        "future_birth_date": _("The birth date in the NIK is in the future."),
        "zero_serial": _("The last four digits cannot be 0000."),
        "unknown_district": _(
            "The district code is not in the current region list (it may have been split)."
        ),
    }


class _KnownDistricts:
    """`code in known` asks the region table for that one code instead of loading all 7,285."""

    def __contains__(self, code: object) -> bool:
        return Region.objects.filter(pk=code, level=Region.Level.DISTRICT).exists()


def _check_birth_date(value: str) -> str | None:
    if not value:
        return None
    today = timezone.localdate()
    try:
        if len(value) == 4:
            year = int(value)
            ok = 1900 <= year <= today.year
        elif len(value) == 7:
            date.fromisoformat(value + "-01")
            ok = value <= today.isoformat()[:7]
        else:
            ok = date.fromisoformat(value) <= today
    except ValueError:
        ok = False
    return (
        None if ok else _("Enter a birth date as YYYY-MM-DD, YYYY-MM or YYYY, not in the future.")
    )


def clean_identity(data: IdentityData) -> tuple[IdentityData, list[str]]:
    """Normalise and validate; raise ValidationError keyed by field, return warnings."""
    errors = identity_length_errors(data)
    if errors:
        raise ValidationError(errors)
    warnings: list[str] = []
    messages = nik_messages()

    full_name = " ".join(data.full_name.split())
    if not full_name:
        errors["full_name"] = [_("Enter the person's name (or the name they gave).")]

    nik = ""
    if data.nik.strip():
        result = validate_nik(data.nik, known_district_codes=_KnownDistricts())
        nik = result.nik
        if result.errors:
            errors["nik"] = [messages.get(i.code, i.message) for i in result.errors]
        warnings.extend(messages.get(i.code, i.message) for i in result.warnings)

    phone = ""
    if data.phone.strip():
        normalised = normalise_phone(data.phone)
        if normalised is None:
            errors["phone"] = [_("Enter a phone number such as 0812 3456 7890 or +60 12 345 6789.")]
        else:
            phone = normalised

    birth_error = _check_birth_date(data.birth_date.strip())
    if birth_error:
        errors["birth_date"] = [birth_error]
    if data.sex not in ("", "F", "M"):
        errors["sex"] = [_("Choose female, male or unknown.")]

    if errors:
        raise ValidationError(errors)
    cleaned = replace(
        data,
        full_name=full_name,
        aliases=[" ".join(a.split()) for a in data.aliases if a.strip()],
        nik=nik,
        passport="".join(data.passport.split()).upper(),
        phone=phone,
        birth_date=data.birth_date.strip(),
        address=data.address.strip(),
    )
    return cleaned, warnings
