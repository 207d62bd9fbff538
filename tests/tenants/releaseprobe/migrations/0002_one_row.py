"""One row per schema it runs in: a schema migrated twice would show two. RELEASE_PROBE_SLEEP
slows it down (a run to kill half-way), RELEASE_PROBE_FAIL names a schema it fails in."""

import os
import time

from django.db import migrations


def one_row(apps, schema_editor):
    schema = schema_editor.connection.schema_name
    Probe = apps.get_model("releaseprobe", "Probe")
    Probe.objects.create(schema=schema)
    time.sleep(float(os.environ.get("RELEASE_PROBE_SLEEP", "0")))
    if schema == os.environ.get("RELEASE_PROBE_FAIL"):
        raise RuntimeError(f"release probe fails in {schema} as asked")


class Migration(migrations.Migration):
    dependencies = [("releaseprobe", "0001_initial")]
    operations = [migrations.RunPython(one_row, migrations.RunPython.noop)]
