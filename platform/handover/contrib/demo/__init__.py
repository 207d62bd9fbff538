"""The `demo` hand-over backend: works offline, for `make demo` and the tests of the flow. It
plays a back-office system (Fachverfahren) of the whole installation: a page on the base host
where an operator sees what arrived and answers (case number, status, a message with an
optional document), reporting back to the tenant's signed status endpoint as a real system
would."""
