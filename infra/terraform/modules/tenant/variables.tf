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
