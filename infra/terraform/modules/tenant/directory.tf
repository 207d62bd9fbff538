# The tenant's own directory, federated read-only (docs/operators/directory.md): the provider is
# named after the slug, which is how the platform knows whose directory it is; a group mapper
# reads the person's directory groups at every sign-in into /<slug>/<group>, and each of those
# Keycloak groups holds one of the tenant's roles.

locals {
  directory_groups = var.directory == null ? {} : var.directory.groups
}

resource "keycloak_ldap_user_federation" "directory" {
  count                   = var.directory == null ? 0 : 1
  realm_id                = var.realm_id
  name                    = var.slug
  enabled                 = true
  vendor                  = var.directory.vendor
  connection_url          = var.directory.url
  bind_dn                 = var.directory.bind_dn
  bind_credential         = var.directory.bind_credential
  users_dn                = var.directory.users_dn
  search_scope            = "ONE_LEVEL"
  username_ldap_attribute = var.directory.username_attribute
  rdn_ldap_attribute      = var.directory.rdn_attribute
  uuid_ldap_attribute     = var.directory.uuid_attribute
  user_object_classes     = var.directory.user_object_classes
  edit_mode               = "READ_ONLY"
  import_enabled          = true
  sync_registrations      = false
  trust_email             = var.directory.trust_email
  start_tls               = var.directory.start_tls
  pagination              = true
  # the mappers below replace Keycloak's defaults (whose "first name" reads cn, the whole name)
  delete_default_mappers = true

  # every sign-in reads the person and their groups from the directory anew
  cache {
    policy = "NO_CACHE"
  }
}

resource "keycloak_ldap_user_attribute_mapper" "directory" {
  for_each = var.directory == null ? {} : {
    username  = { attribute = var.directory.username_attribute, model = "username" }
    firstName = { attribute = var.directory.first_name_attribute, model = "firstName" }
    lastName  = { attribute = "sn", model = "lastName" }
    email     = { attribute = "mail", model = "email" }
  }
  realm_id                    = var.realm_id
  ldap_user_federation_id     = keycloak_ldap_user_federation.directory[0].id
  name                        = each.key
  user_model_attribute        = each.value.model
  ldap_attribute              = each.value.attribute
  read_only                   = true
  always_read_value_from_ldap = each.key != "username"
  is_mandatory_in_ldap        = each.key == "username"
}

resource "keycloak_group" "tenant" {
  count    = var.directory == null ? 0 : 1
  realm_id = var.realm_id
  name     = var.slug
}

resource "keycloak_group" "directory" {
  for_each  = local.directory_groups
  realm_id  = var.realm_id
  parent_id = keycloak_group.tenant[0].id
  name      = each.key
}

resource "keycloak_group_roles" "directory" {
  for_each = local.directory_groups
  realm_id = var.realm_id
  group_id = keycloak_group.directory[each.key].id
  role_ids = [keycloak_role.tenant[each.value].id]
}

resource "keycloak_ldap_group_mapper" "directory" {
  count                          = var.directory == null ? 0 : 1
  realm_id                       = var.realm_id
  ldap_user_federation_id        = keycloak_ldap_user_federation.directory[0].id
  name                           = "directory groups"
  ldap_groups_dn                 = var.directory.groups_dn
  group_name_ldap_attribute      = "cn"
  group_object_classes           = var.directory.group_object_classes
  preserve_group_inheritance     = false
  ignore_missing_groups          = true
  membership_ldap_attribute      = var.directory.membership_attribute
  membership_attribute_type      = "DN"
  membership_user_ldap_attribute = var.directory.username_attribute
  mode                           = "READ_ONLY"
  user_roles_retrieve_strategy   = "LOAD_GROUPS_BY_MEMBER_ATTRIBUTE"
  memberof_ldap_attribute        = "memberOf"
  groups_path                    = "/${var.slug}"
  depends_on                     = [keycloak_group.directory]
}
