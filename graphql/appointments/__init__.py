"""The appointments part of the tenant API. `queries.AppointmentQuery` and
`mutations.AppointmentMutation` are merged into graphql/schema_tenant.py at the merge with the
GraphQL core (not wired yet: see docs/appointments.md, "Merge notes")."""
