"""A month from its print PDF alone, as an editor does it in Chromium: the upload with
从 PDF 生成文章, the dry run's job page listing the articles and writing nothing,
确认生成文章, then the articles made, placed where their titles are printed, with
their areas."""

import pytest

from articles.models import Article
from jobs.models import Job, JobKind, JobState
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.browser.print_upload import open_print_upload, submit_and_wait
from tests.browser.test_editorial import snap, staff
from tests.jobs_helpers import start_worker
from tests.print_pages import page, pdf, piece, text

pytestmark = pytest.mark.browser

PAGES = [
    page(
        "01",
        piece(
            "冬藏里的新希望", text(14, 507), kicker="乡村振兴·冬日", byline="文/周明远", columns=2
        ),
        name="卷首语",
    ),
    page(
        "02",
        piece("护林员的四季", text(10, 240), byline="本刊记者 沈嘉禾", columns=1),
        piece("码头上的网格员", text(10, 240), byline="文/郑晓明", columns=1),
        rows=[[0, 1]],
    ),
]


@pytest.fixture(autouse=True)
def media_served(settings):
    settings.SERVE_MEDIA = True


def test_an_editor_drafts_the_month_from_the_pdf_checks_and_confirms(
    live_server, transactional_db, page_factory, tmp_path
):
    staff("bianji", EDITORS)
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [(each.code, each.name) for each in PAGES])
    data, _ = pdf(PAGES)
    upload = tmp_path / "2026-12.pdf"
    upload.write_bytes(data)

    worker = start_worker()
    try:
        editor = open_print_upload(page_factory, live_server, issue)
        editor.set_input_files("#id_pdf", str(upload))
        editor.get_by_label("从 PDF 生成文章").check()
        snap(editor, "pdf-articles-form")
        submit_and_wait(editor)
        check = Job.objects.get()
        assert check.kind == JobKind.PDF_CHECK and check.state == JobState.DONE
        lines = " ".join(editor.locator(".job-line").all_inner_texts())
        for title in ("冬藏里的新希望", "护林员的四季", "码头上的网格员"):
            assert f"《{title}》" in lines
        assert "文/周明远" in lines and "本刊记者 沈嘉禾" in lines
        assert lines.count("将导入") == 3 and "已导入" not in lines  # nothing written yet
        assert not Article.objects.exists()  # a dry run writes nothing
        snap(editor, "pdf-articles-check", full_page=True)

        editor.get_by_role("button", name="确认生成文章").click()
        editor.wait_for_url(lambda url: f"/{check.pk}/" not in url)
        editor.wait_for_selector(".field-state >> text=已完成", timeout=60_000)
        job = Job.objects.get(kind=JobKind.PRINT_PDF)
        assert job.state == JobState.DONE, job.error
        snap(editor, "pdf-articles-done", full_page=True)
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    made = {a.title: a for a in Article.objects.select_related("section")}
    assert set(made) == {"冬藏里的新希望", "护林员的四季", "码头上的网格员"}
    assert made["冬藏里的新希望"].kicker == "乡村振兴·冬日"
    assert made["冬藏里的新希望"].body == "\n".join(PAGES[0].pieces[0].paragraphs)
    assert {t: a.section.code for t, a in made.items()} == {
        "冬藏里的新希望": "01",
        "护林员的四季": "02",
        "码头上的网格员": "02",
    }
    assert all(a.areas.filter(found=True).exists() for a in made.values())

    # The issue's contents list them, and the page's form shows their found areas.
    page_two = Section.objects.get(issue=issue, code="02")
    editor.goto(f"{live_server.url}/admin/sections/section/{page_two.pk}/change/")
    editor.wait_for_function("() => document.querySelector('.area-editor__scan').naturalWidth > 0")
    assert editor.locator(".area-editor__label--sure").count() == 2
