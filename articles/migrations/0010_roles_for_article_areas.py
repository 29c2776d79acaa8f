"""Give the editorial groups the permissions of article areas (added in 0009)."""

from django.db import migrations

from magazine.roles import sync_roles


def sync(apps, schema_editor):
    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_article_areas"),
        ("magazine", "0006_text_without_control_characters"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
