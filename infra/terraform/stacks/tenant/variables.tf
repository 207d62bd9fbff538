variable "keycloak_url" {
  type = string
}

variable "keycloak_admin_username" {
  type = string
}

variable "keycloak_admin_password" {
  type      = string
  sensitive = true
}

variable "realm_id" {
  type = string
}

variable "client_uuid" {
  type = string
}

variable "slug" {
  type = string
}

variable "name" {
  type = string
}

variable "domains" {
  type = list(string)
}

variable "origins" {
  type = list(string)
}

# shapes are the module's (modules/tenant/variables.tf), which checks them
variable "directory" {
  type    = any
  default = null
}

variable "identity_provider" {
  type    = any
  default = null
}

variable "colour" {
  type    = string
  default = null
}
