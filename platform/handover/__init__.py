"""Hand-over: every submission reaches every target configured for its form (a back-office
system, the DMS, an office mailbox), exactly once, without the submit waiting for any of them.

An outbox: `outbox.open_deliveries` writes one `Delivery` per target in the submit transaction
(held while a fee is unpaid; `outbox.release` lets them go), and the `deliver` job hands each to
its backend plugin (`backends.HandoverBackend`, registered on the one plugin registry), retrying
with back-off until a limit, then keeping it in the dead-letter list ("failed") for a clerk.
Backends receive a `Parcel` (plain data), never our models."""
