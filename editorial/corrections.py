"""更正记录: a change to a published issue by someone who may not publish it.

Editors may correct a published issue (a typo, a byline) without the chief
editor; each such change is recorded as a ``Correction`` when its history
record is written, whatever made it (a form, an admin action, an import
job), and stays on the chief editor's dashboard until they mark it seen.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from articles.models import Article, ArticleArea, ArticleImage
from magazine.models import Correction, Issue, IssueState
from magazine.roles import PUBLISH_PERMISSION
from sections.models import Section

# How each kind of record reaches its issue.
ISSUE_OF = {
    Issue: lambda obj: obj.pk,
    Section: lambda obj: obj.issue_id,
    Article: lambda obj: obj.issue_id,
    ArticleImage: lambda obj: Article.objects.filter(pk=obj.article_id).values("issue_id")[:1],
    ArticleArea: lambda obj: Section.objects.filter(pk=obj.section_id).values("issue_id")[:1],
}

CHANGES = {"+": "added", "~": "changed", "-": "deleted"}


def connect():
    for model in ISSUE_OF:
        post_create_historical_record.connect(
            record_correction, sender=model.history.model, dispatch_uid=f"corrections-{model}"
        )


def record_correction(sender, instance, history_instance, history_user=None, **kwargs):
    if history_user is None or history_user.has_perm(PUBLISH_PERMISSION):
        return  # the chief editor's own changes, and the shell's and the commands'
    issue = Issue.objects.filter(pk=ISSUE_OF[type(instance)](instance)).first()
    if issue is None or issue.state() != IssueState.PUBLISHED:
        return
    Correction.objects.create(
        issue=issue,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        what=f"{instance._meta.verbose_name} {instance}"[:300],
        change=CHANGES.get(history_instance.history_type, "changed"),
        user=history_user,
        at=history_instance.history_date or timezone.now(),
    )
