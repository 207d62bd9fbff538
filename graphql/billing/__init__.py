"""The tenant API of `billing/`: payments (citizens pay, clerks refund, finance exports)."""
