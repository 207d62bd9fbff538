"""The Terraform configurations checked without a server: every module and stack passes
`terraform validate` with its pinned providers from the mirror; the platform module's own
`terraform test` (plans against a mock kubectl provider) passes, and fails when the module breaks
what it asserts; its stack refuses a variable of the wrong shape in one readable line and plans
its objects without reaching a cluster."""

from __future__ import annotations

import re

import pytest

from portalwerk.infra import checking, providers
from portalwerk.infra.errors import InfraError
from portalwerk.infra.running import TERRAFORM

pytestmark = pytest.mark.integration

PLATFORM = {
    "kubeconfig": "/nonexistent/kubeconfig",  # nothing to reach: a plan of new objects needs none
    "base_domain": "portale.rz.example",
    "image": "registry.rz.example/portalwerk:1.4.0",
    "media": {"storage_class": "cephfs"},
    "certificate_issuer": {"name": "letsencrypt-dns01"},
    "secret_environment": {"PORTALWERK_SECRET_KEY": "s" * 60},
}


@pytest.fixture(scope="module")
def mirror():
    import components

    try:  # built once per machine (make terraform-providers); Go is needed for that
        found = providers.ensure_mirror()
    except InfraError as exc:
        components.unavailable("Terraform's providers", exc.message)
    if found is None:
        components.unavailable(
            "Terraform's providers",
            "no Keycloak provider source (PORTALWERK_TF_PROVIDER_SOURCES or ../shared/sources)",
        )
    return found


def test_the_pinned_versions_are_those_of_the_provider_table():
    pins = set()
    for path in TERRAFORM.rglob("*.tf"):
        text = path.read_text()
        for source, version in re.findall(
            r'source\s*=\s*"([\w-]+/[\w-]+)"\s*\n\s*version\s*=\s*"([^"]+)"', text
        ):
            pins.add((source, version))

    assert pins == {(p.source, p.version) for p in providers.PROVIDERS}


@pytest.mark.parametrize("configuration", checking.configurations())
def test_every_configuration_is_valid(mirror, configuration):
    checking.validate(configuration)


def test_the_platform_module_passes_its_plans_against_a_mock_provider(mirror):
    runs = checking.test("modules/platform")

    assert {run.status for run in runs} == {"pass"}
    assert {"defaults", "latest_is_refused", "neither_secret_is_refused"} <= {
        run.name for run in runs
    }


@pytest.mark.parametrize(
    ("file", "before", "after", "says"),
    [
        ("application.tf", 'path = "/healthz"', 'path = "/"', "liveness on /healthz"),
        ("main.tf", '"*.${var.base_domain}"', '"www.${var.base_domain}"', "the wildcard"),
        (
            "outputs.tf",
            "= local.secret_name",
            "= nonsensitive(jsonencode(var.secret_environment))",
            "No output holds a secret value",
        ),
    ],
)
def test_the_module_tests_fail_when_the_module_breaks_what_they_assert(
    mirror, file, before, after, says
):
    source = checking.copy()
    path = source / "modules" / "platform" / file
    assert before in path.read_text()
    path.write_text(path.read_text().replace(before, after))

    with pytest.raises(InfraError) as failed:
        checking.test("modules/platform", source=source)

    assert "defaults" in failed.value.message and says in failed.value.message
    checking.copy()  # the copy as the package has it again


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        ({"web": {"replicas": "two"}}, "module.platform.var.web"),
        ({"image": "registry.rz.example/portalwerk:latest"}, "pinned by a tag other than latest"),
        ({"base_domain": "https://portale.rz.example"}, "without scheme, port or wildcard"),
        ({"database": {"instances": 0}}, "database.instances is a whole number from 1 to 9"),
        ({"environment": {"STRIPE_SECRET_KEY": "sk"}}, "belongs in secret_environment"),
        ({"secret_environment": {"PORTALWERK_SECRET_KEY": "short"}}, "at least 50 characters"),
    ],
)
def test_a_variable_of_the_wrong_shape_is_refused_in_one_line(mirror, variables, says):
    with pytest.raises(InfraError) as refused:
        checking.plan("stacks/platform", {**PLATFORM, **variables})

    message = refused.value.message
    assert "\n" not in message and message.startswith("terraform plan: ")
    assert says in message
    secrets = {**PLATFORM["secret_environment"], **variables.get("secret_environment", {})}
    assert not any(value in message for value in secrets.values())


def test_the_platform_stack_plans_its_objects_without_a_cluster(mirror):
    planned = checking.plan("stacks/platform", {**PLATFORM, "web": {"replicas": 3}})

    created = {change.address for change in planned.changes if change.action == "create"}
    assert planned.add == len(created) == 12 and not planned.destroy
    assert {
        "module.platform.kubectl_manifest.database",
        "module.platform.kubectl_manifest.certificate",
        "module.platform.kubectl_manifest.web_disruption_budget[0]",
    } <= created
