# PostgreSQL through the CloudNativePG operator: one primary and streaming replicas on separate
# machines, failover by the operator. It creates the database `portalwerk` owned by the role
# `portalwerk` (django-tenants needs CREATE on it) and the secret portalwerk-db-app whose `uri`
# is the platform's DATABASE_URL (to the read-write service). Backups: backups.md.
resource "kubectl_manifest" "database" {
  yaml_body = yamlencode({
    apiVersion = "postgresql.cnpg.io/v1"
    kind       = "Cluster"
    metadata   = { name = local.database_cluster, namespace = var.namespace, labels = local.labels }
    spec = {
      instances             = var.database.instances
      imageName             = var.database.image
      primaryUpdateStrategy = "unsupervised"
      storage = merge(
        { size = var.database.storage_size },
        var.database.storage_class == null ? {} : { storageClass = var.database.storage_class },
      )
      bootstrap = { initdb = { database = "portalwerk", owner = "portalwerk" } }
      affinity  = { enablePodAntiAffinity = true, topologyKey = "kubernetes.io/hostname" }
    }
  })
  depends_on = [kubectl_manifest.namespace]
}
