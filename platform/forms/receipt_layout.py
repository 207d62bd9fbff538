"""Laying out the receipt's text on A4 pages with fpdf2, so that no page ends up holding a lone
word or line: a heading stays with what follows it, a question stays with its answer, and a
long answer broken across pages leaves at least two lines on either side (widow and orphan
control). fpdf2 itself only breaks where a line no longer fits."""

from __future__ import annotations

from dataclasses import dataclass, field

from fpdf import FPDF

STYLES = {
    # style: (font style, size, line height in mm)
    "title": ("B", 16, 8),
    "heading": ("B", 13, 7),
    "label": ("B", 11, 6),
    "text": ("", 11, 6),
}
MIN_LINES = 2  # at the foot of a page and at the head of the next


@dataclass
class Block:
    parts: list[tuple[str, str]]  # (style, text), written one below the other
    space_before: float = 0.0
    keep_with_next: bool = False  # a heading: never the last thing on a page
    outline: tuple[str, int] | None = None  # (title, level): a bookmark where it starts
    lines: list[tuple[str, str]] = field(default_factory=list)


def _font(pdf: FPDF, style: str) -> float:
    weight, size, height = STYLES[style]
    pdf.set_font("Helvetica", weight, size)
    return height


def _measure(pdf: FPDF, block: Block) -> None:
    block.lines = []
    for style, text in block.parts:
        _font(pdf, style)
        for line in pdf.multi_cell(0, STYLES[style][2], text, dry_run=True, output="LINES"):
            block.lines.append((style, line))


def _height(lines: list[tuple[str, str]]) -> float:
    return sum(STYLES[style][2] for style, _text in lines)


def _room(pdf: FPDF) -> float:
    return pdf.page_break_trigger - pdf.get_y()


def _at_top(pdf: FPDF) -> bool:
    return pdf.get_y() <= pdf.t_margin + 0.01


def _write(pdf: FPDF, lines: list[tuple[str, str]]) -> None:
    for style, text in lines:
        height = _font(pdf, style)
        pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _fitting(pdf: FPDF, lines: list[tuple[str, str]]) -> int:
    room, count = _room(pdf), 0
    for style, _text in lines:
        room -= STYLES[style][2]
        if room < 0:
            break
        count += 1
    return count


def lay_out(pdf: FPDF, blocks: list[Block]) -> None:
    for block in blocks:
        _measure(pdf, block)
    page = pdf.page_break_trigger - pdf.t_margin
    for index, block in enumerate(blocks):
        following = blocks[index + 1].lines[:MIN_LINES] if index + 1 < len(blocks) else []
        need = block.space_before + _height(block.lines)
        if block.keep_with_next:
            need += _height(following)
        if (
            need > _room(pdf)
            and not _at_top(pdf)
            and (need <= page or _fitting(pdf, block.lines) < MIN_LINES)
        ):
            pdf.add_page()
        if not _at_top(pdf):
            pdf.ln(block.space_before)
        if block.outline:
            pdf.start_section(*block.outline)
        rest = block.lines
        while rest:
            fit = _fitting(pdf, rest)
            if fit >= len(rest):
                _write(pdf, rest)
                break
            # a block longer than the page's rest: break it, two lines at least each side
            fit = min(fit, len(rest) - MIN_LINES)
            if fit < MIN_LINES and not _at_top(pdf):
                pdf.add_page()
                continue
            fit = max(fit, 1)
            _write(pdf, rest[:fit])
            rest = rest[fit:]
            pdf.add_page()
