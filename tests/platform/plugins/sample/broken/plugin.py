from tests.platform.plugins.sample.kind import Greeter, greeters


@greeters.register("broken")
class Broken(Greeter):
    def check_config(self) -> list[str]:
        return ["GREETING is not set."]

    def greet(self) -> str:
        return ""
