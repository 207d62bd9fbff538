"""The hand-over part of the tenant API: a submission's deliveries (clerk) and retrying one."""
