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

variable "realm" {
  type = string
}

variable "client_id" {
  type = string
}

variable "client_secret" {
  type      = string
  sensitive = true
}

variable "hosts" {
  type = list(string)
}

variable "back_channel_logout_url" {
  type = string
}

variable "login_theme" {
  type    = string
  default = null
}

# shape checked by the module (modules/identity/variables.tf)
variable "state_accounts" {
  type    = any
  default = {}
}

variable "service_provider_entity_id" {
  type    = string
  default = ""
}

variable "level_attribute" {
  type    = string
  default = "level_of_assurance"
}
