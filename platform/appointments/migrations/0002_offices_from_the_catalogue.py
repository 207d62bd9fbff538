"""Appointments are taken at the catalogue's offices: this app's own `Office` table goes, counters,
services at an office, booking hours, exceptions and appointments point at `catalog.Office`, and
the booking rules move to the one-to-one `OfficeBookingPolicy`.

Before the first release there is no production data, so the rows that hang on the old offices
(appointments, slots, counters, hours, exceptions, services at an office) are removed rather than
mapped; the bookable services themselves stay. Reversible: going back removes the same rows of the
new shape and restores the old tables empty.
"""

import django.db.models.deletion
from django.db import migrations, models

# what hangs on an office, in an order that leaves no reference behind; audit entries about an
# appointment go with it, those about a day's list (no appointment) stay
HANGING_ON_OFFICES = [
    "DELETE FROM appointments_slot",
    "DELETE FROM appointments_auditentry WHERE appointment_id IS NOT NULL",
    "DELETE FROM appointments_appointmentitem",
    "DELETE FROM appointments_appointment",
    "DELETE FROM appointments_openingexception",
    "DELETE FROM appointments_openinghours",
    "DELETE FROM appointments_counter_services",
    "DELETE FROM appointments_counter",
    "DELETE FROM appointments_officeservice",
]


def _delete(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement)
    # the foreign keys are deferred: check them now, so that no pending trigger event blocks the
    # ALTER TABLEs that follow in this transaction
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def remove_rows_of_offices(apps, schema_editor):
    _delete(schema_editor, HANGING_ON_OFFICES)


def remove_old_offices(apps, schema_editor):
    _delete(schema_editor, [*HANGING_ON_OFFICES, "DELETE FROM appointments_office"])


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("catalog", "0002_search_extensions"),
    ]

    operations = [
        migrations.RunPython(remove_old_offices, remove_rows_of_offices, elidable=True),
        migrations.AlterField(
            model_name="officeservice",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="office_services",
                to="catalog.office",
            ),
        ),
        migrations.AlterField(
            model_name="openinghours",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="booking_hours",
                to="catalog.office",
            ),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="catalog.office",
            ),
        ),
        migrations.AlterField(
            model_name="openingexception",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="booking_exceptions",
                to="catalog.office",
            ),
        ),
        migrations.AlterField(
            model_name="counter",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="counters",
                to="catalog.office",
            ),
        ),
        migrations.CreateModel(
            name="BookableOffice",
            fields=[],
            options={
                "verbose_name": "office for appointments",
                "verbose_name_plural": "offices for appointments",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("catalog.office",),
        ),
        migrations.CreateModel(
            name="OfficeBookingPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="bookable online")),
                (
                    "observe_public_holidays",
                    models.BooleanField(
                        default=True, verbose_name="closed on public holidays of the state"
                    ),
                ),
                (
                    "granularity_minutes",
                    models.PositiveSmallIntegerField(
                        default=5,
                        help_text="Start times lie on this grid.",
                        verbose_name="slot grid (minutes)",
                    ),
                ),
                (
                    "lead_time_minutes",
                    models.PositiveIntegerField(
                        default=1440, verbose_name="earliest booking (minutes ahead)"
                    ),
                ),
                (
                    "horizon_days",
                    models.PositiveSmallIntegerField(
                        default=60, verbose_name="latest booking (days ahead)"
                    ),
                ),
                (
                    "max_active_per_email",
                    models.PositiveSmallIntegerField(
                        default=2, verbose_name="appointments one email address may hold"
                    ),
                ),
                (
                    "cancel_block_minutes",
                    models.PositiveSmallIntegerField(
                        default=30, verbose_name="minutes a cancelled slot stays blocked"
                    ),
                ),
                (
                    "hold_minutes",
                    models.PositiveSmallIntegerField(
                        default=30, verbose_name="minutes a slot is held before confirmation"
                    ),
                ),
                (
                    "confirm_minutes",
                    models.PositiveSmallIntegerField(
                        default=60, verbose_name="minutes to click the confirmation link"
                    ),
                ),
                (
                    "office",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="booking_policy",
                        to="catalog.office",
                        verbose_name="office",
                    ),
                ),
            ],
            options={
                "verbose_name": "booking rules",
                "verbose_name_plural": "booking rules",
            },
        ),
        migrations.DeleteModel(
            name="Office",
        ),
        migrations.AddConstraint(
            model_name="officebookingpolicy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("granularity_minutes__gte", 1), ("granularity_minutes__lte", 60)
                ),
                name="booking_policy_granularity_range",
            ),
        ),
        # going back, the rows that point at catalogue offices go first (the reverse runs bottom up)
        migrations.RunPython(migrations.RunPython.noop, remove_rows_of_offices, elidable=True),
    ]
