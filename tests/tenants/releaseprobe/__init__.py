"""A tenant app that exists only for the release tests (tests/tenants/test_release.py): its two
migrations are what a release brings to every schema. Installed only by `settings.py` here."""
