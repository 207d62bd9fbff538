"""Structured logs for requests and jobs, without personal data (docs/operators/logging.md).
Error reporting to Sentry lives beside it in `portalwerk.platform.errors`."""
