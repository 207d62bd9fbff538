"""`{{ cents|money }}`: an amount of euro cents as the page's language writes money."""

from django import template

from portalwerk.platform.forms.fees import format_fee

register = template.Library()


@register.filter
def money(cents) -> str:
    try:
        return format_fee(int(cents))
    except (TypeError, ValueError):
        return ""
