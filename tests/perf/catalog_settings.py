"""Settings of the server the portal benchmark starts: production settings plus one bare view."""

from portalwerk.platform.settings import *  # noqa: F403

ROOT_URLCONF = "tests.perf.catalog_urls"
