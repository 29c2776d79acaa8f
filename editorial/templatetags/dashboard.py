"""The admin's first page: what an editor needs to see first."""

from django import template
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from articles.models import Article
from jobs.models import Job
from magazine.models import Correction, Issue, ReviewState, ReviewStep
from magazine.roles import PUBLISH_PERMISSION
from sections.models import Section

register = template.Library()

RECENT = 10
RECENT_JOBS = 5


@register.inclusion_tag("admin/includes/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    user = context["request"].user
    in_progress = (
        Issue.objects.exclude(published_at__lte=timezone.now())
        .select_related("review_level")
        .annotate(
            article_total=Count("articles", distinct=True),
            unplaced_total=Count(
                "articles", filter=Q(articles__section__isnull=True), distinct=True
            ),
            page_total=Count("sections", distinct=True),
        )
        .latest_first()[:5]
    )
    # Articles waiting for a page in the issues being made (a published
    # issue may keep some unplaced on purpose: they follow its pages).
    unplaced = Article.objects.filter(
        section__isnull=True, issue__in=Issue.objects.exclude(published_at__lte=timezone.now())
    ).select_related("issue")
    chief = user.has_perm(PUBLISH_PERMISSION)
    return {
        "chief": chief,
        # What waits at a level this user holds: submitted to it, or sent back to it.
        "awaiting_review": in_review(
            Issue.objects.waiting_for(user).filter(review=ReviewState.SUBMITTED)
        ),
        "sent_back": in_review(Issue.objects.waiting_for(user).filter(review=ReviewState.RETURNED)),
        "corrections": Correction.objects.unseen().select_related("issue", "user", "content_type")[
            :RECENT
        ]
        if chief
        else [],
        "correction_count": Correction.objects.unseen().count() if chief else 0,
        "jobs": Job.objects.visible_to(user).select_related("created_by")[:RECENT_JOBS],
        "job_count": Job.objects.visible_to(user).count(),
        "can_view": user.has_perm("magazine.view_issue") and user.has_perm("articles.view_article"),
        "in_progress": in_progress,
        "latest_published": Issue.objects.published().latest_first().first(),
        "unplaced_count": unplaced.count(),
        "unplaced": unplaced.order_by("-updated_at")[:RECENT],
        "recent_changes": recent_changes(),
    }


def in_review(issues):
    """The issues with their latest review step (who submitted or sent back, and why)."""
    steps = Prefetch(
        "review_steps", queryset=ReviewStep.objects.select_related("user"), to_attr="steps"
    )
    issues = list(
        issues.latest_first().select_related("review_level").prefetch_related(steps)[:RECENT]
    )
    for issue in issues:
        issue.last_step = issue.steps[0] if issue.steps else None
    return issues


# How a historical record names its object, from its own columns: its
# ``instance`` would read the row's excluded fields, one query a record.
NAMES = {
    Issue: lambda record: Issue.name_of(record.year, record.number),
    Section: lambda record: f"{record.code}版 {record.name}",
    Article: lambda record: record.title,
}


def recent_changes(limit=RECENT):
    """The latest changes to issues, pages and articles, newest first."""
    records = []
    for model in (Issue, Section, Article):
        latest = model.history.select_related("history_user").order_by("-history_date")
        records += [(model, record) for record in latest[:limit]]
    records.sort(key=lambda pair: pair[1].history_date, reverse=True)
    return [
        {
            "record": record,
            "kind": model._meta.verbose_name,
            "name": NAMES[model](record),
            "object_id": record.id,
            "url_name": f"admin:{model._meta.app_label}_{model._meta.model_name}_history",
        }
        for model, record in records[:limit]
    ]
