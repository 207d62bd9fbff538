"""The operator console on the base host (/console/): the tenant list, one page per tenant
(status, modules, domains, usage, Terraform, migrations, actions) and the upgrades page. Pages
in the portal's design; every read and write goes through functions that check the operator's
capability, and every action is audited in the public schema. Django's admin stays for
technical tasks."""
