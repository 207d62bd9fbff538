# The setup Job (migrations), the web Deployment with its Service and disruption budget, the
# job workers.

locals {
  web_labels    = merge(local.labels, { "app.kubernetes.io/component" = "web" })
  worker_labels = merge(local.labels, { "app.kubernetes.io/component" = "worker" })

  # Readiness asks only for the database and the migrations: the installation-wide checks
  # (workers, queue, dead letters) would take every web pod out at once (monitoring.md).
  ready_path = "/readyz?check=database&check=migrations"

  # named by the image, so that a new image runs it once more
  setup_job = "portalwerk-setup-${substr(sha256(var.image), 0, 10)}"
}

# `portalwerk setup` migrates the public schema, the template and every tenant; a new image gives
# a new Job (no time-to-live: a Job deleted by the cluster would be planned again). Web pods
# become ready once the migrations are done.
resource "kubectl_manifest" "setup" {
  yaml_body = yamlencode({
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata = {
      name      = local.setup_job
      namespace = var.namespace
      labels    = merge(local.labels, { "app.kubernetes.io/component" = "setup" })
    }
    spec = {
      backoffLimit = 3
      template = {
        metadata = { labels = merge(local.labels, { "app.kubernetes.io/component" = "setup" }) }
        spec = {
          restartPolicy   = "OnFailure"
          securityContext = local.pod_security
          containers = [{
            name            = "setup"
            image           = var.image
            command         = ["portalwerk", "setup"]
            envFrom         = local.environment_from
            env             = local.environment
            volumeMounts    = local.volume_mounts
            securityContext = local.container_security
          }]
          volumes = local.volumes
        }
      }
    }
  })
  force_new  = true # a Job's template cannot be changed in place
  depends_on = [kubectl_manifest.settings, kubectl_manifest.secrets, kubectl_manifest.media, kubectl_manifest.database]
}

resource "kubectl_manifest" "web" {
  yaml_body = yamlencode({
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "portalwerk-web", namespace = var.namespace, labels = local.web_labels }
    spec = {
      replicas = var.web.replicas
      selector = { matchLabels = local.web_labels }
      strategy = { type = "RollingUpdate", rollingUpdate = { maxUnavailable = 0, maxSurge = 1 } }
      template = {
        metadata = { labels = local.web_labels }
        spec = {
          securityContext           = local.pod_security
          topologySpreadConstraints = [local.spread[0]]
          containers = [{
            name  = "web"
            image = var.image
            command = [
              "gunicorn", "-c", "python:portalwerk.platform.operations.gunicorn",
              "portalwerk.platform.wsgi:application", "--bind", "0.0.0.0:8000",
              "--workers", tostring(var.web.workers), "--threads", tostring(var.web.threads),
              "--worker-class", "gthread",
            ]
            ports        = [{ name = "http", containerPort = 8000 }]
            envFrom      = local.environment_from
            env          = local.environment
            volumeMounts = concat(local.volume_mounts, [{ name = "metrics", mountPath = local.metrics_directory }])
            resources = {
              requests = { cpu = var.web.cpu, memory = var.web.memory }
              limits   = { memory = var.web.memory }
            }
            startupProbe = {
              httpGet          = { path = local.ready_path, port = "http" }
              periodSeconds    = 5
              failureThreshold = 60
            }
            readinessProbe = {
              httpGet        = { path = local.ready_path, port = "http" }
              periodSeconds  = 10
              timeoutSeconds = 5
            }
            livenessProbe = {
              httpGet          = { path = "/healthz", port = "http" }
              periodSeconds    = 10
              failureThreshold = 3
            }
            securityContext = local.container_security
          }]
          volumes = concat(local.volumes, [{ name = "metrics", emptyDir = {} }])
        }
      }
    }
  })
  depends_on = [kubectl_manifest.setup]
}

resource "kubectl_manifest" "web_service" {
  yaml_body = yamlencode({
    apiVersion = "v1"
    kind       = "Service"
    metadata   = { name = "portalwerk-web", namespace = var.namespace, labels = local.web_labels }
    spec = {
      selector = local.web_labels
      ports    = [{ name = "http", port = 80, targetPort = "http" }]
    }
  })
  depends_on = [kubectl_manifest.namespace]
}

# With one replica a budget of one would block every node drain, so there is none then.
resource "kubectl_manifest" "web_disruption_budget" {
  count = var.web.replicas >= 2 ? 1 : 0
  yaml_body = yamlencode({
    apiVersion = "policy/v1"
    kind       = "PodDisruptionBudget"
    metadata   = { name = "portalwerk-web", namespace = var.namespace, labels = local.web_labels }
    spec       = { maxUnavailable = 1, selector = { matchLabels = local.web_labels } }
  })
  depends_on = [kubectl_manifest.namespace]
}

# Workers restart themselves when the database goes away, so liveness is only the heartbeat
# file (`portalwerk worker --check`); SIGTERM lets running jobs finish within the grace period.
resource "kubectl_manifest" "worker" {
  yaml_body = yamlencode({
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "portalwerk-worker", namespace = var.namespace, labels = local.worker_labels }
    spec = {
      replicas = var.worker.replicas
      selector = { matchLabels = local.worker_labels }
      template = {
        metadata = { labels = local.worker_labels }
        spec = {
          securityContext               = local.pod_security
          topologySpreadConstraints     = [local.spread[1]]
          terminationGracePeriodSeconds = 120
          containers = [{
            name         = "worker"
            image        = var.image
            command      = ["portalwerk", "worker"]
            envFrom      = local.environment_from
            env          = local.environment
            volumeMounts = local.volume_mounts
            resources = {
              requests = { cpu = var.worker.cpu, memory = var.worker.memory }
              limits   = { memory = var.worker.memory }
            }
            livenessProbe = {
              exec                = { command = ["portalwerk", "worker", "--check"] }
              initialDelaySeconds = 30
              periodSeconds       = 15
              timeoutSeconds      = 10
            }
            securityContext = local.container_security
          }]
          volumes = local.volumes
        }
      }
    }
  })
  depends_on = [kubectl_manifest.setup]
}
