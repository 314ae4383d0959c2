"""Prevention forms. Thin: they collect input; actions validate and store."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import Agency
from simpul.prevention import job_offer
from simpul.prevention.actions import EventData, TrainingData, VolunteerData
from simpul.prevention.models import (
    AgeBand,
    Audience,
    IssueTheme,
    Material,
    OutreachEvent,
    Phase,
    Question,
    Sex,
    Topic,
    Volunteer,
    VolunteerNetwork,
    VolunteerReportKind,
)
from simpul.regions.forms import RegionField
from simpul.regions.models import Region


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _agency_field(agencies: list[Agency]) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Recorded by agency"),
        queryset=Agency.objects.filter(pk__in=[a.pk for a in agencies]),
        empty_label=None,
    )


def count_field_name(sex: str, band_index: int) -> str:
    return f"count_{sex}_{band_index}"


class EventForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_('E.g. "Sosialisasi TPPO for village officials and families".'),
    )
    held_on = forms.DateField(label=_("Date held"), widget=DateInput())
    village = RegionField(label=_("Village or kelurahan"), levels=[Region.Level.VILLAGE])
    other_organisers = forms.CharField(
        label=_("Other organisers"),
        max_length=200,
        required=False,
        help_text=_("Organisers without a Simpul account, e.g. a university or an NGO."),
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organising agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience groups"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics covered"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials used"),
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    materials_note = forms.CharField(
        label=_("About the materials"),
        max_length=300,
        required=False,
        help_text=_("E.g. the title of the leaflet or video."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        agencies: list[Agency],
        within: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if len(agencies) > 1:
            self.fields["owner_agency"] = _agency_field(agencies)
            self.order_fields(["owner_agency"])
        if within:
            self.fields["village"] = RegionField(
                label=_("Village or kelurahan"), levels=[Region.Level.VILLAGE], within=within
            )
            self.order_fields(["title", "held_on", "village"])
        self.agencies = agencies
        # Agencies working in the same province, or nationally, can co-organise.
        provinces = {a.jurisdiction_id.split(".")[0] for a in agencies if a.jurisdiction_id}
        co = Agency.objects.filter(is_active=True, jurisdiction__isnull=True)
        for province in provinces:
            co = co | Agency.objects.filter(
                Region.subtree_filter("jurisdiction__code", province), is_active=True
            )
        co_field = self.fields["co_organisers"]
        assert isinstance(co_field, forms.ModelMultipleChoiceField)
        co_field.queryset = co.exclude(pk__in=[a.pk for a in agencies]).order_by("name")
        self.count_rows = []
        for sex, sex_label in Sex.choices:
            cells = []
            for i, (_band, band_label) in enumerate(AgeBand.choices):
                name = count_field_name(sex, i)
                self.fields[name] = forms.IntegerField(
                    label=f"{sex_label}, {band_label}",
                    min_value=0,
                    max_value=100_000,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                )
                cells.append(name)
            self.count_rows.append((sex_label, cells))

    def visible_main_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if not f.name.startswith("count_")]

    def count_table(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(label), [self[name] for name in names]) for label, names in self.count_rows]

    def band_labels(self) -> list[str]:
        return [str(label) for _value, label in AgeBand.choices]

    def owner_agency(self) -> Agency:
        return self.cleaned_data.get("owner_agency") or self.agencies[0]

    def event_data(self) -> EventData:
        d = self.cleaned_data
        counts = {}
        for sex in Sex.values:
            for i, band in enumerate(AgeBand.values):
                value = d.get(count_field_name(sex, i))
                if value:
                    counts[(sex, band)] = value
        return EventData(
            title=d["title"],
            held_on=d["held_on"],
            village=d["village"],
            audiences=d["audiences"],
            topics=d["topics"],
            materials=d["materials"],
            materials_note=d["materials_note"],
            other_organisers=d["other_organisers"],
            co_organisers=list(d["co_organisers"]),
            counts=counts,
        )

    @staticmethod
    def initial_for(event: OutreachEvent) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": event.title,
            "held_on": event.held_on,
            "village": event.village_id,
            "other_organisers": event.other_organisers,
            "co_organisers": list(event.co_organisers.values_list("pk", flat=True)),
            "audiences": event.audiences,
            "topics": event.topics,
            "materials": event.materials,
            "materials_note": event.materials_note,
            "version": event.version,
        }
        bands = list(AgeBand.values)
        for c in event.counts.all():
            initial[count_field_name(c.sex, bands.index(c.age_band))] = c.count
        return initial


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        return f"{obj.code} · {obj.text}"


class QuestionPickForm(forms.Form):
    questions = QuestionChoiceField(
        label=_("Questions"),
        queryset=Question.objects.filter(active=True).order_by("topic", "code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def grouped(self) -> list[tuple[str, list[Any]]]:
        """The checkboxes grouped by topic, for the template."""
        topic_of = dict(Question.objects.filter(active=True).values_list("pk", "topic"))
        groups: dict[str, list[Any]] = {}
        for widget in self["questions"]:
            topic = topic_of.get(int(str(widget.data["value"])), "")
            groups.setdefault(topic, []).append(widget)
        return [
            (str(Topic(topic).label), items)
            for topic, items in sorted(groups.items(), key=lambda kv: Topic.values.index(kv[0]))
        ]


class AnswerSheetForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Test"), choices=Phase.choices, widget=forms.RadioSelect, initial=Phase.PRE
    )
    lines = forms.CharField(
        label=_("Answers, one participant per line"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "mono", "spellcheck": "false"}),
        help_text=_(
            "The participant's code, a space, then the letter circled for each question in "
            "order, or - for a blank. Example: K07 ACB-DABCAB"
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace answers already recorded for these codes"), required=False
    )


class PhoneTestForm(forms.Form):
    """The participant's own test on their phone; questions are data of the event."""

    code = forms.CharField(
        label=_("Your participant code"),
        max_length=12,
        help_text=_("The code on your name card. Never your name or ID number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: Any, event_questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event_questions = event_questions
        for eq in event_questions:
            self.fields[f"q{eq.position}"] = forms.ChoiceField(
                label=f"{eq.position}. {eq.question.text}",
                choices=[
                    (str(i), f"{letter}. {text}")
                    for i, (letter, text) in enumerate(eq.question.lettered_options)
                ],
                widget=forms.RadioSelect,
                required=False,
            )

    def choices(self) -> list[int | None]:
        return [
            int(self.cleaned_data[f"q{eq.position}"])
            if self.cleaned_data.get(f"q{eq.position}") not in (None, "")
            else None
            for eq in self.event_questions
        ]


class IssueForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=IssueTheme.choices)
    mentions = forms.IntegerField(label=_("Times raised"), min_value=1, max_value=999, initial=1)
    summary = forms.CharField(
        label=_("What was said"),
        max_length=300,
        required=False,
        help_text=_("A short paraphrase, without names or anything that identifies someone."),
    )


class IndicatorValuesForm(forms.Form):
    rows = forms.CharField(
        label=_("Values, one per line"),
        widget=forms.Textarea(attrs={"rows": 10, "class": "mono", "spellcheck": "false"}),
        help_text=_(
            "village code, indicator code, year, value, source. For example: "
            "61.01.09.2005, poverty, 2025, 31.5, DTKS 2025"
        ),
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        if len(agencies) > 1:
            self.fields["owner_agency"] = _agency_field(agencies)
            self.order_fields(["owner_agency"])

    def owner_agency(self) -> Agency:
        return self.cleaned_data.get("owner_agency") or self.agencies[0]


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    network = forms.ChoiceField(label=_("Network"), choices=VolunteerNetwork.choices)
    village = RegionField(label=_("Village or kelurahan"), levels=[Region.Level.VILLAGE])
    since = forms.DateField(label=_("Volunteer since"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, agencies: list[Agency], within: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        if within:
            self.fields["village"] = RegionField(
                label=_("Village or kelurahan"), levels=[Region.Level.VILLAGE], within=within
            )
            self.order_fields(["name", "phone", "network", "village"])
        if len(agencies) > 1:
            self.fields["owner_agency"] = _agency_field(agencies)
            self.order_fields(["owner_agency"])

    def owner_agency(self) -> Agency:
        return self.cleaned_data.get("owner_agency") or self.agencies[0]

    def volunteer_data(self) -> VolunteerData:
        d = self.cleaned_data
        return VolunteerData(
            name=d["name"],
            phone=d["phone"],
            network=d["network"],
            village=d["village"],
            since=d["since"],
        )


class VolunteerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Volunteer) -> str:
        return f"{obj.code} · {obj.masked_name} · {obj.village.name}"


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0.5, max_value=200, decimal_places=1, initial=4
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    organiser = forms.CharField(label=_("Trainer or organiser"), max_length=200, required=False)
    volunteers = VolunteerChoiceField(
        label=_("Volunteers who took part"),
        queryset=Volunteer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, agencies: list[Agency], volunteers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        volunteer_field = self.fields["volunteers"]
        assert isinstance(volunteer_field, forms.ModelMultipleChoiceField)
        volunteer_field.queryset = volunteers
        if len(agencies) > 1:
            self.fields["owner_agency"] = _agency_field(agencies)
            self.order_fields(["owner_agency"])

    def owner_agency(self) -> Agency:
        return self.cleaned_data.get("owner_agency") or self.agencies[0]

    def training_data(self) -> TrainingData:
        d = self.cleaned_data
        return TrainingData(
            title=d["title"],
            held_on=d["held_on"],
            hours=float(d["hours"]),
            topics=d["topics"],
            organiser=d["organiser"],
        )


class VolunteerReportForm(forms.Form):
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )
    kind = forms.ChoiceField(label=_("Kind of report"), choices=VolunteerReportKind.choices)
    village = RegionField(label=_("Where"), levels=[Region.Level.VILLAGE])
    intake_reference = forms.CharField(
        label=_("Intake reference"),
        max_length=20,
        required=False,
        help_text=_(
            "When the report concerns a person, record it as an intake at the UPTD PPA and "
            "enter its reference here. Do not write names here."
        ),
    )


class JobOfferForm(forms.Form):
    """The public self-check: one optional radio group per question of the rule file."""

    def __init__(self, *args: Any, rule_set: job_offer.RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in rule_set.questions:
            self.fields[q.code] = forms.ChoiceField(
                label=job_offer.localised(q.text),
                choices=q.choices(),
                widget=forms.RadioSelect,
                required=False,
            )

    def answers(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}
