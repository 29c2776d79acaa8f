"""A job's page speaks its reader's language and leads on: a dry run says what it would
do, an import what it did, a print PDF one line a page; a finished job links back to
its issue and to the next step, a refused upload to uploading again."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from jobs.models import Job, JobKind
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests import pdf_files
from tests.jobs_helpers import run_jobs
from tests.textfiles import article_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def at_once(monkeypatch, settings, tmp_path):
    from jobs import registry

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())


@pytest.fixture
def editor(client):
    user = User.objects.create_user("bianji", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "目录")])
    return issue


def upload_texts(client, issue):
    files = [
        SimpleUploadedFile("a.txt", article_bytes(title="城市的河")),
        SimpleUploadedFile("b.txt", b"\x00"),
    ]
    response = client.post(f"/admin/magazine/issue/{issue.pk}/import/", {"files": files})
    assert response.status_code == 302
    run_jobs()
    return Job.objects.get(kind=JobKind.IMPORT_CHECK)


def page(client, job, language):
    return client.get(f"/admin/jobs/job/{job.pk}/change/", HTTP_ACCEPT_LANGUAGE=language)


def test_a_dry_run_says_what_it_would_do_in_the_readers_language(editor, issue):
    check = upload_texts(editor, issue)
    chinese = page(editor, check, "zh-CN").content.decode()
    assert "将导入：a.txt：城市的河（未排版）" in chinese
    assert "将拒绝：b.txt：第 1 行：文中含有控制字符（U+0000）" in chinese
    assert "试导入，未写入任何内容：2026年第12期：将导入 1 篇" in chinese
    english = page(editor, check, "en").content.decode()
    assert "would import: a.txt: 城市的河 (unplaced)" in english
    assert "Check the import of 2 files into 2026, No. 12" in english
    assert not Article.objects.exists()
    # A check with a refused file offers to upload again, and leads back to the issue.
    assert f'href="/admin/magazine/issue/{issue.pk}/import/"' in chinese
    assert f'href="/admin/magazine/issue/{issue.pk}/change/"' in chinese


def test_a_finished_import_says_what_it_did_and_leads_to_placing(editor, issue):
    check = upload_texts(editor, issue)
    editor.post(f"/admin/jobs/job/{check.pk}/confirm/")
    run_jobs()
    job = Job.objects.get(kind=JobKind.IMPORT)
    shown = page(editor, job, "zh-CN").content.decode()
    assert "已导入：a.txt：城市的河（未排版）" in shown
    assert "2026年第12期：已导入 1 篇，更新 0 篇，跳过 0 篇，拒绝 1 篇（共 2 个文件）" in shown
    assert "为未排版的文章排版" in shown and "placed=no" in shown


def test_a_print_pdf_job_has_a_line_a_page_and_leads_to_drawing(editor, issue):
    from tests.test_print_pdf import upload

    Article.objects.create(
        issue=issue, section=issue.sections.get(code="01"), title="卷首", body="正文。"
    )
    assert upload(editor, issue, pdf_files.pdf_bytes(2)).status_code == 302
    run_jobs()
    job = Job.objects.get(kind=JobKind.PRINT_PDF)
    shown = page(editor, job, "zh-CN").content.decode()
    assert "01版：已生成版面图和 PDF（PDF 第 1 页" in shown
    assert "从 01版起画热区" in shown  # the page with an article and no area
    english = page(editor, job, "en").content.decode()
    assert "Page 01: scan and PDF made (PDF page 1" in english


def test_a_refused_pdf_offers_to_upload_again(editor, issue):
    from tests.test_print_pdf import upload

    assert upload(editor, issue, pdf_files.pdf_bytes(3)).status_code == 302
    run_jobs()
    job = Job.objects.get(kind=JobKind.PRINT_PDF)
    shown = page(editor, job, "zh-CN").content.decode()
    assert "重新上传印刷版 PDF" in shown
    assert f'href="/admin/magazine/issue/{issue.pk}/print-pdf/"' in shown
