"""What a tenant's contract allows. Existing tenants keep every module allowed, so nothing they
have on today is taken away; operators narrow it per tenant."""

import django.contrib.postgres.fields
from django.db import migrations, models

import portalwerk.tenants.models


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_audit_moves_to_the_audit_app")]

    operations = [
        migrations.AddField(
            model_name="tenant",
            name="allowed_modules",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("catalog", "service catalogue"),
                        ("forms", "forms"),
                        ("appointments", "appointments"),
                        ("payments", "e-payment"),
                    ],
                    max_length=20,
                ),
                blank=True,
                default=portalwerk.tenants.models.all_modules,
                size=None,
                verbose_name="allowed modules",
            ),
        ),
    ]
