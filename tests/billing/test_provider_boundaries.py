"""Provider code exchanges our dataclasses; only `billing/providers/contrib/stripe/` touches the
Stripe SDK."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import is_dataclass
from pathlib import Path
from types import UnionType
from typing import Union, get_args, get_origin, get_type_hints

ROOT = Path(__file__).resolve().parents[2]
AREAS = ["platform", "tenants", "graphql", "billing", "infra"]
STRIPE_HOME = ROOT / "billing" / "providers" / "contrib" / "stripe"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_stripe_plugin_imports_the_stripe_sdk():
    offenders = [
        str(path.relative_to(ROOT))
        for area in AREAS
        for path in (ROOT / area).rglob("*.py")
        if "stripe" in imported_modules(path) and STRIPE_HOME not in path.parents
    ]
    assert offenders == []
    # and the plugin does use it (this test would notice if the folder moved)
    assert "stripe" in imported_modules(STRIPE_HOME / "provider.py")


def speaks_ours(annotation) -> bool:
    """True for text, bytes, our own dataclasses, and abstract containers (or unions) of them."""
    if annotation in (str, bytes, type(None)):
        return True
    if is_dataclass(annotation):
        return annotation.__module__.startswith("portalwerk.")
    origin = get_origin(annotation)
    if origin in (Union, UnionType) or getattr(origin, "__module__", "") == "collections.abc":
        return all(speaks_ours(argument) for argument in get_args(annotation))
    return False  # Any, provider SDK objects, plain dicts of whatever


def test_the_provider_interface_speaks_only_in_our_dataclasses():
    from portalwerk.billing.providers import base

    for name in ("create_checkout", "fetch_state", "refund", "parse_webhook"):
        hints = get_type_hints(getattr(base.PaymentProvider, name))
        assert "return" in hints, name
        for annotation in hints.values():
            assert speaks_ours(annotation), (name, annotation)


def test_the_interface_check_refuses_what_is_not_ours():
    from typing import Any

    from portalwerk.billing.providers.base import Checkout

    assert speaks_ours(Checkout) and speaks_ours(Mapping[str, str])
    for foreign in (Any, dict, Mapping[str, Any], object, Checkout | Any):
        assert not speaks_ours(foreign), foreign


def test_system_checks_catch_half_configured_stripe_and_demo_in_production(settings):
    from portalwerk.billing.payments.checks import check_payment_providers
    from portalwerk.platform.plugins.checks import check_plugins

    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert [m.id for m in check_plugins()] == ["plugins.E001"]
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert check_plugins() == [] and check_payment_providers() == []
    settings.DEBUG = settings.TESTING = False
    settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER = "demo"
    assert [m.id for m in check_payment_providers()] == ["payments.W001"]
    settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER = "nonesuch"
    assert [m.id for m in check_payment_providers()] == ["payments.E001"]
