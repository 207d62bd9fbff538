"""The hand-over backends' registry (one instance of the one plugin registry). Backends are
enabled by `PORTALWERK_HANDOVER_PLUGINS`; the demo back office by `PORTALWERK_DEMO_PLUGINS`."""

from portalwerk.platform.handover.backends import BackendUnavailable, HandoverBackend
from portalwerk.platform.plugins import Registry

backends: Registry[HandoverBackend] = Registry(
    "handover", base=HandoverBackend, unavailable=BackendUnavailable
)
