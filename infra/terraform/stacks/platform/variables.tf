# The module's variables, passed through: their types, defaults and checks are the module's
# (modules/platform/variables.tf); null here means the module's default.

variable "kubeconfig" {
  description = "The kubeconfig file Terraform uses to reach the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "The context in it (null: the file's current context)."
  type        = string
  default     = null
}

variable "namespace" {
  type    = string
  default = null
}

variable "base_domain" {
  type = string
}

variable "image" {
  type = string
}

variable "web" {
  type    = any
  default = null
}

variable "worker" {
  type    = any
  default = null
}

variable "database" {
  type    = any
  default = null
}

variable "media" {
  type = any
}

variable "ingress" {
  type    = any
  default = null
}

variable "certificate_issuer" {
  type = any
}

variable "environment" {
  type    = map(string)
  default = null
}

variable "secret_environment" {
  type      = map(string)
  default   = null
  sensitive = true
}

variable "existing_secret" {
  type    = string
  default = null
}

variable "run_as_user" {
  type    = number
  default = null
}
