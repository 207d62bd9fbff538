"""A plugin kind of the tests' own ("greeter") with a few plugins, to exercise the one registry
without depending on what the real kinds happen to ship."""
