"""Start the population history with one count per municipality: its figures as they stand."""

from django.db import migrations


def create_counts(apps, schema_editor):
    Municipality = apps.get_model("municipalities", "Municipality")
    PopulationCount = apps.get_model("municipalities", "PopulationCount")
    PopulationCount.objects.bulk_create(
        [
            PopulationCount(municipality_id=m.pk, counted_on=m.population_counted_on, population=m.population)
            for m in Municipality.objects.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0003_population_count"),
    ]

    operations = [
        migrations.RunPython(create_counts, migrations.RunPython.noop),
    ]
