"""Form building in the clerk back office: a JSON editor checked against the definition schema,
a preview of every step, publishing, new versions, and adopting library templates."""

from __future__ import annotations

import json

from django import forms as djforms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms import rendering, services
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import DefinitionError
from portalwerk.platform.forms.models import Form, FormVersion, PurgeRecord, VersionStatus
from portalwerk.platform.forms.services.signing_in import requirement_text


class VersionForm(djforms.ModelForm):
    definition = djforms.JSONField(
        label=_("Definition (JSON)"),
        widget=djforms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        help_text=_(
            "Steps with fields; see the clerk guide. It is checked when you save; a published "
            "version cannot change."
        ),
    )

    class Meta:
        model = FormVersion
        fields = ["definition"]

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            FormSpec.from_definition(definition)
        except DefinitionError as exc:
            raise ValidationError(exc.problems, code="invalid_definition") from None
        return definition


@admin.register(FormVersion, site=backoffice_site)
class FormVersionAdmin(admin.ModelAdmin):
    form = VersionForm
    list_display = ["form", "number", "status", "published_at", "preview_link"]
    list_filter = ["status", "form"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return ["definition_json", "status", "published_at"]
        return ["status", "published_at"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return ["definition_json", "status", "published_at"]
        return ["definition", "status", "published_at"]

    @admin.display(description=_("Definition"))
    def definition_json(self, obj):
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.definition, indent=2, ensure_ascii=False)
        )

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        url = reverse("backoffice:forms_formversion_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    def has_add_permission(self, request):
        return False  # new versions come from the form ("new draft version")

    audit_admin_changes = False  # the service writes the entry

    def save_model(self, request, obj, form, change):
        services.save_version_definition(
            actor=request.actor, version=obj, definition=form.cleaned_data["definition"]
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview),
                name="forms_formversion_preview",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish),
                name="forms_formversion_publish",
            ),
            *super().get_urls(),
        ]

    def preview(self, request, pk: int):
        version = get_object_or_404(FormVersion, pk=pk)
        lang = (get_language() or "de")[:2]
        spec = version.spec
        steps = [
            {
                "title": step.title_text(lang),
                "fields": rendering.step_context(step, {}, {}, lang, {}),
            }
            for step in spec.steps
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview"),
            "version": version,
            "steps": steps,
            "fee": spec.fee_cents({}) if spec.needs_payment else None,
            "sign_in_text": requirement_text(spec.sign_in),
        }
        return TemplateResponse(request, "forms/admin_preview.html", context)

    def publish(self, request, pk: int):
        version = get_object_or_404(FormVersion, pk=pk)
        if request.method == "POST":
            try:
                services.publish_version(actor=request.actor, version=version)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, _("The version is published."))
        return redirect("backoffice:forms_formversion_change", pk)


class FormCreationForm(djforms.ModelForm):
    definition = djforms.JSONField(
        label=_("Definition (JSON)"),
        initial={"steps": [{"key": "step1", "title": {"de": "", "en": ""}, "fields": []}]},
        widget=djforms.Textarea(attrs={"rows": 20, "cols": 100, "spellcheck": "false"}),
    )

    class Meta:
        model = Form
        fields = [
            "slug",
            "title",
            "description",
            "service_key",
            "retention_days",
            "retention_action",
            "draft_days",
            "processing_days",
        ]

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            FormSpec.from_definition(definition)
        except DefinitionError as exc:
            raise ValidationError(exc.problems, code="invalid_definition") from None
        return definition


@admin.register(Form, site=backoffice_site)
class FormAdmin(admin.ModelAdmin):
    list_display = ["slug", "__str__", "service_key", "is_active", "published", "template_state"]
    search_fields = ["slug", "service_key"]
    actions = ["new_version", "withdraw"]
    readonly_fields = ["template_key", "template_version", "versions_list"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = FormCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*FormCreationForm.Meta.fields, "definition"]
        return [
            "slug",
            "title",
            "description",
            "service_key",
            "retention_days",
            "retention_action",
            "draft_days",
            "processing_days",
            "is_active",
            "template_key",
            "template_version",
            "versions_list",
        ]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        made = services.create_form(
            actor=request.actor,
            slug=obj.slug,
            title=obj.title,
            description=obj.description,
            definition=form.cleaned_data["definition"],
            service_key=obj.service_key,
            retention_days=obj.retention_days,
        )
        obj.pk = made.pk
        Form.objects.filter(pk=made.pk).update(
            retention_action=obj.retention_action, draft_days=obj.draft_days
        )

    @admin.display(description=_("published version"))
    def published(self, obj):
        version = obj.published_version
        return version.number if version else "–"

    @admin.display(description=_("library"))
    def template_state(self, obj):
        if not obj.template_key:
            return ""
        if services.template_update_available(obj):
            return _("A newer library version exists")
        return _("up to date")

    @admin.display(description=_("versions"))
    def versions_list(self, obj):
        rows = [
            format_html(
                '<li><a href="{}">v{} ({})</a> · <a href="{}">{}</a>{}</li>',
                reverse("backoffice:forms_formversion_change", args=[v.pk]),
                v.number,
                v.get_status_display(),
                reverse("backoffice:forms_formversion_preview", args=[v.pk]),
                _("Preview"),
                format_html(
                    ' · <a href="{}">{}</a>',
                    reverse("form-builder:edit", kwargs={"form_id": obj.pk, "number": v.number}),
                    _("Build without JSON"),
                )
                if v.status == VersionStatus.DRAFT
                else "",
            )
            for v in obj.versions.all()
        ]
        return format_html("<ul>{}</ul>", format_html("".join(rows)))

    @admin.action(description=_("Make a new draft version"))
    def new_version(self, request, queryset):
        for form in queryset:
            services.new_draft_version(actor=request.actor, form=form)
        messages.success(request, _("Draft versions are ready to edit."))

    @admin.action(description=_("Take offline (withdraw)"))
    def withdraw(self, request, queryset):
        for form in queryset:
            services.withdraw_form(actor=request.actor, form=form)


@admin.register(PurgeRecord, site=backoffice_site)
class PurgeRecordAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "form", "action", "count", "files"]
    readonly_fields = ["ran_at", "form", "action", "count", "files", "references"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
