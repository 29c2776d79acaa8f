"""What a reader may see: the one place every public view starts from."""

from django.db.models import Q

from articles.models import Article
from magazine.models import Issue, published_condition

PREVIEW_PERMISSION = "magazine.view_issue"


def reader_issues(request):
    """The issues readers may see now: the published ones."""
    return Issue.objects.published()


def can_preview(request):
    """Staff who may view issues in the admin may also preview them on the site."""
    user = getattr(request, "user", None)
    return bool(user and user.is_active and user.is_staff and user.has_perm(PREVIEW_PERMISSION))


def previewable_issues(request):
    """What the detail pages may show: drafts and scheduled issues too, for staff."""
    return Issue.objects.all() if can_preview(request) else reader_issues(request)


def visible_through(request, relation, allow_preview=False):
    """The condition on ``relation`` (an issue) of what this request may see: the
    published rule for readers, nothing for staff on a page that previews."""
    if allow_preview and can_preview(request):
        return Q()
    return published_condition(through=relation)


def reader_articles(request):
    """The articles readers may see now: those of published issues."""
    return Article.objects.filter(issue__in=reader_issues(request))
