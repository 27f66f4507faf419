from django.db import migrations, models

from complaints import sla


def fill_respond_warn_at(apps, schema_editor):
    """Existing tickets get their first-response warning point from their category, as new ones do."""
    Complaint = apps.get_model("complaints", "Complaint")
    batch = []
    for complaint in (
        Complaint.objects.select_related("category")
        .only("created_at", "category__respond_hours", "category__working_hours_only")
        .iterator(chunk_size=2000)
    ):
        category = complaint.category
        complaint.respond_warn_at = sla.due_after(
            category, complaint.created_at, category.respond_hours * sla.warn_fraction()
        )
        batch.append(complaint)
        if len(batch) == 2000:
            Complaint.objects.bulk_update(batch, ["respond_warn_at"])
            batch = []
    Complaint.objects.bulk_update(batch, ["respond_warn_at"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_standard_categories")]

    operations = [
        migrations.AddField(model_name="complaint", name="respond_warn_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(fill_respond_warn_at, migrations.RunPython.noop),
        migrations.AlterField(model_name="complaint", name="respond_warn_at", field=models.DateTimeField()),
        migrations.AddField(
            model_name="complaint", name="respond_warned_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="complaint", name="respond_breached_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["status", "respond_due_at"], name="complaint_status_respond_due"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["status", "respond_warn_at"], name="complaint_status_respond_warn"),
        ),
    ]
