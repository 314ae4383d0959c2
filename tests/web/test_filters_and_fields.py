"""The shared template layer: filters that turn codes and dates into words, the one field
partial (aria-describedby pointing at ids that exist), the one public layout, the HTMX and
form-status rules."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import override

from simpul.core.http import form_status, is_htmx
from simpul.screening.models import TraffickingStatus

JAKARTA = ZoneInfo("Asia/Jakarta")


def render(source: str, **context: object) -> str:
    return Template("{% load simpul_tags %}" + source).render(Context(context))


def test_country_codes_render_as_country_names_in_the_readers_language():
    with override("id"):
        assert render("{{ c|country_name }}", c="MY") == "Malaysia"
        assert render("{{ c|country_name }}", c="SA") == "Arab Saudi"
        assert render("{{ c|country_name }}", c=None) == "—"
        assert render("{{ c|country_name }}", c="") == "—"
        # A code outside the table never shows bare.
        assert "XQ" not in render("{{ c|country_name }}", c="XQ")
    with override("en"):
        assert render("{{ c|country_name }}", c="AE") == "United Arab Emirates"
        assert render("{{ c|country_name }}", c="xq") == "Another country"
        assert render("{{ c|country_name }}", c="my") == "Malaysia"


def test_one_date_format_per_language_for_dates_and_timestamps():
    day = date(2026, 8, 17)
    moment = datetime(2026, 8, 17, 1, 30, tzinfo=ZoneInfo("UTC"))  # 08.30 in Jakarta
    with override("id"):
        assert render("{{ d|day }}", d=day) == "17 Agu 2026"
        # A timestamp shows its local (Jakarta) date, in the same format as a date.
        assert render("{{ d|day }}", d=moment) == render("{{ d|day }}", d=day)
        assert render("{{ d|moment }}", d=moment) == "17 Agu 2026, 8.30"
        assert render("{{ d|day }} {{ d|moment }}", d=None) == "— —"
    with override("en"):
        assert render("{{ d|day }}", d=day) == "Aug. 17, 2026"
        assert render("{{ d|moment }}", d=moment) == "Aug. 17, 2026, 8:30 a.m."


def test_dash_and_choice_labels_never_show_none_or_codes():
    with override("en"):
        assert render("{{ v|dash }}", v=None) == "—"
        assert render("{{ v|dash }}", v=0) == "0"
        assert (
            render(
                "{{ v|choice_label:choices }}",
                v="ActualVictimOfTrafficking",
                choices=TraffickingStatus,
            )
            == "Victim of trafficking"
        )
        assert render("{{ v|choice_label:choices }}", v=None, choices=TraffickingStatus) == "—"


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As the person gives it.")
    agree = forms.BooleanField(label="Agree", help_text="Tick to agree.")
    kinds = forms.MultipleChoiceField(
        label="Kinds",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Any that apply.",
    )
    plain = forms.CharField(label="Plain", required=False)


def _described_ids(html: str) -> list[str]:
    return [i for attr in re.findall(r'aria-describedby="([^"]*)"', html) for i in attr.split()]


@pytest.mark.parametrize("bound", [False, True])
def test_every_aria_describedby_points_at_an_element_that_exists(bound):
    form = SampleForm({"name": "", "kinds": []} if bound else None)
    if bound:
        assert not form.is_valid()
    html = render_to_string("web/partials/form_fields.html", {"form": form})
    described = _described_ids(html)
    assert "id_name_helptext" in described and "id_agree_helptext" in described
    assert "id_kinds_helptext" in described  # on the group's fieldset
    if bound:
        assert {"id_name_error", "id_agree_error", "id_kinds_error"} <= set(described)
    for element_id in described:
        assert f'id="{element_id}"' in html, element_id
    assert "id_plain_helptext" not in html


def test_the_three_field_templates_are_one():
    for old in ("prevention/partials/form_fields.html", "migration/partials/fields.html"):
        with pytest.raises(TemplateDoesNotExist):
            get_template(old)
    form = SampleForm()
    some = render_to_string("web/partials/form_fields.html", {"fields": [form["name"]]})
    assert 'id="id_name_helptext"' in some and "id_agree" not in some
    whole = render_to_string("web/partials/form_fields.html", {"fields": form})
    assert (
        whole.split() == render_to_string("web/partials/form_fields.html", {"form": form}).split()
    )


def test_one_htmx_rule_and_one_form_status_rule():
    factory = RequestFactory()
    from django_htmx.middleware import HtmxMiddleware

    def through(**headers: str):
        request = factory.get("/", headers=headers)
        HtmxMiddleware(lambda r: None)(request)
        return request

    assert is_htmx(through(**{"HX-Request": "true"})) is True
    assert is_htmx(through()) is False
    assert is_htmx(through(**{"HX-Request": "true", "HX-Boosted": "true"})) is False
    assert is_htmx(factory.get("/")) is False  # no middleware: never an HTMX answer

    refused = SampleForm({"name": ""})
    fine = SampleForm({"name": "x", "agree": "on", "kinds": ["a"]})
    assert form_status(SampleForm()) == 200
    assert form_status(fine, None) == 200
    assert form_status(fine, refused) == 422
    assert form_status(fine, stale=True) == 409


@pytest.mark.django_db
def test_public_pages_use_the_one_layout_without_scripts(client):
    html = client.get(reverse("prevention:job_offer_check")).content.decode()
    assert html.count("<!doctype html>") == 1
    assert 'class="skip"' in html and 'id="main"' in html  # the shared layout's landmarks
    assert 'class="public"' in html and 'content="noindex"' in html
    assert "<script" not in html
