from portalwerk.platform.plugins import Plugin, Registry
from portalwerk.platform.plugins.kinds import Kind


class Greeter(Plugin):
    def greet(self) -> str:
        raise NotImplementedError


GREETER = Kind(
    name="greeter",
    registry="tests.platform.plugins.sample.kind",
    contrib="tests.platform.plugins.sample",
    module="plugin",
    default=("hello",),
    demo=("pretend",),
)
greeters: Registry[Greeter] = Registry(GREETER, base=Greeter)

PACKAGE = "tests.platform.plugins.sample."
