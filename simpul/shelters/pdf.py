"""The handover's printable berita acara serah terima (fpdf2, pure Python): header, the two
parties, escorts, persons, documents and the signature boxes. The caller decides which names
go in (full names only for the two agencies) and audits the download."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF


@dataclass(frozen=True)
class HandoverSheet:
    code: str
    case_code: str
    from_agency: str
    to_agency: str
    handover_on: date
    place: str
    escorts: list[str] = field(default_factory=list)
    persons: list[tuple[str, str]] = field(default_factory=list)  # (person code, name)
    documents: list[str] = field(default_factory=list)
    documents_note: str = ""
    status: str = ""


FONTS = Path(__file__).resolve().parent / "fonts"  # DejaVu Sans, see fonts/LICENSE
FONT = "DejaVu"


def render_handover(sheet: HandoverSheet) -> bytes:
    """The names print as written, whatever their script's Latin marks (Vietnamese, Tetum,
    Portuguese): the embedded DejaVu Sans (subset into the file) covers them, unlike the PDF
    core fonts' Latin-1."""
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(sheet.code)
    pdf.set_author("Simpul")
    pdf.set_subject(sheet.case_code)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.cell(
        0,
        8,
        _("Handover record (berita acara serah terima)"),
        new_x="LMARGIN",
        new_y="NEXT",
        align="C",
    )
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, f"{_('Number')}: {sheet.code}", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(4)

    def row(label: str, value: str) -> None:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(55, 6, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 6, value or "-", new_x="LMARGIN", new_y="NEXT")

    row(_("Case"), sheet.case_code)
    row(_("Handed over by"), sheet.from_agency)
    row(_("Received by"), sheet.to_agency)
    row(_("Date"), date_format(sheet.handover_on, "j F Y"))
    row(_("Place"), sheet.place)
    row(_("Escorted by"), ", ".join(sheet.escorts))
    row(_("Status"), sheet.status)
    pdf.ln(3)

    def heading(text: str) -> None:
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)

    heading(_("Persons handed over"))
    for number, (code, name) in enumerate(sheet.persons, start=1):
        pdf.cell(0, 6, f"{number}. {name} ({code})", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    heading(_("Documents handed over"))
    if not sheet.documents:
        pdf.cell(0, 6, "-", new_x="LMARGIN", new_y="NEXT")
    for number, document in enumerate(sheet.documents, start=1):
        pdf.cell(0, 6, f"{number}. {document}", new_x="LMARGIN", new_y="NEXT")
    if sheet.documents_note:
        pdf.multi_cell(0, 6, sheet.documents_note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)

    # Two signature boxes side by side: the one who hands over, the one who receives.
    width = (pdf.w - pdf.l_margin - pdf.r_margin - 10) / 2
    top = pdf.get_y()
    for index, (title, agency) in enumerate(
        ((_("Handed over by"), sheet.from_agency), (_("Received by"), sheet.to_agency))
    ):
        x = pdf.l_margin + index * (width + 10)
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(width, 6, f"{title}\n{agency}", border="LTR", align="C")
        pdf.set_x(x)
        pdf.cell(width, 28, "", border="LR")
        pdf.set_xy(x, top + 12 + 28)
        pdf.set_font(FONT, "", 9)
        pdf.cell(width, 8, _("Name, signature and stamp"), border="LBR", align="C")
    return bytes(pdf.output())
