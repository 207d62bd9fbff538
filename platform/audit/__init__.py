"""One audit trail: who did what to which object, when and from which request, never personal data.

Installed in the public schema (operators) and in every tenant schema (staff). Everything writes
through `record()` in `portalwerk.platform.audit.recording`.
"""
