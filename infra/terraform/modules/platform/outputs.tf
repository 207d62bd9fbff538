# Names only: no secret value leaves the module.

output "namespace" {
  value = var.namespace
}

output "hosts" {
  description = "The hosts the Ingress serves with the wildcard certificate."
  value       = local.hosts
}

output "web_service" {
  value = "portalwerk-web"
}

output "database_cluster" {
  description = "The CloudNativePG Cluster; its read-write service is <name>-rw."
  value       = local.database_cluster
}

output "database_secret" {
  description = "CloudNativePG's secret for the database owner (keys username, password, uri)."
  value       = local.database_secret
}

output "secret" {
  description = "The Secret the pods take their secret settings from."
  value       = local.secret_name
}

output "certificate_secret" {
  value = local.certificate_tls
}

output "setup_job" {
  value = local.setup_job
}
