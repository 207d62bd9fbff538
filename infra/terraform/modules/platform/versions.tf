terraform {
  # 1.7: `terraform test` with mock providers (tests/); the module itself needs nothing newer.
  required_version = ">= 1.7"
  required_providers {
    kubectl = {
      source  = "gavinbunney/kubectl"
      version = "1.19.0"
    }
  }
}
