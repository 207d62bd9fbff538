"""`make scale`: an installation grown to thousands of tenants, measured at each step
(docs/operators/scaling.md, section "Measured at 10 to 5,000 tenants"). Not part of CI."""
