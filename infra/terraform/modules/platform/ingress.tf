# Every tenant is a host below the base domain, so one wildcard certificate (cert-manager) and
# one Ingress with the base host and the wildcard serve them all. Tenants' own domains need
# certificates of their own and are not declared here.

locals {
  upload_limit = var.ingress.class_name == "nginx" ? { "nginx.ingress.kubernetes.io/proxy-body-size" = "16m" } : {}
}

resource "kubectl_manifest" "certificate" {
  yaml_body = yamlencode({
    apiVersion = "cert-manager.io/v1"
    kind       = "Certificate"
    metadata   = { name = local.certificate_name, namespace = var.namespace, labels = local.labels }
    spec = {
      secretName = local.certificate_tls
      dnsNames   = local.hosts
      issuerRef  = { name = var.certificate_issuer.name, kind = var.certificate_issuer.kind, group = "cert-manager.io" }
    }
  })
  depends_on = [kubectl_manifest.namespace]
}

resource "kubectl_manifest" "ingress" {
  yaml_body = yamlencode({
    apiVersion = "networking.k8s.io/v1"
    kind       = "Ingress"
    metadata = {
      name        = "portalwerk"
      namespace   = var.namespace
      labels      = local.labels
      annotations = merge(local.upload_limit, var.ingress.annotations)
    }
    spec = {
      ingressClassName = var.ingress.class_name
      tls              = [{ hosts = local.hosts, secretName = local.certificate_tls }]
      rules = [for host in local.hosts : {
        host = host
        http = {
          paths = [{
            path     = "/"
            pathType = "Prefix"
            backend  = { service = { name = "portalwerk-web", port = { name = "http" } } }
          }]
        }
      }]
    }
  })
  depends_on = [kubectl_manifest.web_service]
}
