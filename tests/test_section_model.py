import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from articles.sql import published_page_names
from sections.models import Section, SectionKind, kind_for_code

pytestmark = pytest.mark.django_db


def test_code_is_unique_within_an_issue_but_not_across(make_issue):
    first, second = make_issue(2014, 5), make_issue(2014, 6)
    Section.objects.create(issue=first, code="01", name="卷首语")
    Section.objects.create(issue=second, code="01", name="卷首语")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(issue=first, code="01", name="目录")
    assert first.sections.count() == 1


def test_leading_zeros_are_kept(issue):
    Section.objects.create(issue=issue, code="0001", name="封面")
    Section.objects.create(issue=issue, code="01", name="卷首语")
    Section.objects.create(issue=issue, code="1", name="别的")
    assert sorted(issue.sections.values_list("code", flat=True)) == ["0001", "01", "1"]


@pytest.mark.parametrize("code", ["", "../etc", "01 02", "123456789"])
def test_database_refuses_malformed_codes(issue, code):
    # PostgreSQL refuses an over-long code as DataError, SQLite by the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Section.objects.create(issue=issue, code=code, name="x")
    assert not issue.sections.exists()


def test_database_refuses_an_empty_name(issue):
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(issue=issue, code="01", name="")


def test_full_clean_explains_a_bad_code(issue):
    with pytest.raises(ValidationError) as excinfo:
        Section(issue=issue, code="a/b", name="x", position=1).full_clean()
    assert "code" in excinfo.value.message_dict


def test_default_ordering_is_page_order(issue):
    for position, code in [(3, "9901"), (1, "0001"), (2, "01")]:
        Section.objects.create(issue=issue, code=code, name="页", position=position)
    assert list(issue.sections.values_list("code", flat=True)) == ["0001", "01", "9901"]


@pytest.mark.parametrize(
    "code, kind",
    [
        ("0001", SectionKind.COVER),
        ("0002", SectionKind.COVER),
        ("01", SectionKind.INNER),
        ("64", SectionKind.INNER),
        ("A01", SectionKind.INNER),
        ("9901", SectionKind.BACK_COVER),
        ("9902", SectionKind.BACK_COVER),
    ],
)
def test_kind_is_derived_from_the_code(code, kind):
    assert kind_for_code(code) == kind
    assert Section(code=code).kind == kind


def test_sections_of_published_issues_only(make_issue):
    from django.utils import timezone

    draft = make_issue(2014, 1)
    live = make_issue(2014, 2, published_at=timezone.now())
    Section.objects.create(issue=draft, code="01", name="草稿")
    shown = Section.objects.create(issue=live, code="01", name="公开")
    assert list(Section.objects.published()) == [shown]


def test_published_names_are_each_name_of_a_published_page_once_in_order(make_issue):
    from django.utils import timezone

    now = timezone.now()
    published = make_issue(2014, 5, published_at=now - datetime.timedelta(days=1))
    older = make_issue(2014, 4, published_at=now - datetime.timedelta(days=30))
    draft = make_issue(2014, 6)
    scheduled = make_issue(2014, 7, published_at=now + datetime.timedelta(days=1))
    for issue, names in [
        (published, ["本期策划", "卷首语", "文化视窗", "本期策划"]),
        (older, ["卷首语", "Zebra", "基层来信"]),
        (draft, ["草稿专版", "卷首语"]),
        (scheduled, ["明日专版"]),
    ]:
        for n, name in enumerate(names):
            Section.objects.create(issue=issue, code=f"{n + 1:02d}", name=name, position=n)

    expected = list(
        Section.objects.published(now).order_by("name").values_list("name", flat=True).distinct()
    )
    names = published_page_names(now)
    assert names == expected
    assert sorted(names) == sorted({"本期策划", "卷首语", "文化视窗", "Zebra", "基层来信"})
    # The scheduled issue's page is listed once its time has come.
    later = published_page_names(now + datetime.timedelta(days=2))
    assert "明日专版" in later and "草稿专版" not in later


def test_published_names_of_an_empty_archive(db):
    assert published_page_names() == []
