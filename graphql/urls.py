"""The two GraphQL endpoints: the tenant API on tenant hosts, the operator API on the base host."""

from django.conf import settings

from portalwerk.graphql.core.views import GraphQLView


def _view(schema):
    return GraphQLView.as_view(schema=schema, graphql_ide="graphiql" if settings.DEBUG else None)


def tenant_graphql_view():
    from portalwerk.graphql.schema_tenant import schema

    return _view(schema)


def platform_graphql_view():
    from portalwerk.graphql.schema_platform import schema

    return _view(schema)
