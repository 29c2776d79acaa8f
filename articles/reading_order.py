"""Keeping ``Article.reading_index`` true: every change to an issue's order renumbers it.

The order is that of ``in_reading_order()``: pages by position, articles by
position on their page, unplaced articles last. It changes when an article is
added, deleted, moved (to another page, position or issue) or when a page is
moved or deleted. A ``save()`` or a delete sends the signals this app
connects below (in ``ArticlesConfig.ready()``: the pages live in a lower app,
which knows nothing of articles). Bulk writes (``bulk_create``, ``update``...)
keep Django's meaning and send nothing: whoever moves articles or pages that
way calls ``renumber(issue_ids)`` after them, as the import does at its end.
The renumbering runs in the same transaction as the change, one query to read
the issue's order and one to write the places that moved.

A batch (an import of a whole issue, file by file) would renumber the issue
after every file: quadratic in its size. Inside ``deferred()`` each issue
touched is renumbered once, when the block ends.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save

ORDER_FIELDS = {"issue", "issue_id", "section", "section_id", "position"}


def moves_order(fields):
    """Whether writing these article fields (or a page's ``position``) can move articles."""
    return bool(ORDER_FIELDS & set(fields))


_batch = threading.local()


def renumber(issue_ids):
    """Renumber these issues now, or at the end of the enclosing ``deferred()``."""
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending.update(issue_ids)
        return
    # A circle on purpose, the other way: the models' saves call this module's
    # signal handlers; imported when called.
    from articles.models import Article

    for issue_id in set(issue_ids) - {None}:
        Article.objects.renumber(issue_id)


@contextmanager
def deferred(renumber_at_end=True):
    """Collect the issues whose order changes and renumber each once at the end.

    Yields the set of issue ids, to which a caller may add issues changed
    elsewhere (by worker processes). ``renumber_at_end=False`` leaves the
    renumbering to the caller (the import's parent process, after its
    workers). Nested blocks belong to the outermost.
    """
    if getattr(_batch, "pending", None) is not None:
        yield _batch.pending
        return
    _batch.pending = pending = set()
    finished = False
    try:
        yield pending
        finished = True
    except GeneratorExit:  # a generator's caller stopped early: what was written stays
        finished = True
        raise
    finally:
        _batch.pending = None
        # After an error the order may be stale until the issue's next write
        # (or the import's rerun); the error itself is what the caller must see.
        if finished and renumber_at_end:
            with transaction.atomic():
                renumber(pending)


def _article_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if not created and update_fields is not None and not moves_order(update_fields):
        return
    renumber({instance.issue_id, getattr(instance, "loaded_issue_id", None)})
    instance.loaded_issue_id = instance.issue_id


def _article_deleted(sender, instance, **kwargs):
    renumber({instance.issue_id})


def _page_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "position" not in update_fields:
        return
    renumber({instance.issue_id})


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
