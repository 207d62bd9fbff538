"""The technical administration on the base host (Django admin, `/admin/`): tenants created with
their first tenant admin, modules edited, suspended and resumed through the same service
functions the CLI, the platform API and the operator console (`platform/console`, `/console/`)
use."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.audit.admin_changes import AuditedSite
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import can_operate_platform
from portalwerk.platform.backoffice import sign_in_redirect
from portalwerk.tenants import lifecycle, module_settings, onboarding, services
from portalwerk.tenants.models import Module, RunState, StepState, Tenant, TenantKind


class OperatorSite(AuditedSite, admin.AdminSite):
    site_header = _("Portalwerk operator console")
    site_title = _("Operator console")
    index_title = _("Platform")

    def login(self, request, extra_context=None):
        return sign_in_redirect(request)

    def has_permission(self, request):
        tenant = getattr(request, "tenant", None)
        return bool(
            tenant is not None and tenant.is_platform and can_operate_platform(actor_for(request))
        )


operator_site = OperatorSite(name="admin")


class TenantCreateForm(forms.ModelForm):
    parent_slug = forms.CharField(label=_("District (slug)"), required=False)
    extra_domains = forms.CharField(
        label=_("Custom domains"),
        required=False,
        help_text=_("Separated by spaces or commas."),
    )
    kind = forms.ChoiceField(choices=[c for c in TenantKind.choices if c[0] != TenantKind.PLATFORM])
    admin_email = forms.EmailField(
        label=_("First tenant admin (email)"),
        required=False,
        help_text=_("Gets an invitation to choose a password; optional, can be sent later."),
    )

    class Meta:
        model = Tenant
        fields = ["name", "slug", "kind", "official_key"]

    def new_tenant(self) -> services.NewTenant:
        data = self.cleaned_data
        domains = [d for d in data.get("extra_domains", "").replace(",", " ").split() if d]
        return services.NewTenant(
            name=data.get("name", ""),
            slug=data.get("slug", ""),
            kind=data.get("kind", ""),
            parent_slug=data.get("parent_slug") or None,
            official_key=data.get("official_key", ""),
            domains=domains,
            admin_email=data.get("admin_email") or "",
        )

    def validate_unique(self):
        # Uniqueness is the service's to check, with its own messages.
        pass

    def _post_clean(self):
        try:
            services.validate_new_tenant(self.new_tenant())
        except ValidationError as exc:
            mapping = {"parent": "parent_slug", "domains": "extra_domains"}
            for field, errors in exc.error_dict.items():
                target = mapping.get(field, field)
                self.add_error(target if target in self.fields else None, errors)


class _DryRun(Exception):
    pass


class TenantModulesForm(forms.ModelForm):
    """The operator's module switches and the contract's allowed modules, written through
    `module_settings` (tried first in a rolled-back savepoint, so its refusals show here)."""

    allowed_modules = forms.MultipleChoiceField(
        label=_("Allowed modules (contract)"),
        choices=Module.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modules = forms.MultipleChoiceField(
        label=_("Modules switched on"),
        choices=Module.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actor = None

    class Meta:
        model = Tenant
        fields = ["allowed_modules", "modules"]

    def apply(self) -> None:
        data = self.cleaned_data
        slug = self.instance.slug
        module_settings.set_allowed_modules(
            actor=self.actor, slug=slug, allowed=data.get("allowed_modules", [])
        )
        chosen = set(data.get("modules", []))
        module_settings.set_modules(
            actor=self.actor,
            slug=slug,
            on=sorted(chosen),
            off=sorted(set(Module.values) - chosen),
        )

    def _post_clean(self):
        try:
            with transaction.atomic():
                self.apply()
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as exc:
            mapping = {"on": "modules", "off": "modules", "allowed": "allowed_modules"}
            for field, errors in exc.error_dict.items():
                target = mapping.get(field, field)
                self.add_error(target if target in self.fields else None, errors)


@admin.register(Tenant, site=operator_site)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "parent", "status", "official_key"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "slug", "official_key"]
    actions = ["suspend", "resume", "resend_invitation"]
    readonly_fields = [
        "name",
        "slug",
        "kind",
        "parent",
        "official_key",
        "status",
        "schema_name",
        "created_at",
    ]
    fields = [*readonly_fields, "allowed_modules", "modules"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public").select_related("parent")

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = None
        if obj is None:
            kwargs["form"] = TenantCreateForm
            return super().get_form(request, obj, change, **kwargs)
        kwargs["form"] = TenantModulesForm
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.actor
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "name",
                "slug",
                "kind",
                "parent_slug",
                "official_key",
                "extra_domains",
                "admin_email",
            ]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    audit_admin_changes = False  # create, suspend, resume and delete are services, audited

    def save_model(self, request, obj, form, change):
        if change:
            form.apply()
            obj.refresh_from_db()
            return
        # the onboarding's steps, here and now: the form shows the tenant it made next
        run = lifecycle.start_onboarding(actor=request.actor, data=form.new_tenant(), wait=True)
        if run.state != RunState.DONE:
            failed = run.steps.filter(state=StepState.FAILED).first()
            self.message_user(
                request,
                _("The onboarding of %(slug)s stopped at “%(step)s”: %(message)s")
                % {
                    "slug": run.slug,
                    "step": failed.name if failed else "",
                    "message": failed.message if failed else run.get_state_display(),
                },
                messages.ERROR,
            )
        obj.pk = run.tenant_id
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        return False  # offboarding goes through `portalwerk tenants delete`, with confirmation

    @admin.action(description=_("Suspend selected tenants"))
    def suspend(self, request, queryset):
        self._each(request, queryset, services.suspend_tenant, _("Suspended"))

    @admin.action(description=_("Resume selected tenants"))
    def resume(self, request, queryset):
        self._each(request, queryset, services.resume_tenant, _("Resumed"))

    @admin.action(description=_("Send the tenant admin's invitation again"))
    def resend_invitation(self, request, queryset):
        for tenant in queryset:
            try:
                sent = onboarding.resend_admin_invitation(actor=request.actor, tenant=tenant)
            except ValidationError as exc:
                self.message_user(
                    request, f"{tenant.name}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s: invitation sent again to %(emails)s")
                    % {"name": tenant.name, "emails": ", ".join(sent)},
                    messages.SUCCESS,
                )

    def _each(self, request, queryset, service, verb):
        for tenant in queryset:
            try:
                service(actor=request.actor, slug=tenant.slug)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, f"{verb}: {tenant.name}", messages.SUCCESS)


class ActionFilter(admin.SimpleListFilter):
    """The actions by their names, not their codes ("tenant.created")."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        used = Entry.objects.values_list("action", flat=True).distinct().order_by("action")
        return [(code, Entry(action=code).action_label) for code in used]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("kind of object")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        used = Entry.objects.exclude(object_type="").values_list("object_type", flat=True)
        return [(kind, Entry(object_type=kind).object_type_label) for kind in sorted(set(used))]

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(Entry, site=operator_site)
class AuditEntryAdmin(admin.ModelAdmin):
    """The operators' audit log (public schema): read only."""

    list_display = ["at", "actor_kind", "actor_user_id", "action_text", "object_text", "object_id"]
    list_filter = [ActionFilter, ObjectTypeFilter]
    search_fields = ["object_id", "request_id"]
    fields = readonly_fields = [
        "at",
        "actor_kind",
        "actor_user_id",
        "action_text",
        "object_text",
        "object_id",
        "request_id",
        "detail",
    ]

    @admin.display(description=_("action"), ordering="action")
    def action_text(self, entry: Entry) -> str:
        return entry.action_label

    @admin.display(description=_("kind of object"), ordering="object_type")
    def object_text(self, entry: Entry) -> str:
        return entry.object_type_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
