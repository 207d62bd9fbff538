# An example; copy it, keep the copy out of version control (it holds secrets), and apply with
# terraform apply -var-file=yours.tfvars.
base_domain        = "portale.rechenzentrum.example"
image              = "registry.rechenzentrum.example/portalwerk:1.4.0"
media              = { storage_class = "cephfs" }
certificate_issuer = { name = "letsencrypt-dns01" }

web      = { replicas = 3 }
worker   = { replicas = 2 }
database = { instances = 3, storage_size = "100Gi", storage_class = "ceph-rbd" }

environment = {
  KEYCLOAK_SERVER_URL  = "https://anmeldung.rechenzentrum.example"
  KEYCLOAK_REALM       = "portalwerk"
  KEYCLOAK_CLIENT_ID   = "portalwerk-portal"
  EMAIL_HOST           = "smtp.rechenzentrum.example"
  PORTALWERK_MAIL_FROM = "portale@rechenzentrum.example"
}

secret_environment = {
  PORTALWERK_SECRET_KEY  = "replace-with-at-least-fifty-random-characters-0123456789abcdef"
  KEYCLOAK_CLIENT_SECRET = "replace-me"
  EMAIL_HOST_PASSWORD    = "replace-me"
}
