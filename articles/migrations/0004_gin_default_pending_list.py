"""Back to GIN's default pending list: a large one made every search scan it
after an import, which cost more than the import saved."""

from django.db import migrations


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX articles_search_vector_gin RESET (gin_pending_list_limit)")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER INDEX articles_search_vector_gin SET (gin_pending_list_limit = 32768)"
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_search_index")]

    operations = [migrations.RunPython(reset, restore)]
