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
