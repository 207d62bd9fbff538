"""Hand-over to an office mailbox (docs/handover/email.md)."""
