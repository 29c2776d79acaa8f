import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from magazine.models import Issue, IssueState, parse_issue_key

pytestmark = pytest.mark.django_db


def test_year_and_number_are_unique_together(make_issue):
    make_issue(2014, 5)
    make_issue(2015, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_issue(2014, 5)
    assert Issue.objects.count() == 2


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"number": 0}, "issue_number_positive"),
        ({"year": 1850}, "issue_year_in_range"),
        ({"cumulative_number": 0}, "issue_cumulative_number_positive"),
    ],
)
def test_database_refuses_out_of_range_numbers(fields, constraint):
    values = {"year": 2014, "number": 5, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(**values)
    assert not Issue.objects.exists()


def test_full_clean_explains_a_zero_number():
    with pytest.raises(ValidationError) as excinfo:
        Issue(year=2014, number=0).full_clean()
    assert "number" in excinfo.value.message_dict


def test_default_ordering_is_newest_issue_first(make_issue):
    make_issue(2013, 12)
    make_issue(2014, 2)
    make_issue(2014, 10)
    assert [i.key for i in Issue.objects.all()] == ["2014-10", "2014-2", "2013-12"]


def test_published_includes_only_issues_whose_time_has_come(make_issue):
    now = timezone.now()
    draft = make_issue(2014, 1)
    scheduled = make_issue(2014, 2, published_at=now + datetime.timedelta(days=1))
    published = make_issue(2014, 3, published_at=now - datetime.timedelta(minutes=1))

    assert list(Issue.objects.published()) == [published]
    assert draft.state() == IssueState.DRAFT
    assert scheduled.state() == IssueState.SCHEDULED
    assert published.state() == IssueState.PUBLISHED
    assert published.is_published() and not scheduled.is_published()


def test_scheduled_issue_becomes_published_when_its_time_comes(make_issue):
    at = timezone.now() + datetime.timedelta(hours=2)
    issue = make_issue()
    issue.publish(at=at)

    assert not Issue.objects.published().exists()
    later = at + datetime.timedelta(seconds=1)
    assert list(Issue.objects.published(now=later)) == [issue]
    assert issue.state(now=later) == IssueState.PUBLISHED


def test_publish_withdraw_round_trip(issue):
    issue.publish()
    issue.refresh_from_db()
    assert issue.is_published()
    assert list(Issue.objects.published()) == [issue]

    issue.withdraw()
    issue.refresh_from_db()
    assert issue.published_at is None
    assert issue.state() == IssueState.DRAFT
    assert not Issue.objects.published().exists()


def test_publish_at_refuses_naive_datetime(issue):
    with pytest.raises(ValueError):
        issue.publish(at=datetime.datetime(2030, 1, 1, 8, 0))
    issue.refresh_from_db()
    assert issue.published_at is None


def test_publish_issue_permission_exists():
    from django.contrib.auth.models import Permission

    assert Permission.objects.filter(
        content_type__app_label="magazine", codename="publish_issue"
    ).exists()


@pytest.mark.parametrize(
    "text, expected",
    [("2014-5", (2014, 5)), (" 2026-12 ", (2026, 12)), ("2014-9999", (2014, 9999))],
)
def test_issue_key_parses(text, expected):
    assert parse_issue_key(text) == expected


@pytest.mark.parametrize(
    "text", ["2014", "2014-0", "x-5", "2014/5", "99999-1", "2014-", "", "2014-10000"]
)
def test_issue_key_refuses_malformed_text(text):
    with pytest.raises(ValueError, match="issue"):
        parse_issue_key(text)


def test_str_names_year_and_number(issue):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(issue) == "2014年第5期"
    with translation.override("en"):
        assert str(issue) == "2014, No. 5"


def test_merge_pages_appends_missing_pages_in_order_and_keeps_existing(issue):
    from sections.models import Section

    Section.objects.create(issue=issue, code="01", name="卷首语", position=5)
    ids = Section.objects.merge(issue, [("02", "目录"), ("01", "卷首语"), ("0001", "封面")])
    pages = list(issue.sections.values_list("code", "name", "position"))
    assert pages == [("01", "卷首语", 5), ("02", "目录", 6), ("0001", "封面", 7)]
    assert ids == dict(issue.sections.values_list("code", "pk"))


def test_merge_pages_refuses_a_renaming_and_adds_nothing(issue):
    from sections.models import PageConflict, Section

    Section.objects.create(issue=issue, code="01", name="卷首语", position=1)
    with pytest.raises(PageConflict) as excinfo:
        Section.objects.merge(issue, [("02", "目录"), ("01", "封面")])
    assert "page 01 is '封面' here but '卷首语' in issue 2014-5" == str(excinfo.value)
    assert list(issue.sections.values_list("code", flat=True)) == ["01"]


def test_the_issue_numbers_the_urls_take_are_the_ones_an_issue_may_have(client):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    Issue.objects.create(year=2014, number=9999).publish()
    assert client.get("/issues/2014/9999/").status_code == 200
    assert client.get("/issues/2014/10000/").status_code == 404
    with pytest.raises(ValidationError):
        Issue(year=2014, number=10000).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(year=2014, number=10000)
