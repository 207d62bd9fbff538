"""A tenant's whole schema as one documented archive, and back (docs/operators/tenant-archive.md).

Generic over the app registry: tenancy knows no feature app (an import contract), so the
archive names the tenant apps' models by label (`kinds`) and reads and writes them through
Django's serialisers, never through the apps' code."""
