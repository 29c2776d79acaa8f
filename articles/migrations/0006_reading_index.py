from django.db import migrations, models


def number_every_issue(apps, schema_editor):
    # The historical model has no custom queryset: the order is spelled out
    # as READING_ORDER has it.
    Article = apps.get_model("articles", "Article")
    order = (models.F("section__position").asc(nulls_last=True), "section_id", "position", "id")
    issue_ids = Article.objects.order_by().values_list("issue_id", flat=True).distinct()
    for issue_id in list(issue_ids):
        ids = Article.objects.filter(issue_id=issue_id).order_by(*order).values_list("id", flat=True)
        Article.objects.bulk_update(
            [Article(id=pk, reading_index=index) for index, pk in enumerate(ids)],
            ["reading_index"],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_image_order_by_article_id"),
        ("magazine", "0004_roles_for_article_images"),
        ("sections", "0003_name_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="reading_index",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["issue", "reading_index"], name="article_reading_order"),
        ),
        migrations.RunPython(number_every_issue, migrations.RunPython.noop),
    ]
