"""Request hardening that holds for every page of both hosts: input PostgreSQL cannot store (NUL)
refused with 400, database outages answered with 503, and the error pages for both, rendered
without the database and in the visitor's language (docs/operators/security.md)."""
