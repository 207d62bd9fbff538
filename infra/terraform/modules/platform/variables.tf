variable "namespace" {
  description = "The namespace the platform runs in (created by this module)."
  type        = string
  default     = "portalwerk"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "The namespace is a DNS label: lower-case letters, digits and dashes, at most 63."
  }
}

variable "base_domain" {
  description = "The installation's base domain (PORTALWERK_BASE_DOMAIN); every tenant is a host below it."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,63}$", var.base_domain))
    error_message = "The base domain is a host name such as portale.rechenzentrum.example, without scheme, port or wildcard."
  }
}

variable "image" {
  description = "The Portalwerk container image, pinned by tag or digest (the same image for web, worker and setup)."
  type        = string

  validation {
    condition     = can(regex("^[^\\s]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$", var.image)) && !endswith(var.image, ":latest")
    error_message = "The image is pinned by a tag other than latest or by a digest, e.g. registry.example/portalwerk:1.4.0."
  }
}

variable "web" {
  description = "The web Deployment: replicas, gunicorn processes and threads per pod, and each pod's resources."
  type = object({
    replicas = optional(number, 2)
    workers  = optional(number, 4)
    threads  = optional(number, 8)
    cpu      = optional(string, "1")
    memory   = optional(string, "2Gi")
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.web.replicas >= 1 && floor(var.web.replicas) == var.web.replicas && var.web.workers >= 1 && var.web.threads >= 1
    error_message = "web.replicas, web.workers and web.threads are whole numbers of at least 1."
  }
}

variable "worker" {
  description = "The job workers: replicas (one `portalwerk worker` per pod) and each pod's resources."
  type = object({
    replicas = optional(number, 2)
    cpu      = optional(string, "500m")
    memory   = optional(string, "1Gi")
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.worker.replicas >= 1 && floor(var.worker.replicas) == var.worker.replicas
    error_message = "worker.replicas is a whole number of at least 1."
  }
}

variable "database" {
  description = "The PostgreSQL cluster (CloudNativePG): instances (one primary, the rest streaming replicas), storage per instance, image."
  type = object({
    instances     = optional(number, 3)
    storage_size  = optional(string, "50Gi")
    storage_class = optional(string)
    image         = optional(string, "ghcr.io/cloudnative-pg/postgresql:18")
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.database.instances >= 1 && var.database.instances <= 9 && floor(var.database.instances) == var.database.instances
    error_message = "database.instances is a whole number from 1 to 9 (3: a primary and two replicas)."
  }

  validation {
    condition     = can(regex("^[1-9][0-9]*(Mi|Gi|Ti)$", var.database.storage_size))
    error_message = "database.storage_size is a size such as 50Gi (Mi, Gi or Ti)."
  }
}

variable "media" {
  description = "The volume for uploads (PORTALWERK_MEDIA_ROOT), shared by every web and worker pod: a storage class that offers ReadWriteMany."
  type = object({
    storage_class = string
    size          = optional(string, "100Gi")
  })

  validation {
    condition     = can(regex("^[1-9][0-9]*(Mi|Gi|Ti)$", var.media.size))
    error_message = "media.size is a size such as 100Gi (Mi, Gi or Ti)."
  }
}

variable "ingress" {
  description = "The Ingress: its class and extra annotations (for ingress-nginx the upload limit is set already)."
  type = object({
    class_name  = optional(string, "nginx")
    annotations = optional(map(string), {})
  })
  default  = {}
  nullable = false
}

variable "certificate_issuer" {
  description = "The cert-manager issuer of the wildcard certificate; a wildcard needs an ACME DNS-01 solver or an internal CA."
  type = object({
    name = string
    kind = optional(string, "ClusterIssuer")
  })

  validation {
    condition     = contains(["ClusterIssuer", "Issuer"], var.certificate_issuer.kind)
    error_message = "certificate_issuer.kind is ClusterIssuer or Issuer."
  }
}

variable "environment" {
  description = "Further settings that are not secret, as environment variables (the README lists them)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for name in keys(var.environment) : can(regex("^[A-Z_][A-Z0-9_]*$", name))])
    error_message = "The names in environment are environment variable names (A-Z, 0-9, _)."
  }

  validation {
    condition     = !anytrue([for name in keys(var.environment) : can(regex("(^|_)(SECRET|PASSWORD|TOKEN|DSN)(_|$)", name))])
    error_message = "A secret (a name with the word SECRET, PASSWORD, TOKEN or DSN) belongs in secret_environment, not in environment."
  }
}

variable "secret_environment" {
  description = "Secret settings (PORTALWERK_SECRET_KEY, KEYCLOAK_CLIENT_SECRET, EMAIL_HOST_PASSWORD, …) for the Secret this module creates; empty when existing_secret names one kept elsewhere."
  type        = map(string)
  default     = {}
  nullable    = false
  sensitive   = true

  validation {
    condition     = alltrue([for name in keys(var.secret_environment) : can(regex("^[A-Z_][A-Z0-9_]*$", name))])
    error_message = "The names in secret_environment are environment variable names (A-Z, 0-9, _)."
  }

  validation {
    condition     = length(var.secret_environment) == 0 || length(lookup(var.secret_environment, "PORTALWERK_SECRET_KEY", "")) >= 50
    error_message = "secret_environment holds PORTALWERK_SECRET_KEY, at least 50 characters long."
  }
}

variable "existing_secret" {
  description = "The name of a Secret in the namespace kept by other means (External Secrets, Vault, by hand), instead of secret_environment."
  type        = string
  default     = null
}

variable "run_as_user" {
  description = "The user id the containers run as (not root); the volumes are writable by its group."
  type        = number
  default     = 10001
  nullable    = false

  validation {
    condition     = var.run_as_user > 0
    error_message = "run_as_user is not 0: the containers do not run as root."
  }
}
