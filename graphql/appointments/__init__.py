"""The appointments part of the tenant API (`queries.AppointmentQuery`,
`mutations.AppointmentMutation`), merged into graphql/schema_tenant.py."""
