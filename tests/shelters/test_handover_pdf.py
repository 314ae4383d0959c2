"""The printed handover keeps every name as written: victims from Viet Nam, Timor-Leste or
Cambodia, escorts and places with marks outside Latin-1 print as they are, never as "?"."""

import io
from datetime import date

from django.utils import translation
from pypdf import PdfReader

from simpul.shelters.pdf import HandoverSheet, render_handover


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_names_outside_latin_1_print_as_written():
    sheet = HandoverSheet(
        code="BAST-2026-0007",
        case_code="KS-61.01-2026-0042",
        from_agency="UPTD PPA Kabupaten Sambas",
        to_agency="UPTD PPA Kabupaten Kupang",
        handover_on=date(2026, 12, 3),
        place="Bandara El Tari, Kupang",
        escorts=["Nguyễn Thị Hồng", "Siti Nur\u2019aini"],
        persons=[("P-0001", "Trần Văn Đức"), ("P-0002", "Maria da Conceição Ximenes")],
        documents=["Paspor (dititipkan sejak 1 Desember 2026)"],
    )
    with translation.override("id"):
        content = render_handover(sheet)
    text = _text(content)
    for written in (
        "Nguyễn Thị Hồng",
        "Siti Nur\u2019aini",
        "1. Trần Văn Đức (P-0001)",
        "2. Maria da Conceição Ximenes (P-0002)",
        "Bandara El Tari, Kupang",
        "BAST-2026-0007",
    ):
        assert written in text, written
    assert "?" not in text
