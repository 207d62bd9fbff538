output "organization_id" {
  value = keycloak_organization.tenant.id
}

output "roles" {
  description = "The tenant's client roles, by the platform's role names."
  value       = { for key, role in keycloak_role.tenant : key => role.name }
}

output "client_id" {
  description = "The tenant's own client."
  value       = keycloak_openid_client.tenant.client_id
}

output "client_secret" {
  description = "Its secret (Keycloak generates it); read with `terraform output client_secret` in the tenant's workspace."
  value       = keycloak_openid_client.tenant.client_secret
  sensitive   = true
}

output "directory_id" {
  description = "The LDAP provider's component id, or null."
  value       = one(keycloak_ldap_user_federation.directory[*].id)
}

output "identity_provider_alias" {
  value = one(keycloak_oidc_identity_provider.tenant[*].alias)
}
