"""The tenant URLs with a tenant API made of the payments' GraphQL types only, so the payments API
is tested on its own, whatever else `graphql/schema_tenant.py` holds."""

from django.urls import path
from strawberry.django.views import GraphQLView

from portalwerk.graphql.billing.mutations import PaymentMutation
from portalwerk.graphql.billing.queries import PaymentQuery
from portalwerk.graphql.core.schema import build_schema
from portalwerk.platform.urls_tenant import urlpatterns as tenant_urlpatterns

schema = build_schema(PaymentQuery, PaymentMutation)

urlpatterns = [
    path("graphql/", GraphQLView.as_view(schema=schema)),
    *[p for p in tenant_urlpatterns if str(p.pattern) != "graphql/"],
]
