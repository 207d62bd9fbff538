"""The tenant API, served at /graphql/ on every tenant host."""

import strawberry

from portalwerk.graphql.accounts.mutations import StaffMutation
from portalwerk.graphql.accounts.queries import StaffQuery
from portalwerk.graphql.appointments.mutations import AppointmentMutation
from portalwerk.graphql.appointments.queries import AppointmentQuery
from portalwerk.graphql.billing.mutations import PaymentMutation
from portalwerk.graphql.billing.queries import PaymentQuery
from portalwerk.graphql.casework.mutations import CaseworkMutation
from portalwerk.graphql.casework.queries import CaseworkQuery
from portalwerk.graphql.catalog.queries import CatalogQuery
from portalwerk.graphql.core.schema import build_schema
from portalwerk.graphql.forms.mutations import FormsMutation
from portalwerk.graphql.forms.queries import FormsQuery
from portalwerk.graphql.handover.mutations import HandoverMutation
from portalwerk.graphql.tenants.mutations import TenantModulesMutation
from portalwerk.graphql.tenants.queries import TenantQuery


@strawberry.type
class Query(
    TenantQuery,
    CatalogQuery,
    FormsQuery,
    CaseworkQuery,
    AppointmentQuery,
    PaymentQuery,
    StaffQuery,
):
    pass


@strawberry.type
class Mutation(
    FormsMutation,
    CaseworkMutation,
    HandoverMutation,
    AppointmentMutation,
    PaymentMutation,
    StaffMutation,
    TenantModulesMutation,
):
    pass


schema = build_schema(Query, Mutation)
