variable "realm_id" {
  description = "The installation's realm (output realm_id of the identity module)."
  type        = string
}

variable "client_uuid" {
  description = "The platform client (output client_uuid of the identity module)."
  type        = string
}

variable "slug" {
  description = "The tenant's slug: the organization's alias and the prefix of its roles."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}$", var.slug))
    error_message = "The slug is lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "name" {
  description = "The tenant's name, shown by Keycloak."
  type        = string
}

variable "domains" {
  description = "The tenant's host names (its slug host and custom domains)."
  type        = list(string)

  validation {
    condition     = length(var.domains) > 0
    error_message = "A tenant has at least one host name."
  }
}

variable "origins" {
  description = "The origins of the tenant's hosts (slug host and custom domains), e.g. https://musterstadt.portale.example: the redirect URIs of the tenant's own client."
  type        = list(string)

  validation {
    condition     = length(var.origins) > 0 && alltrue([for origin in var.origins : can(regex("^https?://[a-z0-9.-]+(:[0-9]+)?$", origin))])
    error_message = "Each origin is like https://musterstadt.portale.example, without a path."
  }
}

variable "directory" {
  description = "The tenant's own directory (AD or LDAP) that Keycloak federates read-only, or null. groups: directory group -> the tenant's role (reader, processor, tenant_admin)."
  type = object({
    url                  = string
    bind_dn              = string
    bind_credential      = string
    users_dn             = string
    groups_dn            = string
    vendor               = optional(string, "OTHER")
    username_attribute   = optional(string, "uid")
    first_name_attribute = optional(string, "givenName")
    rdn_attribute        = optional(string, "uid")
    uuid_attribute       = optional(string, "entryUUID")
    user_object_classes  = optional(list(string), ["inetOrgPerson", "organizationalPerson"])
    group_object_classes = optional(list(string), ["groupOfNames"])
    membership_attribute = optional(string, "member")
    start_tls            = optional(bool, false)
    trust_email          = optional(bool, true)
    groups = optional(map(string), {
      "portal-lesend"          = "reader"
      "portal-sachbearbeitung" = "processor"
      "portal-admin"           = "tenant_admin"
    })
  })
  default = null

  validation {
    condition     = var.directory == null || can(regex("^ldaps?://[^/\\s]+/?$", var.directory.url))
    error_message = "The directory's url is ldap://host:port or ldaps://host:port."
  }
  validation {
    condition     = var.directory == null || alltrue([for role in values(var.directory.groups) : contains(["reader", "processor", "tenant_admin"], role)])
    error_message = "Each directory group gives one of the roles reader, processor, tenant_admin."
  }
}

variable "identity_provider" {
  description = "The tenant's own OpenID Connect identity provider, linked to its organization, or null. email_domain: people with an address there are sent to it (it becomes a domain of the organization)."
  type = object({
    alias             = optional(string)
    display_name      = string
    authorization_url = string
    token_url         = string
    client_id         = string
    client_secret     = string
    issuer            = optional(string)
    jwks_url          = optional(string)
    user_info_url     = optional(string)
    email_domain      = optional(string)
  })
  default = null

  validation {
    condition     = var.identity_provider == null || alltrue([for url in [var.identity_provider.authorization_url, var.identity_provider.token_url] : can(regex("^https?://", url))])
    error_message = "The identity provider's authorization_url and token_url are http(s) URLs."
  }
}

variable "colour" {
  description = "The tenant's primary colour (#rrggbb), shown by the login theme; null: the theme's own."
  type        = string
  default     = null

  validation {
    condition     = var.colour == null || can(regex("^#[0-9a-fA-F]{6}$", var.colour))
    error_message = "The colour is #rrggbb."
  }
}
