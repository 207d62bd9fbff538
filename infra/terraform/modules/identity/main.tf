# The installation's realm with organizations on, and the platform's confidential client: the
# authorization-code flow with PKCE on every host, the platform's roles in the ID token
# (claim portalwerk_roles) and the person's organizations (claim organization).

resource "keycloak_realm" "installation" {
  realm                 = var.realm
  display_name          = var.display_name
  enabled               = true
  organizations_enabled = true
  login_theme           = var.login_theme
  internationalization {
    supported_locales = ["de", "en"]
    default_locale    = "de"
  }
}

resource "keycloak_openid_client" "platform" {
  realm_id                            = keycloak_realm.installation.id
  client_id                           = var.client_id
  name                                = var.display_name
  access_type                         = "CONFIDENTIAL"
  client_secret                       = var.client_secret
  standard_flow_enabled               = true
  direct_access_grants_enabled        = false
  service_accounts_enabled            = true
  pkce_code_challenge_method          = "S256"
  valid_redirect_uris                 = flatten([for host in var.hosts : ["${host}/accounts/keycloak/callback/", "${host}/accounts/keycloak/sign-in/"]])
  valid_post_logout_redirect_uris     = [for host in var.hosts : "${host}/*"]
  web_origins                         = ["+"]
  frontchannel_logout_enabled         = false
  backchannel_logout_url              = var.back_channel_logout_url
  backchannel_logout_session_required = true
}

resource "keycloak_role" "operator" {
  realm_id    = keycloak_realm.installation.id
  client_id   = keycloak_openid_client.platform.id
  name        = "platform:operator"
  description = "Operator console of the installation"
}

resource "keycloak_openid_user_client_role_protocol_mapper" "roles" {
  realm_id                    = keycloak_realm.installation.id
  client_id                   = keycloak_openid_client.platform.id
  name                        = "portalwerk roles"
  claim_name                  = "portalwerk_roles"
  client_id_for_role_mappings = var.client_id
  multivalued                 = true
  add_to_id_token             = true
  add_to_access_token         = true
  add_to_userinfo             = false
}

resource "keycloak_generic_protocol_mapper" "organizations" {
  realm_id        = keycloak_realm.installation.id
  client_id       = keycloak_openid_client.platform.id
  name            = "organizations"
  protocol        = "openid-connect"
  protocol_mapper = "oidc-organization-membership-mapper"
  config = {
    "claim.name"           = "organization"
    "multivalued"          = "true"
    "jsonType.label"       = "String"
    "id.token.claim"       = "true"
    "access.token.claim"   = "true"
    "userinfo.token.claim" = "false"
  }
}

# The platform's own service account does the per-user work at run time (inviting staff,
# memberships, listing members); Terraform owns everything else.
data "keycloak_openid_client" "realm_management" {
  realm_id  = keycloak_realm.installation.id
  client_id = "realm-management"
}

resource "keycloak_openid_client_service_account_role" "per_user_work" {
  for_each                = toset(["manage-users", "view-users", "query-users", "manage-realm", "view-clients"])
  realm_id                = keycloak_realm.installation.id
  service_account_user_id = keycloak_openid_client.platform.service_account_user_id
  client_id               = data.keycloak_openid_client.realm_management.id
  role                    = each.key
}
