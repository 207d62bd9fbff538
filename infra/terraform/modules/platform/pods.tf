# What the web pods, the workers and the setup Job share: the image, the settings, the
# database's address from CloudNativePG's secret, the volumes, no root.

locals {
  environment_from = [
    { configMapRef = { name = "portalwerk" } },
    { secretRef = { name = local.secret_name } },
  ]
  environment = [
    {
      name      = "DATABASE_URL"
      valueFrom = { secretKeyRef = { name = local.database_secret, key = "uri" } }
    },
  ]
  volume_mounts = [
    { name = "home", mountPath = local.home },
    { name = "media", mountPath = "${local.home}/media" },
    { name = "tmp", mountPath = "/tmp" },
  ]
  volumes = [
    { name = "home", emptyDir = {} },
    { name = "media", persistentVolumeClaim = { claimName = "portalwerk-media" } },
    { name = "tmp", emptyDir = {} },
  ]
  container_security = {
    allowPrivilegeEscalation = false
    readOnlyRootFilesystem   = true
    capabilities             = { drop = ["ALL"] }
  }
  pod_security = {
    runAsNonRoot   = true
    runAsUser      = var.run_as_user
    runAsGroup     = var.run_as_user
    fsGroup        = var.run_as_user
    seccompProfile = { type = "RuntimeDefault" }
  }

  # Spread over machines: losing one node leaves the other replicas serving.
  spread = [for component in ["web", "worker"] : {
    maxSkew           = 1
    topologyKey       = "kubernetes.io/hostname"
    whenUnsatisfiable = "ScheduleAnyway"
    labelSelector     = { matchLabels = { "app.kubernetes.io/component" = component } }
  }]
}
