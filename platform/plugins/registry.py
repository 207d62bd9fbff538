"""One registry implementation for every plugin kind. A kind creates one instance
(`Registry("payment", base=PaymentProvider)`); plugins register with `@registry.register("id")`;
which of them are enabled is read from settings on every call, so a settings override in a test
is a real switch."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings

from portalwerk.platform.plugins.base import Plugin
from portalwerk.platform.plugins.kinds import Kind, kind

P = TypeVar("P", bound=Plugin)


def _where(cls: type) -> tuple[str, str]:
    return cls.__module__, cls.__qualname__  # the same class again after a module reload


class PluginUnavailable(LookupError):
    """No plugin of that name is enabled on this installation (unknown, not listed in the
    kind's setting, or a demo plugin while demo plugins are off)."""


@dataclass(frozen=True)
class Problem:
    kind: str
    plugin: str  # the plugin's name, or the package when it could not be loaded
    message: str
    id: str  # the system check id
    warning: bool = False


class Registry(Generic[P]):
    def __init__(
        self,
        kind_: str | Kind,
        *,
        base: type[P],
        unavailable: type[PluginUnavailable] = PluginUnavailable,
    ) -> None:
        self.kind = kind(kind_) if isinstance(kind_, str) else kind_
        self.base = base
        self.unavailable = unavailable
        self._classes: dict[str, type[P]] = {}

    def __repr__(self) -> str:
        return f"<Registry {self.kind.name}>"

    def register(self, name: str) -> Callable[[type[P]], type[P]]:
        def decorator(cls: type[P]) -> type[P]:
            if not (isinstance(cls, type) and issubclass(cls, self.base)):
                raise TypeError(f"{cls!r} is not a {self.base.__name__}")
            existing = self._classes.get(name)
            if existing is not None and _where(existing) != _where(cls):
                raise RuntimeError(f"{self.kind.name} plugin {name!r} is registered twice")
            cls.name = name
            self._classes[name] = cls
            return cls

        return decorator

    # --- what the installation enables ---------------------------------------------------

    def packages(self) -> list[str]:
        return list(getattr(settings, "PORTALWERK_PLUGINS", {}).get(self.kind.name, []))

    def _import(self, package: str) -> None:
        importlib.import_module(f"{package}.{self.kind.module}")

    def _classes_in(self, package: str) -> list[type[P]]:
        return [
            cls
            for cls in self._classes.values()
            if cls.__module__ == package or cls.__module__.startswith(package + ".")
        ]

    def _allowed(self, cls: type[P]) -> bool:
        return not cls.demo or bool(getattr(settings, "PORTALWERK_DEMO_PLUGINS", False))

    def enabled_classes(self) -> list[type[P]]:
        """In the order the setting lists their packages (identity providers are asked so)."""
        found = []
        for package in self.packages():
            self._import(package)
            found += [cls for cls in self._classes_in(package) if self._allowed(cls)]
        return found

    def enabled(self) -> list[P]:
        return [cls() for cls in self.enabled_classes()]

    def names(self) -> list[str]:
        return sorted(cls.name for cls in self.enabled_classes())

    def is_enabled(self, name: str) -> bool:
        return name in self.names()

    def get(self, name: str) -> P:
        for cls in self.enabled_classes():
            if cls.name == name:
                return cls()
        raise self.unavailable(f"no {self.kind.name} plugin {name!r} is enabled")

    # --- checks and URLs -----------------------------------------------------------------

    def check(self) -> list[Problem]:
        problems = []

        def problem(plugin: str, message: str, id: str, warning: bool = False) -> None:
            problems.append(Problem(self.kind.name, plugin, message, id, warning))

        enabled = []
        for package in self.packages():
            try:
                self._import(package)
            except ImportError as exc:
                problem(package, f"{self.kind.setting} names {package}, which fails: {exc}", "E002")
                continue
            classes = self._classes_in(package)
            if not classes:
                problem(package, f"{package}.{self.kind.module} registers no plugin.", "E002")
            for cls in classes:
                if not self._allowed(cls):
                    problem(
                        cls.name,
                        "is a demo plugin and stays off: demo plugins are off here.",
                        "W001",
                        warning=True,
                    )
                    continue
                if cls.name in self.kind.demo and not cls.demo:
                    problem(cls.name, "is switched on as a demo plugin but is not one.", "E003")
                enabled.append(cls)
        for cls in enabled:
            try:
                messages = cls().check_config()
            except Exception as exc:  # a broken check must not hide the other plugins' problems
                messages = [f"check_config() failed: {type(exc).__name__}: {exc}"]
            for message in messages:
                problem(cls.name, message, "E001")
        return problems

    def urlpatterns(self, host: str) -> list:
        from django.urls import include, path

        patterns = []
        for plugin in self.enabled_classes():
            mount = plugin.tenant_urls if host == "tenant" else plugin.public_urls
            if mount is not None:
                prefix, urlconf = mount
                patterns.append(path(prefix, include(urlconf)))
        return patterns


def registries() -> list[Registry]:
    """Every kind's registry, imported from the module the kinds table names."""
    from portalwerk.platform.plugins.kinds import KINDS

    found = []
    for entry in KINDS:
        module = importlib.import_module(entry.registry)
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, Registry) and value.kind.name == entry.name
        ]
    return found


def check_all() -> list[Problem]:
    return [problem for registry in registries() for problem in registry.check()]


def urlpatterns(host: str) -> list:
    """The URL patterns enabled plugins bring for `host` ("tenant" or "public")."""
    return [pattern for registry in registries() for pattern in registry.urlpatterns(host)]
