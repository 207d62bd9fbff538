"""Sign-in round trips per second through Keycloak against a local (password) sign-in, in one run
(`make bench`, or `python -m tests.perf --only sign_in`).

- `sign_in_local_per_s`: a fresh browser posts email and password to the portal's sign-in page
  and gets its session (the password hash is checked, Argon2 as in production);
- `sign_in_keycloak_per_s`: a fresh browser asks the portal for single sign-on (state, nonce and
  PKCE kept in the session, redirect), fills in Keycloak's login form (user name, then password,
  as Keycloak asks when organizations are on), comes back with the code, which the portal
  exchanges for the tokens, validates the ID token, admits the user and starts the session;
- `sign_in_keycloak_ratio`: the Keycloak round trips per second / the local ones.

The Keycloak is the tests' (tests/components.py: the distribution from Maven Central, in
development mode with an in-memory database, on loopback), started once by this bench; without
Java or Maven the bench says so and is skipped. Both ends run on this machine and share its cores.
"""

from __future__ import annotations

import html
import os
import re
import statistics
import time

from .registry import Run, bench

SLUG = "sso-bench"
LOCAL_EMAIL = "bench-local@sso-bench.example"
LOCAL_PASSWORD = "Bench-Passwort-2026!"
KEYCLOAK_USER = "bench-clerk"
FORM = re.compile(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"')


def _prepare(run: Run) -> None:
    """The Keycloak plugin is a Django app: its settings must be in place before Django starts."""
    import pytest

    from tests import components, keycloak_realm

    try:
        components.keycloak_home()
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        run.shared["sign_in_unavailable"] = str(exc)
        return
    port = components.free_port()
    run.shared["sign_in_keycloak_port"] = port
    os.environ.update(
        {
            "KEYCLOAK_SERVER_URL": f"http://127.0.0.1:{port}",
            "KEYCLOAK_REALM": "portalwerk",
            "KEYCLOAK_CLIENT_ID": "portalwerk-portal",
            "KEYCLOAK_CLIENT_SECRET": keycloak_realm.CLIENT_SECRET,
            "PORTALWERK_IDENTITY_PLUGINS": "local,keycloak",
        }
    )


def _tenant():
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.filter(slug=SLUG).first() or services.create_tenant(
        actor=system("bench"),
        data=services.NewTenant(name="Stadt Anmeldebach", slug=SLUG, kind="municipality"),
    )
    return tenant, services.tenant_host(SLUG)


def _local_user(tenant) -> None:
    from django_tenants.utils import schema_context

    from portalwerk.platform.accounts.models import Role, User

    with schema_context(tenant.schema_name):
        if not User.objects.filter(email=LOCAL_EMAIL).exists():
            User.objects.create_user(LOCAL_EMAIL, LOCAL_PASSWORD, role=Role.CLERK_PROCESSOR)


def _local_sign_in(host: str) -> None:
    from django.test import Client

    client = Client(HTTP_HOST=host)
    response = client.post(
        "/accounts/sign-in/",
        {"email": LOCAL_EMAIL, "password": LOCAL_PASSWORD, "next": "/backoffice/"},
    )
    assert response.status_code == 302 and response["Location"] == "/backoffice/", response


def _keycloak_sign_in(host: str) -> None:
    import requests
    from django.test import Client

    from tests.keycloak_realm import PASSWORD

    client, browser = Client(HTTP_HOST=host), requests.Session()
    start = client.get("/accounts/keycloak/sign-in/", {"next": "/backoffice/"})
    answer = browser.get(start["Location"], allow_redirects=False, timeout=30)
    for _step in range(3):
        if answer.status_code == 302:
            break
        form = FORM.search(answer.text)
        assert form, f"no login form at Keycloak: {answer.status_code}"
        fields = set(re.findall(r'<input[^>]*name="([^"]+)"', answer.text))
        data = {"username": KEYCLOAK_USER, "password": PASSWORD}
        for cookie in browser.cookies:  # Keycloak's are Secure; requests keeps them off http
            cookie.secure = False
        answer = browser.post(
            html.unescape(form.group(1)),
            data={key: value for key, value in data.items() if key in fields},
            allow_redirects=False,
            timeout=30,
        )
    callback = answer.headers["Location"].split(host, 1)[1]
    landed = client.get(callback)
    assert landed.status_code == 302 and landed["Location"] == "/backoffice/", landed


def _per_second(func, host: str, repeat: int) -> float:
    func(host)  # warm: first connections, the realm's keys, compiled templates
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func(host)
        times.append(time.perf_counter() - started)
    return 1 / statistics.median(times)


@bench("sign_in", prepare=_prepare)
def sign_in(run: Run) -> None:
    """Sign-in round trips per second through Keycloak against a local sign-in (ratio)."""
    if "sign_in_unavailable" in run.shared:
        run.log(f"bench: sign_in SKIPPED: {run.shared['sign_in_unavailable']}")
        return
    import pytest

    from tests import components, keycloak_realm

    tenant, host = _tenant()
    _local_user(tenant)
    repeat = 5 if run.quick else 30
    local = _per_second(_local_sign_in, host, repeat)

    try:
        server = components.KeycloakServer(port=run.shared["sign_in_keycloak_port"]).start()
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        run.log(f"bench: sign_in SKIPPED: {exc}")
        return
    try:
        run.figure("sign_in_keycloak_start_s", server.started_in)
        realm = keycloak_realm.make_realm(
            server.url,
            components.KEYCLOAK_ADMIN_PASSWORD,
            tenant_slugs=[SLUG],
            redirect_hosts=[f"http://{host}"],
            back_channel_url=f"http://{host}/accounts/keycloak/back-channel-logout/",
        )
        realm.add_user(KEYCLOAK_USER, organizations=(SLUG,), roles=(f"{SLUG}:processor",))
        keycloak = _per_second(_keycloak_sign_in, host, repeat)
    finally:
        server.stop()
    run.figure("sign_in_local_per_s", local)
    run.figure("sign_in_keycloak_per_s", keycloak)
    run.figure("sign_in_keycloak_ratio", keycloak / local)
