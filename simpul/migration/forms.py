"""Forms of the migration pages. Thin: they collect input for the actions, which validate."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.identity.data import IdentityData
from simpul.migration import codes
from simpul.migration.actions import CheckInInput, DepartureInput, MissingInput
from simpul.migration.schedule import parse_offsets
from simpul.regions.forms import RegionField
from simpul.regions.models import Region

_DATE = {"type": "date"}
_SEXES = [("", _("Unknown")), ("F", _("Female")), ("M", _("Male"))]


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )


def multi_choice(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


def point_choices(blank: bool = True) -> list[tuple[str, str]]:
    head = [("", "—")] if blank else []
    return head + codes.crossing_point_choices()


class IdentityFields(forms.Form):
    """The vault identity of the person a record is about."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    nik = forms.CharField(label=_("NIK"), max_length=24, required=False)
    passport = forms.CharField(label=_("Passport or SPLP number"), max_length=20, required=False)
    birth_date = forms.CharField(
        label=_("Birth date"),
        max_length=10,
        required=False,
        help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY if only that is known."),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=_SEXES)

    def identity(self) -> IdentityData:
        d = self.cleaned_data
        return IdentityData(
            full_name=d["full_name"],
            nik=d.get("nik", ""),
            passport=d.get("passport", ""),
            birth_date=d.get("birth_date", ""),
            sex=d.get("sex", ""),
            phone=d.get("phone", ""),
            address=d.get("address", ""),
        )


def _doc_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for req in codes.DOCUMENT_REQUIREMENTS:
        fields[f"doc_{req.code}"] = forms.BooleanField(
            label=str(req.label), required=False, help_text=req.legal_basis
        )
        if req.needs_village_acknowledgement:
            fields[f"ack_{req.code}"] = forms.BooleanField(
                label=_("Acknowledged by the village head (kepala desa/lurah)"), required=False
            )
    return fields


class DocumentsMixin:
    cleaned_data: dict[str, Any]

    def documents(self) -> dict[str, tuple[bool, bool]]:
        d = self.cleaned_data
        return {
            req.code: (bool(d.get(f"doc_{req.code}")), bool(d.get(f"ack_{req.code}")))
            for req in codes.DOCUMENT_REQUIREMENTS
        }

    def document_fields(self) -> list[Any]:
        return [self[name] for name in _doc_fields()]  # type: ignore[index]


class DepartureForm(DocumentsMixin, IdentityFields):
    nik = forms.CharField(label=_("NIK"), max_length=24)
    phone = forms.CharField(label=_("Migrant's phone abroad"), max_length=24, required=False)
    address = forms.CharField(label=_("Address in the village"), max_length=200, required=False)
    home_village = RegionField(label=_("Home village"), levels=[Region.Level.VILLAGE])
    already_left = forms.BooleanField(
        label=_("Already left: reported afterwards by the family"), required=False
    )
    planned_on = date_field(_("Planned departure date"))
    departed_on = date_field(_("Date they left (if already left)"), required=False)
    destination_country = forms.ChoiceField(
        label=_("Destination country"), choices=codes.Country.choices
    )
    destination_place = forms.CharField(
        label=_("Destination place"), max_length=120, required=False
    )
    job = forms.ChoiceField(label=_("Job"), choices=codes.Job.choices, initial=codes.Job.UNKNOWN)
    job_detail = forms.CharField(label=_("Job details"), max_length=120, required=False)
    employer = forms.CharField(
        label=_("Employer (name and address)"),
        max_length=300,
        required=False,
        help_text=_("Encrypted."),
    )
    channel = forms.ChoiceField(label=_("Placement channel"), choices=codes.Channel.choices)
    placement_company = forms.CharField(
        label=_("Placement company (P3MI)"), max_length=200, required=False
    )
    placement_licence = forms.CharField(
        label=_("Company licence number (SIP3MI)"), max_length=60, required=False
    )
    recruiter = forms.ChoiceField(
        label=_("Recruited by"), choices=codes.Recruiter.choices, initial=codes.Recruiter.UNKNOWN
    )
    route = forms.ChoiceField(label=_("Route"), choices=codes.Route.choices)
    crossing_point = forms.ChoiceField(
        label=_("Crossing point"), choices=point_choices, required=False
    )
    travel_document = forms.ChoiceField(
        label=_("Travel document"), choices=codes.TravelDocument.choices
    )
    travel_purpose = forms.ChoiceField(
        label=_("Declared purpose of travel"), choices=codes.TravelPurpose.choices
    )
    passport_birth_date = date_field(
        _("Birth date on the passport"),
        required=False,
        help_text=_("Compared with the NIK and the KTP, never stored."),
    )
    name_mismatch = forms.BooleanField(
        label=_("The name differs between KTP, KK and passport"), required=False
    )
    fees_or_debt = forms.BooleanField(
        label=_("Pays fees or owes a debt to the recruiter"), required=False
    )
    passport_held_by_recruiter = forms.BooleanField(
        label=_("The recruiter keeps the passport"), required=False
    )
    family_contact_name = forms.CharField(
        label=_("Family contact: name"), max_length=120, required=False
    )
    family_contact_relationship = forms.CharField(
        label=_("Family contact: relationship"), max_length=60, required=False
    )
    family_contact_phone = forms.CharField(
        label=_("Family contact: phone"), max_length=24, required=False
    )
    checkin_months = forms.CharField(
        label=_("Check-ins after departure (months)"),
        initial=", ".join(str(m) for m in codes.DEFAULT_CHECKIN_MONTHS),
        max_length=40,
    )

    def __init__(self, *args: Any, within: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_doc_fields())
        if within:
            self.fields["home_village"] = RegionField(
                label=_("Home village"), levels=[Region.Level.VILLAGE], within=within
            )
            if within.count(".") == 3:
                self.fields["home_village"].initial = within

    def clean_checkin_months(self) -> list[int]:
        try:
            return parse_offsets(self.cleaned_data["checkin_months"])
        except ValueError:
            raise forms.ValidationError(
                _("Give months between 1 and 60, separated by commas.")
            ) from None

    def departure_input(self) -> Any:
        d = self.cleaned_data
        return DepartureInput(
            destination_country=d["destination_country"],
            destination_place=d["destination_place"],
            job=d["job"],
            job_detail=d["job_detail"],
            employer=d["employer"],
            channel=d["channel"],
            placement_company=d["placement_company"],
            placement_licence=d["placement_licence"],
            recruiter=d["recruiter"],
            route=d["route"],
            crossing_point=d["crossing_point"],
            travel_document=d["travel_document"],
            travel_purpose=d["travel_purpose"],
            planned_on=d["planned_on"],
            already_left=d["already_left"],
            departed_on=d["departed_on"],
            fees_or_debt=d["fees_or_debt"],
            passport_held_by_recruiter=d["passport_held_by_recruiter"],
            name_mismatch=d["name_mismatch"],
            passport_birth_date=d["passport_birth_date"],
            family_contact_name=d["family_contact_name"],
            family_contact_relationship=d["family_contact_relationship"],
            family_contact_phone=d["family_contact_phone"],
            checkin_months=d["checkin_months"],
            documents=self.documents(),
        )


class DocumentsForm(DocumentsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_doc_fields())


class ConfirmDepartureForm(forms.Form):
    departed_on = date_field(_("Date they left"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CheckInForm(forms.Form):
    contacted_on = date_field(_("Contact date"))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=codes.CheckInOutcome.choices, widget=forms.RadioSelect
    )
    contact_with = forms.ChoiceField(label=_("Spoke with"), choices=codes.ContactWith.choices)
    problems = multi_choice(_("Problems"), codes.Problem.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Encrypted."),
    )
    refer = forms.BooleanField(
        label=_("Refer to protection services now (creates a protection intake)"),
        required=False,
    )
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()

    def checkin_input(self) -> Any:
        d = self.cleaned_data
        return CheckInInput(
            contacted_on=d["contacted_on"],
            outcome=d["outcome"],
            contact_with=d["contact_with"],
            problems=d["problems"],
            note=d["note"],
        )


class ReferForm(forms.Form):
    note = forms.CharField(
        label=_("What the protection team should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)


class MissingFields(forms.Form):
    reported_on = date_field(_("Reported on"))
    reported_by = forms.ChoiceField(label=_("Reported by"), choices=codes.Reporter.choices)
    last_contact_on = date_field(_("Last contact"), required=False)
    last_known_country = forms.ChoiceField(
        label=_("Last known country"),
        choices=[("", "—"), *codes.Country.choices],
        required=False,
    )
    last_known_place = forms.CharField(label=_("Last known place"), max_length=120, required=False)
    last_known_employer = forms.CharField(
        label=_("Last known employer"), max_length=300, required=False, help_text=_("Encrypted.")
    )
    circumstances = forms.CharField(
        label=_("What the family knows"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()

    def missing_input(self) -> Any:
        d = self.cleaned_data
        return MissingInput(
            reported_on=d["reported_on"],
            reported_by=d["reported_by"],
            last_contact_on=d["last_contact_on"],
            last_known_country=d["last_known_country"],
            last_known_place=d["last_known_place"],
            last_known_employer=d["last_known_employer"],
            circumstances=d["circumstances"],
        )


class MissingNewPersonForm(IdentityFields, MissingFields):
    home_village = RegionField(label=_("Home village"), levels=[Region.Level.VILLAGE])


class MissingUpdateForm(forms.Form):
    note = forms.CharField(
        label=_("New information"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    last_known_place = forms.CharField(label=_("Last known place"), max_length=120, required=False)
    last_contact_on = date_field(_("Last contact"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Outcome"), choices=codes.Resolution.choices)
    resolved_on = date_field(_("Date"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].initial = timezone.localdate()


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Why reopen"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)
