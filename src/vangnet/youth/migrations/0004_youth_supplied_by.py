"""Record which organisation supplied a youth's person data; existing records get the
organisation of their first enrolment (the school that added them)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def first_enrolment_supplies(apps, schema_editor):
    Youth = apps.get_model("youth", "Youth")
    Enrolment = apps.get_model("youth", "Enrolment")
    first = Enrolment.objects.filter(youth_id=OuterRef("pk")).order_by("created_at", "pk")
    Youth.objects.filter(supplied_by__isnull=True).update(
        supplied_by=Subquery(first.values("organisation_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_organisation_takes_part_in_ddd"),
        ("youth", "0003_student_list_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="youth",
            name="supplied_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="person data supplied by",
            ),
        ),
        migrations.RunPython(first_enrolment_supplies, migrations.RunPython.noop, elidable=True),
    ]
