"""Tenant API: a page of the catalogue list against the uncached service page, at 16 and at 400
listed services, in one run.

On main the list built the whole merged catalogue before taking `first` (54 ms at 16 services,
591 ms at 400: 6–9× the service page, issue 17); it is now paged in the database. Target: the
list within 3× of the uncached service page whatever the catalogue's size.

- `graphql_catalogue_<n>_ms`: median time of `services(first: 10)` with the fields a list
  shows, through Django's full request path in this process;
- `service_page_uncached_<n>_ms`: median time of a service page that misses the page cache (a
  query string of its own per request), same path;
- `graphql_catalogue_<n>_ratio`: the first over the second.

The member municipality lists its district's services too, so both schemas are read.
"""

from __future__ import annotations

import json

from .registry import Run, bench, median_time

DISTRICT, MEMBER = "api-kreis", "api-stadt"
SIZES = (16, 400)
QUERY = (
    "{ services(first: 10) { totalCount edges { node { id name summary url "
    "office { name } categories { name } providedBy { name } } } } }"
)


def _prepare() -> tuple[object, str, str]:
    from portalwerk.platform.authz.actors import system
    from portalwerk.platform.catalog import demo
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    tenants = []
    for data in (
        services.NewTenant(name="Kreis Apiland", slug=DISTRICT, kind="district"),
        services.NewTenant(
            name="Stadt Apistadt", slug=MEMBER, kind="municipality", parent_slug=DISTRICT
        ),
    ):
        tenant = Tenant.objects.filter(slug=data.slug).first()
        tenants.append(tenant or services.create_tenant(actor=system("bench"), data=data))
    demo.seed(tenants)
    member = tenants[1]
    return member, services.tenant_host(MEMBER), _page_slug(member)


def _page_slug(member) -> str:
    from django_tenants.utils import schema_context

    from portalwerk.platform.catalog.models import Service

    with schema_context(member.schema_name):
        return Service.objects.filter(is_published=True).exclude(office=None).first().slug


def _grow_to(member, listed: int) -> int:
    """Copy (or remove copies of) the member's own services until its portal lists `listed`."""
    from django_tenants.utils import schema_context

    from portalwerk.platform.catalog import listing
    from portalwerk.platform.catalog.models import Service

    with schema_context(member.schema_name):
        now = len(listing.PortalListing(member))
        if now > listed:  # the demo lists more: hide some of the member's own
            spare = Service.objects.filter(is_published=True).exclude(office=None)[1:]
            hide = list(spare.values_list("pk", flat=True)[: now - listed])
            Service.objects.filter(pk__in=hide).update(is_published=False)
            now = len(listing.PortalListing(member))
        model = Service.objects.filter(is_published=True).exclude(office=None).first()
        categories = list(model.categories.all())
        for number in range(listed - now):
            copy = Service.objects.get(pk=model.pk)
            copy.pk = None
            copy.slug = f"bench-copy-{now + number}"
            copy.name_de = f"{model.name_de} {now + number}"
            copy.save()
            copy.categories.set(categories)
        return len(listing.PortalListing(member))


@bench("graphql_catalogue")
def graphql_catalogue(run: Run) -> None:
    """Catalogue list page (first: 10) against the uncached service page, at 16 and 400."""
    from django.test import Client, override_settings

    member, host, slug = _prepare()
    client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="de")
    repeat = 5 if run.quick else 25
    counter = iter(range(10**9))

    def listed() -> dict:
        response = client.post(
            "/graphql/", data=json.dumps({"query": QUERY}), content_type="application/json"
        )
        return response.json()

    def page() -> None:
        response = client.get(f"/services/{slug}/?v={next(counter)}")
        if response.status_code != 200:
            raise RuntimeError(f"the service page answered {response.status_code}")

    with override_settings(GRAPHQL_EXPENSIVE_PER_MINUTE=0):
        for size in SIZES:
            total = _grow_to(member, size)
            body = listed()
            if "errors" in body or body["data"]["services"]["totalCount"] != total:
                raise RuntimeError(f"the catalogue list did not answer as expected: {body}")
            page()
            # interleaved rounds, medians: a shared machine drifts less into the ratio
            api, html = [], []
            for _ in range(3):
                api.append(median_time(lambda _i: listed(), repeat))
                html.append(median_time(lambda _i: page(), repeat))
            api_s, html_s = sorted(api)[1], sorted(html)[1]
            run.figure(f"graphql_catalogue_{size}_listed", total)
            run.figure(f"graphql_catalogue_{size}_ms", api_s * 1000)
            run.figure(f"service_page_uncached_{size}_ms", html_s * 1000)
            run.figure(f"graphql_catalogue_{size}_ratio", api_s / html_s)
    from django.db import connection

    connection.set_schema_to_public()
