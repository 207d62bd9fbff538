# One tenant in the installation's realm: its organization (alias = slug; only members sign in
# on its hosts) and its roles on the platform client, which the platform maps onto its own.

locals {
  # people with an address at the own identity provider's domain are sent to it
  email_domain         = try(var.identity_provider.email_domain, null)
  organization_domains = distinct(concat(var.domains, local.email_domain == null ? [] : [local.email_domain]))
  roles = {
    reader       = "Lesen"
    processor    = "Bearbeiten"
    tenant_admin = "Verwalten"
  }
}

resource "keycloak_organization" "tenant" {
  realm   = var.realm_id
  name    = var.name
  alias   = var.slug
  enabled = true
  # the login theme shows the organization's name and this colour (docs/operators/keycloak-login-theme.md)
  attributes = var.colour == null ? {} : { "portalwerk-colour" = var.colour }

  dynamic "domain" {
    for_each = toset(local.organization_domains)
    content {
      name = domain.value
    }
  }
}

resource "keycloak_role" "tenant" {
  for_each    = local.roles
  realm_id    = var.realm_id
  client_id   = var.client_uuid
  name        = "${var.slug}:${each.key}"
  description = "${var.name}: ${each.value}"
}
