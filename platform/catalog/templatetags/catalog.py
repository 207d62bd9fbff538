from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def german_attr() -> str:
    """` lang="de"` on a non-German page, for content that exists in German only (the names and
    hints of bookable services), so screen readers pronounce it as German (WCAG 3.1.2)."""
    if (translation.get_language() or "de")[:2] != "de":
        return mark_safe(' lang="de"')  # noqa: S308 (a constant)
    return ""
