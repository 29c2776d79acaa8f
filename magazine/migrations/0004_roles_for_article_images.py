"""Give the editorial groups the permissions of article images (added in articles 0002)."""

from django.db import migrations

from magazine.roles import sync_roles


def sync(apps, schema_editor):
    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("magazine", "0003_cover_renditions_and_history"),
        ("articles", "0002_article_images_and_history"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
