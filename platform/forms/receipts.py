"""The PDF receipt of a submission: the tenant's letterhead, every answer, the reference, the
date and the fee. Made once, when the submission is made (`store_receipt`, in the submit
transaction), and kept: the mailed copy and every downloaded copy are the same bytes, and their
SHA-256 checksum is shown to the citizen.

Made with fpdf2 (pure Python, from PyPI, no system packages). Accessibility as far as fpdf2
allows: the document language, title, author and subject are set in the submission's language
(the title is shown instead of the file name), headings are real outline entries (bookmarks)
and the text is real text in reading order, never an image. The core Helvetica font covers
Latin-1 (German umlauts and ß); characters outside it are replaced by close equivalents rather
than dropped. The layout keeps headings with what follows and never leaves a lone line on a
page (`receipt_layout`)."""

from __future__ import annotations

import hashlib
import io

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF, ViewerPreferences

from portalwerk.platform.forms.fees import format_fee
from portalwerk.platform.forms.letterhead import Letterhead, letterhead_for
from portalwerk.platform.forms.models import Receipt, Submission
from portalwerk.platform.forms.receipt_layout import Block, lay_out

__all__ = ["format_fee", "receipt_of", "render_receipt", "store_receipt"]

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
LOGO_HEIGHT = 18  # mm


def _latin1(text: str) -> str:
    for char, replacement in REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def _letterhead(pdf: FPDF, head: Letterhead) -> None:
    top = pdf.get_y()
    left = pdf.l_margin
    if head.logo:
        try:
            info = pdf.image(io.BytesIO(head.logo), x=left, y=top, h=LOGO_HEIGHT)
            left += float(info.rendered_width) + 6
        except Exception:  # a logo fpdf2 cannot read: the letterhead goes on without it
            left = pdf.l_margin
    pdf.set_xy(left, top)
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, _latin1(head.name), new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in (head.office, *head.address, *head.contact):
        if line:
            pdf.multi_cell(0, 4.5, _latin1(line), new_x="LEFT", new_y="NEXT")
    bottom = max(pdf.get_y(), top + (LOGO_HEIGHT if head.logo else 0)) + 3
    pdf.set_draw_color(120, 120, 120)
    pdf.line(pdf.l_margin, bottom, pdf.w - pdf.r_margin, bottom)
    pdf.set_xy(pdf.l_margin, bottom + 5)


def _blocks(submission: Submission, title: str, tenant_name: str, lang: str) -> list[Block]:
    submitted = timezone.localtime(submission.submitted_at).strftime("%d.%m.%Y %H:%M")
    # (no gettext inside f-strings: xgettext does not see those)
    facts = [
        _("Office: %(office)s") % {"office": tenant_name},
        _("Reference number: %(reference)s") % {"reference": submission.reference},
        _("Submitted on: %(when)s") % {"when": submitted},
    ]
    if submission.fee_cents:
        facts.append(_("Fee: %(fee)s") % {"fee": format_fee(submission.fee_cents)})
    blocks = [
        Block([("title", _latin1(title))], keep_with_next=True, outline=(_latin1(title), 0)),
        Block([("text", _latin1(line)) for line in facts]),
    ]
    names = {str(k): v for k, v in submission.uploads.values_list("id", "name")}
    for section in submission.version.spec.summary(submission.answers, lang, names):
        heading = _latin1(section["title"])
        blocks.append(Block([("heading", heading)], 4, keep_with_next=True, outline=(heading, 1)))
        for row in section["rows"]:
            blocks.append(
                Block([("label", _latin1(row["label"])), ("text", _latin1(row["value"] or "–"))])
            )
    return blocks


def render_receipt(submission: Submission, *, tenant_name: str, lang: str | None = None) -> bytes:
    lang = (lang or submission.language or "de")[:2]
    with translation.override(lang):
        title = submission.form.title_text(lang)
        pdf = FPDF(format="A4")
        pdf.set_lang(lang)
        pdf.set_title(
            _("Receipt %(reference)s – %(form)s")
            % {"reference": submission.reference, "form": title}
        )
        pdf.set_author(tenant_name)
        pdf.set_subject(title)
        pdf.set_keywords(submission.reference)
        pdf.set_creator("Portalwerk")
        pdf.set_creation_date(submission.submitted_at)
        pdf.set_display_mode("fullwidth")
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        pdf.page_mode = "USE_OUTLINES"
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_page()
        _letterhead(pdf, letterhead_for(submission, tenant_name=tenant_name, lang=lang))
        lay_out(pdf, _blocks(submission, title, tenant_name, lang))
        return bytes(pdf.output())


def store_receipt(submission: Submission, *, tenant_name: str) -> Receipt:
    """Make the submission's receipt, in its language, and keep it (once: an existing one is
    returned as it is)."""
    existing = Receipt.objects.filter(submission=submission).first()
    if existing is not None:
        return existing
    pdf = render_receipt(submission, tenant_name=tenant_name, lang=submission.language)
    try:
        with transaction.atomic():
            return Receipt.objects.create(
                submission=submission,
                language=(submission.language or "de")[:8],
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
    except IntegrityError:  # made by a concurrent request a moment ago
        return Receipt.objects.get(submission=submission)


def receipt_of(submission: Submission) -> Receipt:
    """The kept receipt; made now for a submission from before receipts were kept."""
    from portalwerk.tenants.current import current_tenant

    found = Receipt.objects.filter(submission=submission).first()
    return found or store_receipt(submission, tenant_name=current_tenant().name)
