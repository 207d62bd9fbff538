"""The console's pages. Each view reads through `queries` and writes through the services of
tenants and infra (which check the operator's capability and write the audit entries); a
refusal becomes the 403 page, an unknown tenant the 404 page, Terraform's failure one line."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portalwerk.infra import services as infra
from portalwerk.infra.errors import InfraError
from portalwerk.platform.authz.capabilities import PERMISSION_DENIED
from portalwerk.platform.console import queries
from portalwerk.platform.console.access import operator_page
from portalwerk.platform.console.forms import NewTenantForm, TenantFilterForm
from portalwerk.tenants import lifecycle, upgrades
from portalwerk.tenants import services as tenants
from portalwerk.tenants.models import RunState, StepState, TenantStatus

SIGNS = {"create": "+", "update": "~", "delete": "−", "replace": "−/+"}


def _refused(exc: ValidationError) -> bool:
    if hasattr(exc, "error_dict"):
        errors = [e for found in exc.error_dict.values() for e in found]
    else:
        errors = exc.error_list
    return any(e.code == PERMISSION_DENIED for e in errors)


def _text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@operator_page
@require_http_methods(["GET"])
def tenant_list(request):
    form = TenantFilterForm(request.GET or None)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        page = queries.tenant_list(
            request.actor,
            q=data.get("q", ""),
            status=data.get("status", ""),
            kind=data.get("kind", ""),
            page=data.get("page") or 1,
        )
    base = {k: v for k, v in (form.cleaned_data if page and form.is_bound else {}).items() if v}
    base.pop("page", None)
    return render(
        request,
        "console/tenants.html",
        {
            "form": form,
            "page": page,
            "base_query": urlencode(base),
            "cap": queries.COUNT_CAP,
        },
        status=status,
    )


def _tenant_or_404(request, slug: str):
    tenant = queries.get_tenant(request.actor, slug)
    if tenant is None:
        raise Http404
    return tenant


ACTIONS = {
    "suspend": (
        tenants.suspend_tenant,
        gettext_lazy("%(name)s is suspended: its portal is closed."),
    ),
    "resume": (tenants.resume_tenant, gettext_lazy("%(name)s is active again.")),
}


OFFBOARDABLE = {TenantStatus.ACTIVE, TenantStatus.SUSPENDED}


def _offboard(request, tenant) -> None:
    """Offboarding closes the portal for good: asked for with a confirmation and a grace period
    in whole days (the service checks its range)."""
    if request.POST.get("confirmed") != "yes":
        raise ValidationError(
            _("Tick the confirmation to offboard %(name)s.") % {"name": tenant.name},
            code="not_confirmed",
        )
    text = (request.POST.get("grace_days") or "").strip()
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to isdigit, not to int()
        raise ValidationError(
            _("The grace period is a number of days from 0 to 3650."), code="invalid"
        )
    lifecycle.start_offboarding(actor=request.actor, slug=tenant.slug, grace_days=int(text))


@operator_page
@require_http_methods(["GET", "POST"])
def tenant_detail(request, slug: str):
    tenant = _tenant_or_404(request, slug)
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ACTIONS:
                service, done = ACTIONS[action]
                service(actor=request.actor, slug=tenant.slug)
                messages.success(request, str(done) % {"name": tenant.name})
            elif action == "resume_lifecycle":
                lifecycle.resume(actor=request.actor, slug=tenant.slug)
                messages.success(request, _("The unfinished steps run again in the worker."))
            elif action == "offboard":
                _offboard(request, tenant)
                messages.success(
                    request, _("Offboarding %(name)s has started.") % {"name": tenant.name}
                )
            elif action == "migrate":
                upgrades.start_migration(actor=request.actor, slug=tenant.slug)
                messages.success(
                    request, _("Migrating %(name)s has started.") % {"name": tenant.name}
                )
            else:
                raise ValidationError(_("Unknown action."), code="unknown_action")
        except ValidationError as exc:
            if _refused(exc):
                return render(request, "console/forbidden.html", status=403)
            error, status = _text(exc), 400
        else:
            return redirect("console:tenant", slug=tenant.slug)
    runs = lifecycle.progress(tenant)
    open_offboarding = any(r.kind == "offboard" and r.state != RunState.DONE for r in runs)
    return render(
        request,
        "console/tenant.html",
        {
            "tenant": tenant,
            "error": error,
            "domains": list(tenant.domains.all()),
            "modules": queries.modules(tenant),
            "usage": queries.usage(tenant),
            "terraform": queries.terraform_state(tenant),
            "migrations": queries.migration_state(tenant),
            "entries": queries.operator_entries(tenant),
            "can_suspend": tenant.status == TenantStatus.ACTIVE,
            "can_resume": tenant.status == TenantStatus.SUSPENDED,
            "lifecycle_runs": runs,
            "can_resume_lifecycle": bool(runs) and runs[0].state == RunState.FAILED,
            "can_offboard": tenant.status in OFFBOARDABLE and not open_offboarding,
            "grace_days": request.POST.get("grace_days")
            or settings.PORTALWERK_OFFBOARDING_GRACE_DAYS,
        },
        status=status,
    )


def _plan_page(request, tenant, *, plan=None, error="", status=200):
    changes = [(SIGNS.get(c.action, "?"), c) for c in plan.changes] if plan else []
    return render(
        request,
        "console/plan.html",
        {"tenant": tenant, "plan": plan, "changes": changes, "error": error},
        status=status,
    )


@operator_page
def plan(request, slug: str):
    """The plan: what applying would add, change and destroy, and the button that applies."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    tenant = _tenant_or_404(request, slug)
    try:
        planned = infra.planned(actor=request.actor, slug=tenant.slug)
    except InfraError as exc:
        return _plan_page(request, tenant, error=exc.message)
    return _plan_page(request, tenant, plan=planned)


