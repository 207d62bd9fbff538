"""The appointments' own rate counter table goes: its limits are counted by the shared rate
limiter (`portalwerk.platform.ratelimits`) now. Counts are minutes to an hour old and restart at
zero; reversing restores the table empty."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_offices_from_the_catalogue"),
        ("ratelimits", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="RateCounter"),
    ]
