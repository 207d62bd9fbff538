output "organization_id" {
  value = keycloak_organization.tenant.id
}

output "roles" {
  description = "The tenant's client roles, by the platform's role names."
  value       = { for key, role in keycloak_role.tenant : key => role.name }
}
