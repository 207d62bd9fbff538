"""The `webhook` hand-over backend: each parcel POSTed as signed JSON (schema
`portalwerk.submission/1`, docs/handover/webhook.md) to a receiver the tenant names."""
