"""django-tenants' PostgreSQL backend, counting the schemas each server connection has used.

A PostgreSQL backend keeps the catalogue entries (relation, index and plan caches) of every
table it has read until it exits: 125-175 KB per tenant touched, measured at 5,000 tenants.
`tenants.connections.recycle_if_spread` closes a connection once it has used
PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION schemas, at the end of a request or a job.
"""

from __future__ import annotations

from django_tenants.postgresql_backend import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schemas_used: set[str] = set()

    def get_new_connection(self, conn_params):
        self.schemas_used = set()
        return super().get_new_connection(conn_params)

    def _cursor(self, name=None):
        cursor = super()._cursor(name=name)
        self.schemas_used.add(self.schema_name)
        return cursor
