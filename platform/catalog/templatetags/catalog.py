from django import template
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def lang_attr(text) -> str:
    """` lang="de"` when a text is shown in another language than the page (a German fallback on
    an English page), so screen readers pronounce it right (WCAG 3.1.2)."""
    lang = getattr(text, "lang", None)
    if lang and lang != (translation.get_language() or "de")[:2]:
        return format_html(' lang="{}"', lang)
    return ""


@register.filter
def lines(text) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]
