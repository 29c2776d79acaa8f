"""Files no row names are deleted once the change commits: a page's scan or PDF
cleared or replaced, a page, an issue or an article image deleted. History's
restore never names a file that is gone."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, ArticleImage
from magazine.models import Issue
from sections.models import Section
from tests import pdf_files
from tests.admin_forms import page_form
from tests.test_uploads import jpeg, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(media):
    issue = Issue.objects.create(year=2015, number=3)
    Section.objects.merge(issue, [("01", "卷首语")])
    page = issue.sections.get()
    page.scan = jpeg(600, 800, "01.jpg")
    page.pdf = ContentFile(pdf_files.pdf_bytes(1), name="01.pdf")
    page.save()
    return Section.objects.get(pk=page.pk)


def names(page):
    return {page.scan.name, page.pdf.name, *(r["name"] for r in page.scan_renditions.values())}


def test_clearing_a_scan_and_pdf_on_the_form_deletes_them_once_saved(
    admin_client, page, media, django_capture_on_commit_callbacks
):
    before = names(page)
    assert set(stored_files(media)) == before
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/sections/section/{page.pk}/change/",
            page_form(page, **{"scan-clear": "on", "pdf-clear": "on"}),
        )
    assert response.status_code == 302
    assert stored_files(media) == []


def test_replacing_a_scan_deletes_the_old_one_and_its_renditions(
    admin_client, page, media, django_capture_on_commit_callbacks
):
    old_scan = {page.scan.name, *(r["name"] for r in page.scan_renditions.values())}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/sections/section/{page.pk}/change/",
            page_form(page, scan=jpeg(600, 800, "new.jpg")),
        )
    page.refresh_from_db()
    assert set(stored_files(media)) == names(page)
    assert not old_scan & set(stored_files(media))


def test_a_rolled_back_change_keeps_the_files(page, media):
    from django.db import transaction

    before = set(stored_files(media))
    with transaction.atomic():
        page.scan = None
        page.save()
        transaction.set_rollback(True)
    assert set(stored_files(media)) == before


def test_deleting_a_page_or_its_issue_deletes_their_files(
    page, media, django_capture_on_commit_callbacks
):
    issue = page.issue
    issue.cover = jpeg(600, 800, "cover.jpg")
    issue.save()
    article = Article.objects.create(issue=issue, title="题", body="正文。")
    ArticleImage.objects.create(article=article, image=jpeg(300, 300, "a.jpg"), alt="图")
    assert len(stored_files(media)) > len(names(page))
    with django_capture_on_commit_callbacks(execute=True):
        Section.objects.filter(pk=page.pk).delete()
    assert not names(page) & set(stored_files(media))
    with django_capture_on_commit_callbacks(execute=True):
        Issue.objects.filter(pk=issue.pk).delete()
    assert stored_files(media) == []


def test_restoring_a_version_whose_scan_is_gone_keeps_the_current_scan(
    admin_client, page, media, django_capture_on_commit_callbacks
):
    first = page.history.latest("history_date")
    with django_capture_on_commit_callbacks(execute=True):
        page.scan = SimpleUploadedFile("new.jpg", jpeg(600, 800).read())
        page.save()
    current = Section.objects.get(pk=page.pk).scan.name
    url = f"/admin/sections/section/{page.pk}/history/{first.history_id}/"
    from tests.admin_forms import unchanged_post_data

    response = admin_client.post(url, unchanged_post_data(admin_client.get(url)), follow=True)
    assert response.status_code == 200
    page.refresh_from_db()
    assert page.scan.name == current and page.scan.storage.exists(current)
    assert "已删除" in response.content.decode() or "was deleted" in response.content.decode()
