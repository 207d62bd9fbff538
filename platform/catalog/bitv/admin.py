"""The BITV 2.0 entries in the back office: the statement with its known barriers, the sign
language videos, and the feedback received (read and marked answered, never edited)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.catalog.models import (
    AccessibilityFeedback,
    AccessibilityStatement,
    KnownBarrier,
    SignLanguageVideo,
)


class KnownBarrierInline(admin.StackedInline):
    model = KnownBarrier
    extra = 0


@admin.register(AccessibilityStatement, site=backoffice_site)
class AccessibilityStatementAdmin(admin.ModelAdmin):
    inlines = [KnownBarrierInline]
    list_display = ["__str__", "conformance", "reviewed_on", "response_days"]
    fieldsets = [
        (None, {"fields": ["conformance", "reviewed_on", "review_method_de", "review_method_en"]}),
        (_("Feedback"), {"fields": ["response_days", "contact_email"]}),
        ("Leichte Sprache", {"fields": ["easy_content", "easy_navigation", "easy_statement"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AccessibilityStatement.objects.exists()


@admin.register(SignLanguageVideo, site=backoffice_site)
class SignLanguageVideoAdmin(admin.ModelAdmin):
    list_display = ["title_de", "position"]


@admin.register(AccessibilityFeedback, site=backoffice_site)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["received_at", "answer_by", "answered", "email"]
    list_filter = ["answered"]
    fields = ["received_at", "answer_by", "name", "email", "page", "message", "answered"]
    readonly_fields = ["received_at", "answer_by", "name", "email", "page", "message"]

    def has_add_permission(self, request):
        return False
