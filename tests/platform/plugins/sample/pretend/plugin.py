from tests.platform.plugins.sample.kind import Greeter, greeters


@greeters.register("pretend")
class Pretend(Greeter):
    demo = True

    def greet(self) -> str:
        return "Pretend hello"
