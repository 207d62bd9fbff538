output "realm_id" {
  description = "The realm's id, for the tenant module."
  value       = keycloak_realm.installation.id
}

output "client_uuid" {
  description = "Keycloak's id of the platform client, for the tenant module's roles."
  value       = keycloak_openid_client.platform.id
}

output "client_id" {
  description = "KEYCLOAK_CLIENT_ID for the platform."
  value       = keycloak_openid_client.platform.client_id
}
