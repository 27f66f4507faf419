from django.db import migrations

# code, Indonesian name, English name, respond h, resolve h, working hours only, outage related
CATEGORIES = [
    ("burst_pipe", "Pipa bocor atau pecah", "Burst or leaking pipe", 2, 24, False, False),
    ("meter_leak", "Bocor di meter", "Leak at the meter", 4, 48, False, False),
    ("no_water", "Air tidak mengalir", "No water", 2, 24, False, True),
    ("low_pressure", "Air kecil / tekanan rendah", "Low pressure", 4, 72, False, True),
    ("dirty_water", "Air keruh atau berbau", "Dirty or smelly water", 4, 48, False, False),
    ("meter_broken", "Meter rusak", "Meter broken", 8, 24, True, False),
    ("billing", "Pertanyaan rekening", "Billing question", 8, 24, True, False),
    ("illegal_connection", "Sambungan ilegal", "Illegal connection", 16, 40, True, False),
    ("other", "Lainnya", "Other", 8, 40, True, False),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for order, (code, name, name_en, respond, resolve, working, outage) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "respond_hours": respond,
                "resolve_hours": resolve,
                "working_hours_only": working,
                "outage_related": outage,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    """The standard categories; their service levels are edited in the admin afterwards."""

    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
