# One tenant in the installation's realm: its organization (alias = slug; only members sign in
# on its hosts) and its roles on the platform client, which the platform maps onto its own.

locals {
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

  dynamic "domain" {
    for_each = toset(var.domains)
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
