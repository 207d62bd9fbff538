from tests.platform.plugins.sample.kind import Greeter, greeters


@greeters.register("hello")
class Hello(Greeter):
    def greet(self) -> str:
        return "Hello"