@operator_page
def apply(request, slug: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    tenant = _tenant_or_404(request, slug)
    if request.POST.get("confirmed") != "yes":
        return redirect("console:tenant", slug=tenant.slug)
    try:
        done = infra.apply(actor=request.actor, slug=tenant.slug)
    except InfraError as exc:
        return _plan_page(request, tenant, error=exc.message)
    messages.success(
        request,
        _("Applied: %(add)d added, %(change)d changed, %(destroy)d destroyed.")
        % {"add": done.add, "change": done.change, "destroy": done.destroy},
    )
    return redirect("console:tenant", slug=tenant.slug)


@operator_page
@require_http_methods(["GET", "POST"])
def upgrades_page(request):
    error, status = "", 200
    if request.method == "POST":
        try:
            upgrades.start_migration(actor=request.actor)
        except ValidationError as exc:
            if _refused(exc):
                return render(request, "console/forbidden.html", status=403)
            error, status = _text(exc), 400
        else:
            messages.success(request, _("Migrating the schemas that are behind has started."))
            return redirect("console:upgrades")
    overview = queries.upgrades_overview(request.actor)
    running = any(run.finished_at is None for run in overview.runs)
    return render(
        request,
        "console/upgrades.html",
        {"overview": overview, "error": error, "running": running},
        status=status,
    )


@operator_page
@require_http_methods(["GET", "POST"])
def new_tenant(request):
    """Onboarding a tenant: its steps run in the request, and the tenant's page shows them."""
    form = NewTenantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = lifecycle.start_onboarding(
                    actor=request.actor,
                    data=form.new_tenant(),
                    demo_content=form.cleaned_data["demo_content"],
                    wait=True,
                )
            except ValidationError as exc:
                if _refused(exc):
                    return render(request, "console/forbidden.html", status=403)
                form.add_refusal(exc)
            else:
                if run.tenant_id is not None:
                    if run.state == RunState.DONE:
                        messages.success(
                            request, _("%(name)s is onboarded.") % {"name": run.tenant}
                        )
                    else:
                        failed = run.steps.filter(state=StepState.FAILED).first()
                        messages.error(
                            request,
                            _("The onboarding stopped at “%(step)s”: %(message)s")
                            % {
                                "step": failed.label if failed else "",
                                "message": failed.message if failed else "",
                            },
                        )
                    return redirect("console:tenant", slug=run.slug)
                failed = run.steps.filter(state=StepState.FAILED).first()
                form.add_error(None, failed.message if failed else run.get_state_display())
        status = 400
    return render(request, "console/new_tenant.html", {"form": form}, status=status)
