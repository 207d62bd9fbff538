"""Citizen e-payment of fees, per tenant: payments, refunds, provider events, hand-over."""
