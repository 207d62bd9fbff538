"""A hand-over backend for the outbox tests: it keeps what it was given in memory (a receiver
that stores a parcel once per idempotency key) and fails as its target's settings say."""
