"""The review chain in tests: an issue passed by the levels before the last, and the
two-level chain of an office that had the single review step."""

from magazine.models import Issue, ReviewLevel, ReviewState, ReviewStep


def signed_through(issue, note="", by=None):
    """Every level before the last that has not signs ``issue`` off (as their holders
    would; the last of them with ``note``), so that its publication is the last
    level's to decide."""
    chain = ReviewLevel.chain()
    signed = issue.valid_sign_offs()
    for level in chain[:-1]:
        if level.pk in signed:
            continue
        ReviewStep.objects.create(
            issue=issue,
            kind=ReviewStep.Kind.SIGNED,
            level=level,
            level_name=level.name,
            note=note if level == chain[-2] else "",
            user=by,
        )
    Issue.objects.filter(pk=issue.pk).update(review=ReviewState.SUBMITTED, review_level=chain[-1])
    issue.refresh_from_db()
    return issue


def two_levels():
    """初审 by 编辑, 终审 by 主编: the chain the single review step became."""
    ReviewLevel.objects.filter(name="复审").delete()
    ReviewLevel.objects.filter(name="终审").update(position=2)
    return ReviewLevel.chain()
