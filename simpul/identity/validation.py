"""Validation of identity fields before they are sealed, with translated field messages."""

from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.identity.data import IdentityData
from simpul.lib.nik import validate_nik
from simpul.lib.phone import normalise_phone


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
        from simpul.regions.models import Region

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
    errors: dict[str, list[str]] = {}
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
