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
