# Plans of the platform module against a mock of the kubectl provider: no cluster is reached.
# The assertions read the manifests the module would apply.

mock_provider "kubectl" {}

variables {
  base_domain        = "portale.rz.example"
  image              = "registry.rz.example/portalwerk:1.4.0"
  media              = { storage_class = "cephfs" }
  certificate_issuer = { name = "letsencrypt-dns" }
  secret_environment = {
    PORTALWERK_SECRET_KEY  = "k3y-0f-the-test-that-must-never-show-in-an-output-0123456789"
    KEYCLOAK_CLIENT_SECRET = "client-secret-of-the-test"
  }
}

run "defaults" {
  command = plan

  assert {
    condition     = yamldecode(kubectl_manifest.web.yaml_body).spec.replicas == 2
    error_message = "Two web replicas by default."
  }

  assert {
    condition     = yamldecode(kubectl_manifest.worker.yaml_body).spec.replicas == 2
    error_message = "Two workers by default."
  }

  assert {
    condition = (
      yamldecode(kubectl_manifest.web.yaml_body).spec.template.spec.containers[0].readinessProbe.httpGet.path == "/readyz?check=database&check=migrations"
      && yamldecode(kubectl_manifest.web.yaml_body).spec.template.spec.containers[0].startupProbe.httpGet.path == "/readyz?check=database&check=migrations"
      && yamldecode(kubectl_manifest.web.yaml_body).spec.template.spec.containers[0].livenessProbe.httpGet.path == "/healthz"
    )
    error_message = "The web pods have startup and readiness probes on the database and migrations, liveness on /healthz."
  }

  assert {
    condition     = yamldecode(kubectl_manifest.worker.yaml_body).spec.template.spec.containers[0].livenessProbe.exec.command == ["portalwerk", "worker", "--check"]
    error_message = "The worker's liveness probe is `portalwerk worker --check`."
  }

  assert {
    condition     = yamldecode(kubectl_manifest.ingress.yaml_body).spec.rules[*].host == ["portale.rz.example", "*.portale.rz.example"]
    error_message = "The Ingress serves the base host and the wildcard."
  }

  assert {
    condition = (
      yamldecode(kubectl_manifest.certificate.yaml_body).spec.dnsNames == ["portale.rz.example", "*.portale.rz.example"]
      && yamldecode(kubectl_manifest.ingress.yaml_body).spec.tls[0].secretName == yamldecode(kubectl_manifest.certificate.yaml_body).spec.secretName
    )
    error_message = "The wildcard certificate covers both hosts and is the Ingress' TLS secret."
  }

  assert {
    condition     = yamldecode(kubectl_manifest.database.yaml_body).spec.instances == 3
    error_message = "Three PostgreSQL instances by default."
  }

  assert {
    condition     = yamldecode(kubectl_manifest.web.yaml_body).spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef == { name = "portalwerk-db-app", key = "uri" }
    error_message = "DATABASE_URL comes from CloudNativePG's secret, not from a value in the manifest."
  }

  assert {
    condition     = !strcontains(jsonencode(yamldecode(kubectl_manifest.settings.yaml_body)), "k3y-0f-the-test")
    error_message = "The ConfigMap holds no secret."
  }

  assert {
    condition = !anytrue([for value in [
      output.namespace, output.hosts, output.web_service, output.database_cluster,
      output.database_secret, output.secret, output.certificate_secret, output.setup_job,
    ] : strcontains(jsonencode(value), "k3y-0f-the-test") || strcontains(jsonencode(value), "client-secret-of-the-test")])
    error_message = "No output holds a secret value."
  }

  assert {
    condition     = base64decode(yamldecode(kubectl_manifest.secrets[0].yaml_body).data.PORTALWERK_SECRET_KEY) == var.secret_environment.PORTALWERK_SECRET_KEY
    error_message = "The Secret holds the secret settings."
  }

  assert {
    condition     = length(kubectl_manifest.web_disruption_budget) == 1
    error_message = "Two web replicas get a disruption budget."
  }
}

run "one_replica_has_no_disruption_budget" {
  command = plan

  variables {
    web = { replicas = 1 }
  }

  assert {
    condition     = yamldecode(kubectl_manifest.web.yaml_body).spec.replicas == 1 && length(kubectl_manifest.web_disruption_budget) == 0
    error_message = "One web replica and no disruption budget that would block drains."
  }
}

run "existing_secret_is_used_and_none_created" {
  command = plan

  variables {
    secret_environment = {}
    existing_secret    = "portalwerk-from-vault"
  }

  assert {
    condition     = length(kubectl_manifest.secrets) == 0
    error_message = "No Secret is created when an existing one is named."
  }

  assert {
    condition     = yamldecode(kubectl_manifest.worker.yaml_body).spec.template.spec.containers[0].envFrom[1].secretRef.name == "portalwerk-from-vault"
    error_message = "The pods read the existing Secret."
  }
}

run "a_new_image_runs_setup_again" {
  command = plan

  variables {
    image = "registry.rz.example/portalwerk:1.5.0"
  }

  assert {
    condition     = output.setup_job != "portalwerk-setup-${substr(sha256("registry.rz.example/portalwerk:1.4.0"), 0, 10)}"
    error_message = "Another image gives the setup Job another name."
  }
}

run "latest_is_refused" {
  command = plan

  variables {
    image = "registry.rz.example/portalwerk:latest"
  }

  expect_failures = [var.image]
}

run "a_url_is_no_base_domain" {
  command = plan

  variables {
    base_domain = "https://portale.rz.example"
  }

  expect_failures = [var.base_domain]
}

run "a_secret_in_the_plain_settings_is_refused" {
  command = plan

  variables {
    environment = { STRIPE_SECRET_KEY = "sk_test_123" }
  }

  expect_failures = [var.environment]
}

run "a_setting_that_only_mentions_tokens_is_no_secret" {
  command = plan

  variables {
    environment = { PORTALWERK_GRAPHQL_MAX_TOKENS = "5000" }
  }

  assert {
    condition     = yamldecode(kubectl_manifest.settings.yaml_body).data.PORTALWERK_GRAPHQL_MAX_TOKENS == "5000"
    error_message = "PORTALWERK_GRAPHQL_MAX_TOKENS is a plain setting in the ConfigMap."
  }
}

run "no_database_instances_is_refused" {
  command = plan

  variables {
    database = { instances = 0 }
  }

  expect_failures = [var.database]
}

run "neither_secret_is_refused" {
  command = plan

  variables {
    secret_environment = {}
  }

  expect_failures = [kubectl_manifest.secrets]
}
