"""Let the chief editors see the corrections list (更正记录, added in 0008)."""

from django.db import migrations

from magazine.roles import sync_roles


def sync(apps, schema_editor):
    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("magazine", "0008_review_and_corrections"),
        ("articles", "0010_roles_for_article_areas"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
