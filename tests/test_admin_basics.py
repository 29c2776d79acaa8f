"""An editor can already enter an issue, its pages and articles in the admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.models import Article
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user("bianji", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name", ["magazine_issue", "sections_section", "articles_article", "articles_author"]
)
def test_changelist_and_add_form_open(editor_client, issue, name):
    page = Section.objects.create(issue=issue, code="01", name="卷首语")
    Article.objects.create(issue=issue, section=page, title="标题", body="正文")
    assert editor_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_editor_enters_an_issue_with_pages_then_an_article(editor_client):
    response = editor_client.post(
        reverse("admin:magazine_issue_add"),
        {
            "year": "2014",
            "number": "5",
            "cumulative_number": "",
            "cover_date": "",
            "cover_alt": "",
            "published_at_0": "",
            "published_at_1": "",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-0-position": "1",
            "sections-0-code": "01",
            "sections-0-name": "卷首语",
            "sections-1-position": "2",
            "sections-1-code": "10",
            "sections-1-name": "本期策划",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get(year=2014, number=5)
    assert list(issue.sections.values_list("code", "name")) == [
        ("01", "卷首语"),
        ("10", "本期策划"),
    ]

    page = issue.sections.get(code="10")
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "issue": issue.pk,
            "section": page.pk,
            "position": "0",
            "kicker": "",
            "title": "一条老街的新生",
            "subtitle": "",
            "byline": "本刊记者 陈晓",
            "body": "第一段。\n第二段。",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="一条老街的新生")
    assert article.section == page
    assert list(article.authors.values_list("name", flat=True)) == ["陈晓"]


def test_admin_refuses_a_page_of_another_issue(editor_client, make_issue):
    mine, other = make_issue(2014, 5), make_issue(2014, 6)
    foreign = Section.objects.create(issue=other, code="01", name="卷首语")
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "issue": mine.pk,
            "section": foreign.pk,
            "position": "0",
            "title": "错版",
            "body": "x",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_every_admin_page_opens(client, issue):
    """Changelists, add and change forms, history, delete confirmations, action pages."""
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType

    from articles.models import ArticleImage, Author, WrongWord
    from jobs.models import Job, JobKind
    from magazine.models import Correction, ReviewLevel
    from tests.review_chain import signed_through

    admin_user = User.objects.create_superuser("root", password="pw")
    client.force_login(admin_user)
    page = Section.objects.create(issue=issue, code="01", name="卷首语")
    article = Article(issue=issue, section=page, title="标题", byline="文/王芳", body="正文")
    article.save_and_index()
    instances = {
        "magazine.issue": issue,
        "sections.section": page,
        "articles.article": article,
        "articles.author": Author.objects.get(),
        "magazine.reviewlevel": ReviewLevel.objects.get(name="复审"),
        "articles.wrongword": WrongWord.objects.create(wrong="按装", right="安装"),
    }
    signed_through(issue)
    assert client.get("/admin/").status_code == 200
    for model in admin.site._registry:
        label = model._meta.label_lower
        if model is ArticleImage or label.startswith(("auth.",)):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        if label.startswith(("axes.", "django_tasks_database.")):  # logs: read-only lists
            url = reverse(f"admin:{info[0]}_{info[1]}_changelist")
            assert client.get(url).status_code == 200, url
            continue
        if label == "jobs.job":  # read-only: started where their work belongs
            job = Job.objects.create(kind=JobKind.IMPORT, title="导入", permission="x.y")
            for url in [
                reverse("admin:jobs_job_changelist"),
                reverse("admin:jobs_job_change", args=[job.pk]),
            ]:
                assert client.get(url).status_code == 200, url
            continue
        if label == "magazine.correction":  # read-only: made by the change it records
            correction = Correction.objects.create(
                issue=issue,
                content_type=ContentType.objects.get_for_model(article),
                object_id=article.pk,
                what="文章 标题",
                change="changed",
            )
            for url in [
                reverse("admin:magazine_correction_changelist"),
                reverse("admin:magazine_correction_change", args=[correction.pk]),
            ]:
                assert client.get(url).status_code == 200, url
            continue
        for url in [
            reverse(f"admin:{info[0]}_{info[1]}_changelist"),
            reverse(f"admin:{info[0]}_{info[1]}_add"),
        ]:
            assert client.get(url).status_code == 200, url
        obj = instances[label]
        for view in ["change", "history", "delete"]:
            url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
            assert client.get(url).status_code == 200, url
    for name in ["contents", "proofing", "publish", "withdraw"]:
        url = reverse(f"admin:magazine_issue_{name}", args=[issue.pk])
        assert client.get(url).status_code == 200, url
    for url, data in [
        ("/admin/magazine/issue/", {"action": "schedule", "_selected_action": [issue.pk]}),
        ("/admin/articles/article/", {"action": "place_on_page", "_selected_action": [article.pk]}),
        ("/admin/magazine/issue/", {"action": "delete_selected", "_selected_action": [issue.pk]}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, data["action"]
    record = article.history.first()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, record.history_id])
    assert client.get(url).status_code == 200
