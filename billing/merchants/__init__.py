"""Which merchant account (a Stripe connected account) belongs to which tenant, in the public
schema: the webhook endpoint finds the tenant from the account before it can look into any
tenant's schema."""
