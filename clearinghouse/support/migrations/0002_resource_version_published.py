from django.db import migrations, models
from django.db.models import F


def publish_versions_of_published_resources(apps, schema_editor):
    # Versions already public stay public: those of published resources count as reviewed.
    ResourceVersion = apps.get_model("support", "ResourceVersion")
    ResourceVersion.objects.filter(resource__live=True).update(published_at=F("added_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="resourceversion",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="published"),
        ),
        migrations.RunPython(publish_versions_of_published_resources, migrations.RunPython.noop),
    ]
