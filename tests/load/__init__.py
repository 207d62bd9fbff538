"""`make load`: the citizen journey on the demo tenants under locust (docs/operators/scaling.md,
section "Load test"). Not part of CI."""
