# Root configuration a data centre applies for the platform itself, with its own Terraform (1.7
# or newer) and its own state backend: add a backend block of yours (a file backend.tf beside
# this one). Not driven by `portalwerk infra`: the installation's database, where that keeps its
# state, is created here. See docs/operators/provisioning.md.

terraform {
  required_version = ">= 1.7"
  required_providers {
    kubectl = {
      source  = "gavinbunney/kubectl"
      version = "1.19.0"
    }
  }
}

provider "kubectl" {
  config_path      = var.kubeconfig
  config_context   = var.kube_context
  load_config_file = true
}

module "platform" {
  source             = "../../modules/platform"
  namespace          = var.namespace
  base_domain        = var.base_domain
  image              = var.image
  web                = var.web
  worker             = var.worker
  database           = var.database
  media              = var.media
  ingress            = var.ingress
  certificate_issuer = var.certificate_issuer
  environment        = var.environment
  secret_environment = var.secret_environment
  existing_secret    = var.existing_secret
  run_as_user        = var.run_as_user
}

output "hosts" {
  value = module.platform.hosts
}

output "database_cluster" {
  value = module.platform.database_cluster
}

output "setup_job" {
  value = module.platform.setup_job
}
