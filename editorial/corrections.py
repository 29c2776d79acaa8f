"""更正记录: every change to what readers see of a published issue.

The rule: a change to an article (its text, fields, page, issue, deletion),
its images and areas, a page (name, order, scan, PDF, deletion, pages
added) or an author's name, that touches an issue readers can see, is a
``Correction`` of that issue, whatever made it — a form, a bulk action,
History's restore, a job, a command. It is recorded when the change's
history record is written, and looks at the issue before the change as well
as after it, so that moving an article out of a published issue is recorded
there. A change by someone who may not publish stays on the chief editor's
dashboard until they mark it seen; the chief editor's own are recorded as
seen by them, so that the list is complete.
"""

from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from articles.models import Article, ArticleArea, ArticleImage, Author
from infra.versions import change_of
from magazine.models import Correction, Issue
from magazine.roles import PUBLISH_PERMISSION
from sections.models import Section, pages_added

CHANGES = {"+": "added", "~": "changed", "-": "deleted"}
# Fields readers never see: an issue's state (it moves by publish() and the review
# steps, which are steps of their own, not corrections) and every row's version.
NOT_SHOWN = {"published_at", "review", "version"}


def _issue_of_article(article_id):
    return Article.objects.filter(pk=article_id).values_list("issue_id", flat=True)


def _issue_of_page(section_id):
    return Section.objects.filter(pk=section_id).values_list("issue_id", flat=True)


def _issues_of_author(author):
    stashed = getattr(author, "_issue_ids", None)  # set before a delete took its links
    if stashed is not None:
        return stashed
    return list(author.articles.values_list("issue_id", flat=True).distinct())


# The issues a record's object belongs to, from its row as it is now, or as a
# historical record has it (the same attributes; its own pk is history_id).
ISSUES_OF = {
    Issue: lambda obj: [obj.id],
    Section: lambda obj: [obj.issue_id],
    Article: lambda obj: [obj.issue_id],
    ArticleImage: lambda obj: list(_issue_of_article(obj.article_id)),
    ArticleArea: lambda obj: list(_issue_of_page(obj.section_id)),
    Author: _issues_of_author,
}


# Where the chief editor reads the change: its own history, or its owner's
# (an image's article, an area's page).
OWNER_OF = {
    ArticleImage: lambda obj: (Article, obj.article_id),
    ArticleArea: lambda obj: (Section, obj.section_id),
}


def connect():
    for model in ISSUES_OF:
        post_create_historical_record.connect(
            record_correction, sender=model.history.model, dispatch_uid=f"corrections-{model}"
        )
    pre_delete.connect(_remember_authors_issues, sender=Author, dispatch_uid="corrections-author")
    pre_delete.connect(_issue_going, sender=Issue, dispatch_uid="corrections-issue-going")
    post_delete.connect(_issue_gone, sender=Issue, dispatch_uid="corrections-issue-gone")
    pages_added.connect(record_pages_added, sender=Section, dispatch_uid="corrections-pages")


# Issues being deleted: what their delete takes with it is no correction of
# theirs (the correction rows would name an issue gone by the commit).
_deleting = ContextVar("issues_being_deleted", default=frozenset())


def _issue_going(sender, instance, **kwargs):
    _deleting.set(_deleting.get() | {instance.pk})


def _issue_gone(sender, instance, **kwargs):
    _deleting.set(_deleting.get() - {instance.pk})


def _remember_authors_issues(sender, instance, **kwargs):
    instance._issue_ids = list(instance.articles.values_list("issue_id", flat=True).distinct())


def record_correction(sender, instance, history_instance, history_user=None, **kwargs):
    change = CHANGES.get(history_instance.history_type, "changed")
    previous, changed = change_of(history_instance)
    changed_fields = _changed_fields(history_instance, changed)
    if previous is not None and not changed_fields:
        return  # saved unchanged, or only the state moved
    issue_ids = set(ISSUES_OF[type(instance)](instance))
    if previous is not None:  # where it was: moved out of a published issue
        issue_ids.update(ISSUES_OF[type(instance)](_as_of(previous, instance)))
    what = f"{instance._meta.verbose_name} {_name(instance, previous)}".strip()
    if changed_fields:
        what += f"（{'、'.join(changed_fields)}）"
    record(
        issue_ids,
        instance,
        what,
        change,
        history_user,
        history_instance.history_date or timezone.now(),
    )


def record_pages_added(sender, issue, sections, user=None, **kwargs):
    if not sections:
        return
    codes = " ".join(section.label for section in sections)
    what = f"{Section._meta.verbose_name_plural} {codes}"
    record([issue.pk], sections[0], what, "added", user, timezone.now())


def record(issue_ids, instance, what, change, user, at):
    """A correction of each issue among ``issue_ids`` that readers can see."""
    issue_ids = {pk for pk in issue_ids if pk} - _deleting.get()
    published = list(Issue.objects.published().filter(pk__in=issue_ids)) if issue_ids else []
    if not published:
        return
    model, object_id = OWNER_OF.get(type(instance), lambda obj: (type(obj), obj.pk))(instance)
    content_type = ContentType.objects.get_for_model(model)
    seen = user is not None and user.has_perm(PUBLISH_PERMISSION)
    Correction.objects.bulk_create(
        Correction(
            issue=issue,
            content_type=content_type,
            object_id=object_id,
            what=what[:300],
            change=change,
            user=user,
            at=at,
            seen_by=user if seen else None,
            seen_at=at if seen else None,
        )
        for issue in published
    )


def _changed_fields(history_instance, changed):
    """The names (as editors read them) of the fields readers see that changed."""
    model = history_instance.instance_type
    return [
        str(model._meta.get_field(name).verbose_name) for name in changed if name not in NOT_SHOWN
    ]


def _as_of(record, instance):
    """The object as ``record`` (a historical record) has it, for ``ISSUES_OF``."""
    if isinstance(instance, Author):
        return instance  # its links are not in its history; its issues are the same
    return record  # not record.instance: that reads the excluded fields from the row


def _name(instance, previous):
    """The object's name for the list, with its old name when that changed."""
    if isinstance(instance, Author | Section):
        # An author made by an import has no history before its first change.
        old = previous.name if previous is not None else getattr(instance, "loaded_name", None)
        if old is not None and old != instance.name:
            label = instance.label if isinstance(instance, Section) else ""
            return f"{label} {old} → {instance.name}".strip()
    try:
        return str(instance)
    except ObjectDoesNotExist:  # an area or image whose article went in the same delete
        return str(instance.pk)
