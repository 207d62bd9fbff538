# Root configuration the platform applies (portalwerk.infra): the identity module with the
# Keycloak provider and the state in the installation's PostgreSQL (backend "pg", its own
# schema; the connection string is given at init).

terraform {
  required_version = ">= 1.6"
  backend "pg" {
    schema_name = "terraform_identity"
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

module "identity" {
  source                  = "../../modules/identity"
  realm                   = var.realm
  client_id               = var.client_id
  client_secret           = var.client_secret
  hosts                   = var.hosts
  back_channel_logout_url = var.back_channel_logout_url
  login_theme             = var.login_theme

  state_accounts             = var.state_accounts
  service_provider_entity_id = var.service_provider_entity_id
  level_attribute            = var.level_attribute
}

output "realm_id" {
  value = module.identity.realm_id
}

output "client_uuid" {
  value = module.identity.client_uuid
}
