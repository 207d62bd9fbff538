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
