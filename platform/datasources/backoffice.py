"""The tenant admin's data source pages in the back office: the list, one page per source to
create or change it, and "test the source", which shows what the source answers now. Each POST
calls one function of `services`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.accounts.forms import AccessibleForm
from portalwerk.platform.authz.capabilities import can_manage_data_sources
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.datasources import services
from portalwerk.platform.datasources.base import describe
from portalwerk.platform.datasources.mapping import label_text
from portalwerk.platform.datasources.models import DataSource
from portalwerk.platform.datasources.registry import sources


class SourceForm(AccessibleForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    key = forms.CharField(
        label=gettext_lazy("Key"),
        max_length=63,
        help_text=gettext_lazy(
            'Form definitions name the source by it, as in "options_from": "waters".'
        ),
    )
    cache_seconds = forms.IntegerField(
        label=gettext_lazy("Keep an answer for (seconds)"),
        min_value=0,
        initial=3600,
        help_text=gettext_lazy("Within this time forms use the kept answer and do not ask."),
    )
    fallback = forms.CharField(
        label=gettext_lazy("Fallback options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Offered when the source fails and never answered before: one a line, as "
            "“value | label”. Empty: no fallback."
        ),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    field_order = ["name", "key", "timeout_seconds", "cache_seconds", "fallback", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timeout_seconds"] = forms.IntegerField(
            label=_("Timeout in seconds"),
            min_value=1,
            max_value=settings.PORTALWERK_DATASOURCE_MAX_TIMEOUT_SECONDS,
            initial=3,
        )
        self.order_fields(self.field_order)

    def clean_fallback(self) -> list[dict]:
        options = []
        for line in self.cleaned_data["fallback"].splitlines():
            if not line.strip():
                continue
            value, _bar, label = line.partition("|")
            options.append({"value": value.strip(), "label": label.strip() or value.strip()})
        return options


def _fallback_text(source: DataSource) -> str:
    return "\n".join(f"{o['value']} | {label_text(o)}" for o in source.fallback_options)


def _admin_only(request) -> None:
    if not can_manage_data_sources(request.actor):
        raise Http404


@backoffice_site.admin_view
def source_list(request):
    _admin_only(request)
    return render(
        request,
        "datasources/list.html",
        {
            "sources": DataSource.objects.all(),
            "plugins": [(p.name, p.label) for p in sources.enabled()],
            "describe": describe,
        },
    )


def _page(request, plugin_name: str, source: DataSource | None, outcome=None):
    try:
        plugin = sources.get(plugin_name)
    except LookupError:
        raise Http404 from None
    status = 200
    if request.method == "POST" and outcome is None:
        form = SourceForm(request.POST)
        config = services.config_form(plugin_name, data=request.POST)
        config_ok = config.is_valid()  # both forms validated, so every error shows at once
        if form.is_valid() and config_ok:
            try:
                source = services.save_source(
                    actor=request.actor,
                    source=source,
                    plugin=plugin_name,
                    config=request.POST,
                    key=form.cleaned_data["key"],
                    name=form.cleaned_data["name"],
                    timeout_seconds=form.cleaned_data["timeout_seconds"],
                    cache_seconds=form.cleaned_data["cache_seconds"],
                    fallback_options=form.cleaned_data["fallback"],
                    is_active=form.cleaned_data["is_active"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The data source is saved."))
                return redirect("datasources:source", pk=source.pk)
        status = 400
    elif source is not None:
        form = SourceForm(
            initial={
                "name": source.name,
                "key": source.key,
                "timeout_seconds": source.timeout_seconds,
                "cache_seconds": source.cache_seconds,
                "fallback": _fallback_text(source),
                "is_active": source.is_active,
            }
        )
        config = services.config_form(plugin_name, source=source)
    else:
        form, config = SourceForm(), services.config_form(plugin_name)
    return render(
        request,
        "datasources/source.html",
        {
            "form": form,
            "config": config,
            "plugin": plugin,
            "source": source,
            "outcome": outcome,
            "has_errors": bool(form.errors or config.errors),
            "last_problem": describe(source.last_problem) if source and source.last_problem else "",
        },
        status=status,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def new_source(request, plugin: str):
    _admin_only(request)
    return _page(request, plugin, None)


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def source(request, pk: int):
    _admin_only(request)
    found = get_object_or_404(DataSource, pk=pk)
    return _page(request, found.plugin, found)


@backoffice_site.admin_view
@require_POST
def test(request, pk: int):
    _admin_only(request)
    found = get_object_or_404(DataSource, pk=pk)
    outcome = services.test_source(actor=request.actor, source=found)
    return _page(request, found.plugin, found, outcome)


app_name = "datasources"
urlpatterns = [
    path("", source_list, name="list"),
    path("new/<slug:plugin>/", new_source, name="new"),
    path("<int:pk>/", source, name="source"),
    path("<int:pk>/test/", test, name="test"),
]
