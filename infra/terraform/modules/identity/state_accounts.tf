# The state accounts (BundID, Servicekonto.NRW, ELSTER) brokered by the realm as SAML 2.0
# identity providers, as the sign-in code expects them (platform/accounts/identity/contrib/
# keycloak/state_accounts.py): every sign-in there authenticates anew (force_authn) and imports
# every attribute anew (sync mode FORCE), so no level of assurance outlives the sign-in that
# brought it; the attributes are declared in the user profile for administrators only (a person
# cannot raise their own level); the platform client puts them, and the identity provider of
# this very session, into the ID token.

locals {
  # SAML attribute -> Keycloak user property or attribute, unless a state account names its own
  default_state_account_attributes = merge(
    { email = "email", given_name = "firstName", family_name = "lastName" },
    { for name in concat([var.level_attribute], local.state_account_attributes) : name => name },
  )
  state_account_attributes = ["birthdate", "street", "house_number", "postcode", "city", "organisation_name", "organisation_id"]
  user_properties          = ["email", "firstName", "lastName", "username"]
  state_account_mappers = merge([
    for alias, account in var.state_accounts : {
      for attribute, target in coalesce(account.attributes, local.default_state_account_attributes) :
      "${alias}/${attribute}" => { alias = alias, attribute = attribute, target = target }
    }
  ]...)
  # the user attributes (not properties) the state accounts fill, declared in the user profile
  state_account_user_attributes = sort(distinct(flatten([
    for alias, account in var.state_accounts : [
      for target in values(coalesce(account.attributes, local.default_state_account_attributes)) :
      target if !contains(local.user_properties, target)
    ]
  ])))
}

resource "keycloak_saml_identity_provider" "state_account" {
  for_each                   = var.state_accounts
  realm                      = keycloak_realm.installation.id
  alias                      = each.key
  display_name               = each.value.display_name
  enabled                    = true
  trust_email                = true
  store_token                = false
  entity_id                  = coalesce(each.value.service_provider_entity_id, var.service_provider_entity_id)
  single_sign_on_service_url = each.value.single_sign_on_service_url
  name_id_policy_format      = "Unspecified"
  principal_type             = "SUBJECT"
  post_binding_authn_request = true
  post_binding_response      = true
  validate_signature         = true
  want_assertions_signed     = true
  signing_certificate        = each.value.signing_certificate
  force_authn                = true
  sync_mode                  = "FORCE"
  extra_config = {
    idpEntityId = each.value.entity_id
  }
}

resource "keycloak_attribute_importer_identity_provider_mapper" "state_account" {
  for_each                = local.state_account_mappers
  realm                   = keycloak_realm.installation.id
  name                    = "${each.value.attribute} (FORCE)"
  identity_provider_alias = keycloak_saml_identity_provider.state_account[each.value.alias].alias
  attribute_name          = each.value.attribute
  user_attribute          = each.value.target
  extra_config = {
    syncMode = "FORCE"
  }
}

# who comes through a state account never clashes with staff usernames
resource "keycloak_custom_identity_provider_mapper" "state_account_username" {
  for_each                 = var.state_accounts
  realm                    = keycloak_realm.installation.id
  name                     = "username"
  identity_provider_alias  = keycloak_saml_identity_provider.state_account[each.key].alias
  identity_provider_mapper = "saml-username-idp-mapper"
  extra_config = {
    syncMode = "FORCE"
    template = "$${ALIAS}.$${NAMEID}"
  }
}

resource "keycloak_realm_user_profile" "installation" {
  count    = length(var.state_accounts) > 0 ? 1 : 0
  realm_id = keycloak_realm.installation.id

  # Keycloak's own four, as a new realm has them
  attribute {
    name         = "username"
    display_name = "$${username}"
    permissions {
      view = ["admin", "user"]
      edit = ["admin", "user"]
    }
    validator {
      name   = "length"
      config = { min = "3", max = "255" }
    }
    validator {
      name = "username-prohibited-characters"
    }
    validator {
      name = "up-username-not-idn-homograph"
    }
  }
  attribute {
    name               = "email"
    display_name       = "$${email}"
    required_for_roles = ["user"]
    permissions {
      view = ["admin", "user"]
      edit = ["admin", "user"]
    }
    validator {
      name = "email"
    }
    validator {
      name   = "length"
      config = { max = "255" }
    }
  }
  attribute {
    name               = "firstName"
    display_name       = "$${firstName}"
    required_for_roles = ["user"]
    permissions {
      view = ["admin", "user"]
      edit = ["admin", "user"]
    }
    validator {
      name   = "length"
      config = { max = "255" }
    }
    validator {
      name = "person-name-prohibited-characters"
    }
  }
  attribute {
    name               = "lastName"
    display_name       = "$${lastName}"
    required_for_roles = ["user"]
    permissions {
      view = ["admin", "user"]
      edit = ["admin", "user"]
    }
    validator {
      name   = "length"
      config = { max = "255" }
    }
    validator {
      name = "person-name-prohibited-characters"
    }
  }

  dynamic "attribute" {
    for_each = local.state_account_user_attributes
    content {
      name         = attribute.value
      display_name = attribute.value
      permissions {
        view = ["admin"]
        edit = ["admin"]
      }
    }
  }

  group {
    name                = "user-metadata"
    display_header      = "User metadata"
    display_description = "Attributes, which refer to user metadata"
  }
}

resource "keycloak_openid_user_session_note_protocol_mapper" "identity_provider" {
  count                      = length(var.state_accounts) > 0 ? 1 : 0
  realm_id                   = keycloak_realm.installation.id
  client_id                  = keycloak_openid_client.platform.id
  name                       = "identity provider of this session"
  claim_name                 = "identity_provider"
  claim_value_type           = "String"
  session_note               = "identity_provider"
  add_to_id_token            = true
  add_to_access_token        = false
  add_to_userinfo            = false
  add_to_token_introspection = false
}

resource "keycloak_openid_user_attribute_protocol_mapper" "state_account" {
  for_each            = toset(local.state_account_user_attributes)
  realm_id            = keycloak_realm.installation.id
  client_id           = keycloak_openid_client.platform.id
  name                = "state account: ${each.key}"
  user_attribute      = each.key
  claim_name          = each.key
  claim_value_type    = "String"
  add_to_id_token     = true
  add_to_access_token = false
  add_to_userinfo     = false
}
