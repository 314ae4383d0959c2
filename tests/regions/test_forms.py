"""RegionPickerWidget and RegionField."""

import json
import re

import pytest
from django import forms
from django.urls import reverse

from simpul.regions.forms import RegionField, RegionPickerWidget
from simpul.regions.models import Region

pytestmark = pytest.mark.usefixtures("subset_regions")


class PlaceForm(forms.Form):
    place = RegionField(label="Place")
    district = RegionField(levels=[Region.Level.DISTRICT], within="61", required=False)


def attributes(html: str, marker: str) -> str:
    """The opening tag of the element carrying `marker`."""
    match = re.search(rf"<[^>]*{re.escape(marker)}[^>]*>", html)
    assert match, marker
    return match.group(0)


def test_widget_renders_search_box_hidden_code_and_listbox() -> None:
    html = str(PlaceForm()["district"])
    search = attributes(html, "data-region-picker-input")
    assert 'type="search"' in search
    assert 'id="id_district"' in search
    assert 'role="combobox"' in search
    assert 'aria-controls="id_district_results"' in search
    assert 'aria-expanded="false"' in search
    assert f'hx-get="{reverse("regions:search")}"' in search
    assert 'hx-trigger="input changed delay:250ms, search"' in search
    assert 'hx-target="#id_district_results"' in search
    assert "name=" not in search  # the search text is never submitted
    hx_vals = re.search(r'hx-vals="([^"]*)"', search)
    assert hx_vals
    assert json.loads(hx_vals.group(1).replace("&quot;", '"')) == {
        "level": "kecamatan",
        "within": "61",
    }
    hidden = attributes(html, "data-region-picker-code")
    assert 'type="hidden"' in hidden
    assert 'name="district"' in hidden
    listbox = attributes(html, 'role="listbox"')
    assert 'id="id_district_results"' in listbox
    assert "aria-label=" in listbox
    # The CSP forbids inline scripts, handlers and styles.
    assert "<script" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html


def test_label_points_at_the_search_box() -> None:
    assert 'for="id_place"' in PlaceForm()["place"].label_tag()


def test_media() -> None:
    media = str(PlaceForm().media)
    assert "regions/region-picker.js" in media
    assert "regions/region-picker.css" in media


def test_initial_value_shows_the_path_name() -> None:
    form = PlaceForm(initial={"place": Region.objects.get(code="61.01.09.2002")})
    html = str(form["place"])
    assert 'value="61.01.09.2002"' in attributes(html, "data-region-picker-code")
    assert 'value="Sebunga, Sajingan Besar, Kabupaten Sambas, Kalimantan Barat"' in attributes(
        html, "data-region-picker-input"
    )


@pytest.mark.parametrize("value", ["61.01.09.2002", "6101092002"])
def test_field_accepts_dotted_and_undotted_codes(value: str) -> None:
    form = PlaceForm(data={"place": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"].code == "61.01.09.2002"


def test_field_rejects_unknown_and_out_of_scope_codes() -> None:
    assert not PlaceForm(data={"place": "61.01.09.9999"}).is_valid()
    assert not PlaceForm(data={"place": ""}).is_valid()
    # A village where a district inside province 61 is required, then a district elsewhere.
    assert not PlaceForm(data={"place": "61", "district": "61.01.09.2002"}).is_valid()
    assert not PlaceForm(data={"place": "61", "district": "21.72.01"}).is_valid()
    form = PlaceForm(data={"place": "61", "district": "61.03.21"})
    assert form.is_valid(), form.errors


def test_bound_invalid_value_is_shown_back() -> None:
    html = str(PlaceForm(data={"place": "61.01.09.9999"})["place"])
    assert 'value="61.01.09.9999"' in attributes(html, "data-region-picker-input")


def test_standalone_widget() -> None:
    html = RegionPickerWidget(levels=["desa_kelurahan"]).render("village", "61.01.09.2002")
    assert 'name="village"' in html
    assert "Sebunga, Sajingan Besar" in html
