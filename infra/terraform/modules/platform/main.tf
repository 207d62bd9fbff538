# Portalwerk on Kubernetes past one machine: web and worker Deployments, a setup Job that
# migrates, PostgreSQL as a CloudNativePG Cluster, an Ingress with a cert-manager wildcard
# certificate for the base domain, the settings as a ConfigMap and a Secret. Each object is
# written as the manifest Kubernetes stores (kubectl_manifest), so it reads as `kubectl get -o
# yaml` would show it; CloudNativePG and cert-manager themselves are installed beforehand.

locals {
  labels = {
    "app.kubernetes.io/name"       = "portalwerk"
    "app.kubernetes.io/managed-by" = "terraform"
  }
  hosts             = [var.base_domain, "*.${var.base_domain}"]
  secret_name       = coalesce(var.existing_secret, "portalwerk")
  database_cluster  = "portalwerk-db"
  database_secret   = "${local.database_cluster}-app" # CloudNativePG's secret for the owner
  certificate_name  = "portalwerk-wildcard"
  certificate_tls   = "portalwerk-wildcard-tls"
  home              = "/var/lib/portalwerk"
  metrics_directory = "/run/metrics"

  settings = merge(
    {
      PORTALWERK_BASE_DOMAIN   = var.base_domain
      PORTALWERK_SCHEME        = "https"
      PORTALWERK_HOME          = local.home
      PORTALWERK_MEDIA_ROOT    = "${local.home}/media"
      PROMETHEUS_MULTIPROC_DIR = local.metrics_directory
    },
    var.environment,
  )
}

resource "kubectl_manifest" "namespace" {
  yaml_body = yamlencode({
    apiVersion = "v1"
    kind       = "Namespace"
    metadata   = { name = var.namespace, labels = local.labels }
  })
}

resource "kubectl_manifest" "settings" {
  yaml_body = yamlencode({
    apiVersion = "v1"
    kind       = "ConfigMap"
    metadata   = { name = "portalwerk", namespace = var.namespace, labels = local.labels }
    data       = local.settings
  })
  depends_on = [kubectl_manifest.namespace]
}

resource "kubectl_manifest" "secrets" {
  count = var.existing_secret == null ? 1 : 0
  yaml_body = yamlencode({
    apiVersion = "v1"
    kind       = "Secret"
    type       = "Opaque"
    metadata   = { name = local.secret_name, namespace = var.namespace, labels = local.labels }
    # data, not stringData: the cluster keeps only data, and the provider compares with it
    data = { for name, value in var.secret_environment : name => base64encode(value) }
  })
  sensitive_fields = ["data"]
  depends_on       = [kubectl_manifest.namespace]

  lifecycle {
    precondition {
      condition     = length(var.secret_environment) > 0
      error_message = "Give secret_environment (with PORTALWERK_SECRET_KEY) or name an existing_secret."
    }
  }
}

# Uploads are files under PORTALWERK_MEDIA_ROOT, written by web pods and read by workers (the
# hand-over), so every pod mounts the same volume.
resource "kubectl_manifest" "media" {
  yaml_body = yamlencode({
    apiVersion = "v1"
    kind       = "PersistentVolumeClaim"
    metadata   = { name = "portalwerk-media", namespace = var.namespace, labels = local.labels }
    spec = {
      accessModes      = ["ReadWriteMany"]
      storageClassName = var.media.storage_class
      resources        = { requests = { storage = var.media.size } }
    }
  })
  depends_on = [kubectl_manifest.namespace]
}
