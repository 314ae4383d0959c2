"""The screening interview page: a refused form answers 422 with everything typed kept, and
its fields carry help texts at the ids their aria-describedby names."""

import re

from django.urls import reverse

from simpul.screening.models import ScreeningResult


def test_a_refused_interview_is_422_keeps_the_answers_and_stores_nothing(intake, signed_in):
    client = signed_in("operator.sambas")
    url = reverse("screening:interview", args=[intake.id])
    page = client.get(url).content.decode()
    for described in re.findall(r'aria-describedby="([^"]+)"', page):
        for element_id in described.split():
            assert f'id="{element_id}"' in page, element_id
    assert 'id="id_age_at_act_helptext"' in page
    response = client.post(
        url,
        {"subject": "new", "p-full_name": "Siti Aminah", "age_at_act": "200", "d1_wages": "on"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="200"' in html and 'value="Siti Aminah"' in html
    assert re.search(r'<input[^>]*name="d1_wages"[^>]*checked', html)
    assert 'aria-invalid="true"' in html and 'id="id_age_at_act_error"' in html
    assert ScreeningResult.objects.count() == 0
