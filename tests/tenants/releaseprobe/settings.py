"""The test settings plus the release probe app, as a tenant app (the release tests run the
`portalwerk` command with this settings module)."""

from portalwerk.platform.settings_test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.tenants.releaseprobe"]  # noqa: F405
TENANT_APPS = [*TENANT_APPS, "tests.tenants.releaseprobe"]  # noqa: F405
