"""The casework audit entries move into the one audit trail (portalwerk.platform.audit); the old
table goes. Reversible: going back recreates the table and copies the entries back."""

from django.db import migrations

from portalwerk.platform.audit import legacy


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("audit", "0001_initial"),
        ("accounts", "0002_signinfailure"),
    ]

    operations = [
        migrations.RunPython(legacy.copy_casework, legacy.restore_casework),
        migrations.DeleteModel(name="AuditEntry"),
    ]
