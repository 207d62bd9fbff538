variable "realm" {
  description = "The installation's one realm; tenants are organizations in it."
  type        = string
  default     = "portalwerk"
}

variable "display_name" {
  description = "The realm's name on Keycloak's pages."
  type        = string
  default     = "Portalwerk"
}

variable "client_id" {
  description = "The platform's OpenID Connect client (KEYCLOAK_CLIENT_ID of the platform)."
  type        = string
  default     = "portalwerk-portal"
}

variable "client_secret" {
  description = "The client's secret (KEYCLOAK_CLIENT_SECRET of the platform)."
  type        = string
  sensitive   = true
}

variable "hosts" {
  description = "Every origin the platform answers on: the base host and each tenant's hosts, e.g. https://musterstadt.portale.example."
  type        = list(string)

  validation {
    condition     = length(var.hosts) > 0 && alltrue([for host in var.hosts : can(regex("^https?://[a-z0-9.-]+(:[0-9]+)?$", host))])
    error_message = "Each host is an origin like https://musterstadt.portale.example, without a path."
  }
}

variable "back_channel_logout_url" {
  description = "Where Keycloak tells the platform that a session ended: https://<base host>/accounts/keycloak/back-channel-logout/."
  type        = string
}

variable "login_theme" {
  description = "The login theme of the realm (null: Keycloak's own)."
  type        = string
  default     = null
}

variable "state_accounts" {
  description = "State accounts the realm brokers (SAML 2.0), by identity-provider alias (KEYCLOAK_STATE_ACCOUNTS of the platform): their entity id, sign-in URL and signing certificate; attributes: SAML attribute -> user property or attribute (null: the defaults)."
  type = map(object({
    display_name               = string
    entity_id                  = string
    single_sign_on_service_url = string
    signing_certificate        = string
    service_provider_entity_id = optional(string)
    attributes                 = optional(map(string))
  }))
  default = {}

  validation {
    condition     = alltrue([for alias, account in var.state_accounts : can(regex("^[a-z][a-z0-9_-]*$", alias)) && can(regex("^https?://", account.single_sign_on_service_url))])
    error_message = "A state account's alias is lower-case letters, digits, - and _; its single_sign_on_service_url an http(s) URL."
  }
}

variable "service_provider_entity_id" {
  description = "The realm's entity id at the state accounts: <public Keycloak URL>/realms/<realm>."
  type        = string
  default     = ""
}

variable "level_attribute" {
  description = "The SAML attribute, user attribute and ID-token claim of the level of assurance (KEYCLOAK_LEVEL_CLAIM of the platform)."
  type        = string
  default     = "level_of_assurance"
}
