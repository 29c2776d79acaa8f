"""A change to an issue's text after a level signed it off: the later levels'
sign-offs no longer vouch for the article it touched (``Issue.lapse_sign_offs``).

Whatever made the change — a form, a bulk action, History's restore, an import,
a proofing correction — writes a history record; this reads it. A change by
someone who holds a level is that level's own work: only the sign-offs of the
levels above theirs lapse (a change by no level's holder, such as a command
run without a user, lapses them all).
"""

from infra.versions import change_of
from magazine.models import Issue, ReviewLevel, ReviewStep

# What of an article is its text (its page and order are not).
TEXT_FIELDS = {"title", "kicker", "subtitle", "byline", "body", "issue"}


def on_article_saved(sender, instance, history_instance, history_user=None, **kwargs):
    issue_ids = {instance.issue_id}
    if history_instance.history_type == "~":
        # The record before and the fields changed, read once for this and the
        # corrections' receiver.
        previous, changed = change_of(history_instance)
        if previous is None or not TEXT_FIELDS.intersection(changed):
            return
        issue_ids.add(previous.issue_id)
    signed = set(
        ReviewStep.objects.filter(issue_id__in=issue_ids, kind=ReviewStep.Kind.SIGNED).values_list(
            "issue_id", flat=True
        )
    )
    if not signed:
        return
    above = held_up_to(history_user)
    for issue in Issue.objects.filter(pk__in=signed):
        issue.lapse_sign_offs(
            above, instance.pk, instance.title, history_user, at=history_instance.history_date
        )


def held_up_to(user):
    """The position of the highest level ``user`` holds (0: none)."""
    if user is None:
        return 0
    positions = ReviewLevel.objects.held_by(user).values_list("position", flat=True)
    return max(positions, default=0)
