"""Stripe Connect: Checkout Sessions created as direct charges on the tenant's connected account."""
