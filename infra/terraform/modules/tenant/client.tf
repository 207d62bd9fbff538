# The tenant's own confidential client, answering only on the tenant's hosts (its slug host and
# custom domains). The platform records its client id and where its secret is read (the
# sensitive output client_secret of this tenant's workspace); sign-in still goes through the
# installation's platform client.

resource "keycloak_openid_client" "tenant" {
  realm_id                        = var.realm_id
  client_id                       = "${var.slug}-portal"
  name                            = var.name
  access_type                     = "CONFIDENTIAL"
  standard_flow_enabled           = true
  direct_access_grants_enabled    = false
  service_accounts_enabled        = false
  pkce_code_challenge_method      = "S256"
  valid_redirect_uris             = flatten([for origin in var.origins : ["${origin}/accounts/keycloak/callback/", "${origin}/accounts/keycloak/sign-in/"]])
  valid_post_logout_redirect_uris = [for origin in var.origins : "${origin}/*"]
  web_origins                     = ["+"]
  frontchannel_logout_enabled     = false
}
