"""Operations: what the data centre watches. `/healthz` and `/readyz` (django-health-check
checks), `/metrics` (prometheus_client), the job worker's own liveness file, and the hand-over
dead-letter tally kept in public so that readiness and metrics never read thousands of tenant
schemas (docs/operators/monitoring.md)."""
