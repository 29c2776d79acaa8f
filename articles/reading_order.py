"""Keeping ``Article.reading_index`` true: every change to an issue's order renumbers it.

The order is that of ``in_reading_order()``: pages by position, articles by
position on their page, unplaced articles last. It changes when an article is
added, deleted, moved (to another page, position or issue) or when a page is
moved or deleted. Each of those goes through ``save()`` or a delete, which send
the signals below, or through the querysets' ``bulk_create``, ``bulk_update``
and ``update``, which renumber themselves (articles.models, sections.models).
The renumbering runs in the same transaction as the change.
"""

from django.db.models.signals import post_delete, post_save

ORDER_FIELDS = {"issue", "issue_id", "section", "section_id", "position"}


def moves_order(fields):
    """Whether writing these article fields (or a page's ``position``) can move articles."""
    return bool(ORDER_FIELDS & set(fields))


def _article_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if not created and update_fields is not None and not moves_order(update_fields):
        return
    issues = {instance.issue_id, getattr(instance, "loaded_issue_id", None)} - {None}
    for issue_id in issues:
        sender.objects.renumber(issue_id)
    instance.loaded_issue_id = instance.issue_id


def _article_deleted(sender, instance, **kwargs):
    sender.objects.renumber(instance.issue_id)


def _page_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "position" not in update_fields:
        return
    from articles.models import Article

    Article.objects.renumber(instance.issue_id)


def connect_signals():
    """Called from ArticlesConfig.ready()."""
    from articles.models import Article
    from sections.models import Section

    post_save.connect(_article_saved, sender=Article, dispatch_uid="reading-order-article-save")
    post_delete.connect(
        _article_deleted, sender=Article, dispatch_uid="reading-order-article-delete"
    )
    post_save.connect(_page_changed, sender=Section, dispatch_uid="reading-order-page-save")
    post_delete.connect(_page_changed, sender=Section, dispatch_uid="reading-order-page-delete")
