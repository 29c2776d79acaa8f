"""What a reader may see: the one place every public view starts from."""

from magazine.models import Issue


def reader_issues(request):
    """The issues this request may see: the published ones."""
    return Issue.objects.published()
