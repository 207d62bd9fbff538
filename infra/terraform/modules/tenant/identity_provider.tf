# The tenant's own identity provider (OpenID Connect), linked to its organization: Keycloak
# offers it on the organization's sign-in, and sends people whose address is at its
# email_domain straight to it.

resource "keycloak_oidc_identity_provider" "tenant" {
  count                           = var.identity_provider == null ? 0 : 1
  realm                           = var.realm_id
  alias                           = coalesce(var.identity_provider.alias, "${var.slug}-idp")
  display_name                    = var.identity_provider.display_name
  enabled                         = true
  authorization_url               = var.identity_provider.authorization_url
  token_url                       = var.identity_provider.token_url
  client_id                       = var.identity_provider.client_id
  client_secret                   = var.identity_provider.client_secret
  issuer                          = var.identity_provider.issuer
  jwks_url                        = var.identity_provider.jwks_url
  user_info_url                   = var.identity_provider.user_info_url
  validate_signature              = var.identity_provider.jwks_url != null
  store_token                     = false
  trust_email                     = true
  sync_mode                       = "FORCE"
  organization_id                 = keycloak_organization.tenant.id
  org_domain                      = local.email_domain
  org_redirect_mode_email_matches = local.email_domain != null
}
