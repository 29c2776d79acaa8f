"""The review chain's levels, and today's issues placed on it.

A new office gets the three levels of 三审制 (初审 编辑, 复审 编辑部主任, 终审
主编). An office that already has issues reviewed them in one step (editors
submit, the chief editor publishes or sends back): it gets that as a chain of
two levels (初审 编辑, 终审 主编), and each issue keeps its state — one
submitted waits at 终审 with its submission as the 初审 sign-off, one sent back
waits at 初审. A chief editor can add 复审 in the admin.
"""

from django.db import migrations

from magazine.roles import DEFAULT_CHAIN, TWO_LEVEL_CHAIN, ensure_chain, sync_roles


def forwards(apps, schema_editor):
    using = schema_editor.connection.alias
    # The 编辑部主任 group and the new permissions; the chain is decided here.
    sync_roles(apps, using=using, chain=False)
    Issue = apps.get_model("magazine", "Issue")
    ReviewStep = apps.get_model("magazine", "ReviewStep")
    upgrading = Issue.objects.using(using).exists()
    levels = ensure_chain(apps, using, TWO_LEVEL_CHAIN if upgrading else DEFAULT_CHAIN)
    if not levels:
        return
    first, last = levels[0], levels[-1]
    for issue in Issue.objects.using(using).filter(review="submitted"):
        submitted = (
            ReviewStep.objects.using(using)
            .filter(issue=issue, kind="submitted")
            .order_by("-at", "-id")
            .first()
        )
        if submitted is not None:
            ReviewStep.objects.using(using).create(
                issue=issue,
                kind="signed",
                level=first,
                level_name=first.name,
                user_id=submitted.user_id,
                note=submitted.note,
                at=submitted.at,
            )
        Issue.objects.using(using).filter(pk=issue.pk).update(review_level=last)
    Issue.objects.using(using).filter(review="returned").update(review_level=first)
    ReviewStep.objects.using(using).filter(kind="returned", level__isnull=True).update(
        level=first, level_name=first.name
    )


def backwards(apps, schema_editor):
    using = schema_editor.connection.alias
    apps.get_model("magazine", "ReviewStep").objects.using(using).filter(kind="signed").delete()
    apps.get_model("magazine", "Issue").objects.using(using).update(review_level=None)
    apps.get_model("magazine", "ReviewLevel").objects.using(using).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("magazine", "0014_review_chain"),
        ("articles", "0015_proofing_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
