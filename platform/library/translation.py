"""Translatable content: German is required, English optional; a reader of English gets the German
text when there is no English one, and the text says which language it is in (for `lang`)."""

from __future__ import annotations

from django.utils import translation

CONTENT_LANGUAGES = ("de", "en")
FALLBACK = "de"


class TranslatedText(str):
    """A str that knows its language, so templates can mark German fallbacks with lang="de"."""

    lang: str = FALLBACK

    def __new__(cls, value: str, lang: str):
        text = super().__new__(cls, value or "")
        text.lang = lang
        return text


class translated:  # noqa: N801 (used like a field declaration)
    """`name = translated("name")` reads `name_<active language>`, falling back to `name_de`."""

    def __init__(self, base: str):
        self.base = base

    def __set_name__(self, owner, name):
        self.attr = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return text_for(obj, self.base)


def text_for(obj, base: str, language: str | None = None) -> TranslatedText:
    language = (language or translation.get_language() or FALLBACK)[:2]
    if language in CONTENT_LANGUAGES and language != FALLBACK:
        value = getattr(obj, f"{base}_{language}", "")
        if value and value.strip():
            return TranslatedText(value, language)
    return TranslatedText(getattr(obj, f"{base}_{FALLBACK}", ""), FALLBACK)
