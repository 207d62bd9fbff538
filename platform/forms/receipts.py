"""The PDF receipt of a submission: every answer, the reference, the date and the fee.

Made with fpdf2 (pure Python, from PyPI, no system packages). Accessibility as far as fpdf2
allows: the document language and title are set (shown instead of the file name), headings are
real outline entries (bookmarks) and the text is real text in reading order, never an image.
The core Helvetica font covers Latin-1 (German umlauts and ß); characters outside it are replaced
by close equivalents rather than dropped.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF, ViewerPreferences

from portalwerk.platform.forms.fees import format_fee
from portalwerk.platform.forms.models import Submission

REPLACEMENTS = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‚": "'",
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "€": "EUR",
    "…": "...",
    "\u00a0": " ",
}


def _latin1(text: str) -> str:
    for char, replacement in REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def render_receipt(submission: Submission, *, tenant_name: str, lang: str | None = None) -> bytes:
    lang = (lang or submission.language or "de")[:2]
    with translation.override(lang):
        spec = submission.version.spec
        title = submission.form.title_text(lang)
        pdf = FPDF(format="A4")
        pdf.set_lang(lang)
        pdf.set_title(_latin1(f"{_('Receipt')} {submission.reference} – {title}"))
        pdf.set_author(_latin1(tenant_name))
        pdf.set_subject(_latin1(title))
        pdf.set_creator("Portalwerk")
        pdf.set_display_mode("fullwidth")
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        pdf.page_mode = "USE_OUTLINES"
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.start_section(_latin1(title), level=0)
        pdf.multi_cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        submitted = timezone.localtime(submission.submitted_at).strftime("%d.%m.%Y %H:%M")
        lines = [
            f"{_('Office')}: {tenant_name}",
            f"{_('Reference number')}: {submission.reference}",
            f"{_('Submitted on')}: {submitted}",
        ]
        if submission.fee_cents:
            lines.append(f"{_('Fee')}: {format_fee(submission.fee_cents)}")
        for line in lines:
            pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        names = {str(k): v for k, v in submission.uploads.values_list("id", "name")}
        for section in spec.summary(submission.answers, lang, names):
            pdf.ln(4)
            pdf.set_font("Helvetica", "B", 13)
            pdf.start_section(_latin1(section["title"]), level=1)
            pdf.multi_cell(0, 7, _latin1(section["title"]), new_x="LMARGIN", new_y="NEXT")
            for row in section["rows"]:
                value = row["value"]
                pdf.set_font("Helvetica", "B", 11)
                pdf.multi_cell(0, 6, _latin1(row["label"]), new_x="LMARGIN", new_y="NEXT")
                pdf.set_font("Helvetica", "", 11)
                pdf.multi_cell(0, 6, _latin1(value or "–"), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
