# Root configuration for one tenant (one workspace per tenant, named by its slug; state in the
# installation's PostgreSQL, schema terraform_tenants).

terraform {
  required_version = ">= 1.6"
  backend "pg" {
    schema_name = "terraform_tenants"
  }
  required_providers {
    keycloak = {
      source  = "keycloak/keycloak"
      version = "5.9.0"
    }
  }
}

provider "keycloak" {
  url       = var.keycloak_url
  realm     = "master"
  client_id = "admin-cli"
  username  = var.keycloak_admin_username
  password  = var.keycloak_admin_password
}

module "tenant" {
  source      = "../../modules/tenant"
  realm_id    = var.realm_id
  client_uuid = var.client_uuid
  slug        = var.slug
  name        = var.name
  domains     = var.domains
  origins     = var.origins
  colour      = var.colour

  directory         = var.directory
  identity_provider = var.identity_provider
}

output "organization_id" {
  value = module.tenant.organization_id
}

output "client_id" {
  value = module.tenant.client_id
}

output "client_secret" {
  value     = module.tenant.client_secret
  sensitive = true
}

output "directory_id" {
  value = module.tenant.directory_id
}

output "identity_provider_alias" {
  value = module.tenant.identity_provider_alias
}
