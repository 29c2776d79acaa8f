"""更正记录: any change to what readers see of a published issue is listed for the
chief editor, whatever route made it, and the issue it touched before the change
counts as much as the one after."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ArticleArea, Author
from magazine.models import Correction, Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.admin_forms import unchanged_post_data
from tests.review_chain import signed_through
from tests.test_review import account, article_form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return account("bianji", EDITORS)


@pytest.fixture
def chief():
    return account("zhubian", CHIEF_EDITORS)


@pytest.fixture
def published():
    issue = Issue.objects.create(year=2015, number=3)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划")])
    article = Article(
        issue=issue, section=issue.sections.get(code="10"), title="城市的河", byline="文/林晓"
    )
    article.body = "第一段。"
    article.save_and_index()
    issue.publish()
    return issue


@pytest.fixture
def draft():
    issue = Issue.objects.create(year=2015, number=4)
    Section.objects.merge(issue, [("01", "卷首语")])
    return issue


def corrections_of(issue):
    return list(Correction.objects.filter(issue=issue).order_by("id"))


def test_moving_an_article_to_a_draft_issue_is_a_correction_of_the_published_one(
    editor, published, draft
):
    article = published.articles.get()
    response = article_form_post(editor, article, issue=str(draft.pk), section="")
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).issue == draft
    (correction,) = corrections_of(published)
    assert correction.user == editor.user and correction.change == "changed"
    assert correction.changed == article and "城市的河" in correction.what
    assert corrections_of(draft) == []


def test_deleting_an_article_of_a_published_issue_is_a_correction(editor, published):
    article = published.articles.get()
    response = editor.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Article.objects.filter(pk=article.pk).exists()
    assert [c.change for c in corrections_of(published)] == ["deleted"]


def test_renaming_an_author_readers_see_is_a_correction(editor, chief, published):
    author = Author.objects.get(name="林晓")
    url = reverse("admin:articles_author_change", args=[author.pk])
    response = chief.post(url, {"name": "林小"})
    assert response.status_code == 302
    (correction,) = corrections_of(published)
    assert "林晓 → 林小" in correction.what
    assert correction.seen_by == chief.user  # the chief editor's own: listed, already seen
    listing = chief.get("/admin/magazine/correction/")
    assert listing.status_code == 200 and "林晓 → 林小" in listing.content.decode()


def test_an_author_of_drafts_only_is_renamed_without_a_correction(chief, draft):
    article = Article(issue=draft, title="草稿", byline="文/王五", body="正文。")
    article.save_and_index()
    author = Author.objects.get(name="王五")
    chief.post(reverse("admin:articles_author_change", args=[author.pk]), {"name": "王六"})
    assert not Correction.objects.exists()


def test_a_command_that_replaces_an_article_records_a_correction_without_a_user(
    published, tmp_path
):
    path = tmp_path / "river.txt"
    path.write_text("城市的河\n\n城市的河\n\n　　改过的第一段。\n", encoding="utf-8")
    call_command("import_text", str(path), "--issue", "2015-3", "--update", stdout=io.StringIO())
    (correction,) = corrections_of(published)
    assert correction.user is None and correction.seen_at is None
    assert Article.objects.get().body == "改过的第一段。"


def test_pages_added_to_a_published_issue_by_an_import_are_a_correction(published, tmp_path):
    path = tmp_path / "new.txt"
    path.write_text("新文章\n01版：卷首语 20版：新版面\n新文章\n\n　　正文。\n", encoding="utf-8")
    call_command("import_text", str(path), "--issue", "2015-3", stdout=io.StringIO())
    whats = [c.what for c in corrections_of(published)]
    assert any("20" in what for what in whats), whats


def test_areas_imported_onto_a_published_page_are_a_correction_of_the_page(published, tmp_path):
    path = tmp_path / "areas.json"
    path.write_text(
        json.dumps({"pages": {"10": [{"title": "城市的河", "box": [0.1, 0.1, 0.5, 0.5]}]}}),
        encoding="utf-8",
    )
    call_command("import_areas", "--issue", "2015-3", str(path), stdout=io.StringIO())
    # The area, read on its page's history (and the article's place, which it set).
    page = published.sections.get(code="10")
    assert page in [correction.changed for correction in corrections_of(published)]
    assert ArticleArea.objects.count() == 1


def test_placing_articles_with_the_bulk_action_is_a_correction(editor, published):
    article = published.articles.get()
    page = published.sections.get(code="01")
    response = editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "place_on_page", "_selected_action": [article.pk], "section": page.pk,
         "apply": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).section == page
    assert [c.user for c in corrections_of(published)] == [editor.user]


def test_restoring_an_old_version_of_an_article_is_a_correction(editor, published):
    article = published.articles.get()
    first = article.history.earliest("history_date")
    article.title = "城市的河流"
    article.save()
    Correction.objects.all().delete()
    url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    response = editor.post(url, unchanged_post_data(editor.get(url)))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "城市的河"
    assert [c.user for c in corrections_of(published)] == [editor.user]


def test_a_save_that_changes_nothing_and_a_publication_are_no_corrections(editor, chief, published):
    assert article_form_post(editor, published.articles.get()).status_code == 302
    published.withdraw(by=chief.user)
    signed_through(published)
    published.publish(by=chief.user)
    assert corrections_of(published) == []
