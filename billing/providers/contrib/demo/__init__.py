"""The `demo` provider: works offline, for `make demo` and for tests of the flow. A clearly
labelled page on the tenant host lets the citizen choose "pay" or "fail"; either produces the same
kind of event a real provider sends, handled by the same code path."""
