from django_tenants.utils import schema_context

from portalwerk.platform.catalog import demo, queries
from portalwerk.platform.catalog.models import Office, Service
from portalwerk.platform.library.models import ServiceTemplate

REQUIRED = {
    "Fischereiprüfung ablegen",
    "Jägerprüfung ablegen",
    "Ehrenamtskarte beantragen",
    "Hund zur Hundesteuer anmelden",
    "Wohnsitz anmelden",
    "Auszug aus der Liegenschaftskarte",
}


def test_the_demo_catalogue_is_realistic_and_seeding_twice_changes_nothing(district, tenant_a):
    # when the demo catalogue is seeded twice
    demo.seed([district, tenant_a])
    with schema_context(tenant_a.schema_name):
        counts = (Service.objects.count(), Office.objects.count())
    demo.seed([district, tenant_a])
    # then nothing was added the second time
    with schema_context(tenant_a.schema_name):
        assert (Service.objects.count(), Office.objects.count()) == counts
        entries = queries.services_for_portal(tenant_a)
        # and the member's portal lists at least 25 services across several life situations,
        # among them the ones citizens ask for most
        assert len(entries) >= 25
        assert REQUIRED <= {e.service.name_de for e in entries}
        situations = {c for e in entries for c in e.categories}
        assert len(situations) >= 6
        # every office has opening hours
        assert all(o.opening_hours.exists() for o in Office.objects.all())
    # the services were adopted from the shared library
    assert ServiceTemplate.objects.count() >= 25
    with schema_context(district.schema_name):
        exam = Service.objects.get(slug="fischereipruefung")
        assert exam.library_key == "fischereipruefung" and exam.library_version == 1
