"""An article's page is a page of the article's issue: in the database, by every route.

Before, moving a draft's page onto a published issue (its change form, with
another issue) put the draft's articles on the published issue's page.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, connection, transaction

from articles.models import Article
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.admin_forms import signed_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues():
    published = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(published, [("01", "卷首语"), ("02", "要闻")])
    published.publish()
    draft = Issue.objects.create(year=2014, number=6)
    Section.objects.merge(draft, [("01", "卷首语"), ("07", "草稿版")])
    page = draft.sections.get(code="07")
    Article.objects.create(
        issue=draft,
        section=page,
        kicker="草稿引题",
        title="未发表的草稿",
        byline="文/某人",
        body="草稿正文。",
    )
    return published, draft, page


def test_a_pages_form_cannot_move_it_and_its_articles_to_a_published_issue(client, issues):
    published, draft, page = issues
    editor = User.objects.create_user("bianji", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    response = client.post(
        f"/admin/sections/section/{page.pk}/change/",
        {
            "issue": str(published.pk),
            "version": signed_version(page),
            "position": "9",
            "code": "09",
            "name": "草稿版",
            "articles-TOTAL_FORMS": "0",
            "articles-INITIAL_FORMS": "0",
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.issue_id == draft.pk  # the issue is not a field of an existing page's form
    reader = client.__class__()
    assert reader.get("/issues/2014/5/pages/09/").status_code == 404
    for code in ("01", "02"):
        assert "未发表的草稿" not in reader.get(f"/issues/2014/5/pages/{code}/").content.decode()


def refused(write):
    with pytest.raises(IntegrityError, match="article_page_in_issue"), transaction.atomic():
        write()


def test_the_database_refuses_moving_a_page_with_articles_to_another_issue(issues):
    published, draft, page = issues
    refused(lambda: Section.objects.filter(pk=page.pk).update(issue=published))
    version = Section.objects.get(pk=page.pk).version
    refused(
        lambda: Section(
            pk=page.pk, issue=published, code="09", name="草稿版", version=version
        ).save()
    )
    with connection.cursor() as cursor:
        refused(
            lambda: cursor.execute(
                "UPDATE sections_section SET issue_id = %s WHERE id = %s", [published.pk, page.pk]
            )
        )
    assert Section.objects.get(pk=page.pk).issue_id == draft.pk


def test_the_database_refuses_an_article_on_another_issues_page(issues):
    published, draft, page = issues
    their_page = published.sections.get(code="02")
    refused(lambda: Article.objects.create(issue=draft, section=their_page, title="甲", body="正"))
    article = draft.articles.get()
    refused(lambda: Article.objects.filter(pk=article.pk).update(section=their_page))
    refused(lambda: Article.objects.filter(pk=article.pk).update(issue=published))
    article.refresh_from_db()
    assert (article.issue_id, article.section_id) == (draft.pk, page.pk)
    assert not Article.objects.filter(title="甲").exists()


def test_an_empty_page_may_still_move_and_an_article_with_its_page(issues):
    published, draft, _page = issues
    empty = draft.sections.get(code="01")
    Section.objects.filter(pk=empty.pk).update(issue=Issue.objects.create(year=2014, number=7))
    article = draft.articles.get()
    mine = published.sections.get(code="02")
    Article.objects.filter(pk=article.pk).update(issue=published, section=mine)
    assert Article.objects.get(pk=article.pk).section_id == mine.pk


def test_the_page_model_explains_the_rule_before_the_database_refuses(issues):
    from django.core.exceptions import ValidationError

    published, _draft, page = issues
    page.issue = published
    with pytest.raises(ValidationError) as refusal:
        page.full_clean()
    assert list(refusal.value.message_dict) == ["issue"]


def test_the_triggers_are_in_place():
    from articles import triggers

    assert triggers.missing() == []
