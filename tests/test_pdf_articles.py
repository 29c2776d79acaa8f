"""An issue from its print PDF alone: the articles its pages print drafted (kicker,
title, subtitle, byline, paragraphs, continuations joined), listed by a dry run,
then made through the text import's rules, placed, and given their areas. The
PDFs are set here (articles.print_layout) with text written here."""

import io

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from reportlab.pdfgen import canvas

from articles import drafting
from articles import print_layout as layout
from articles.models import Article, ArticleArea, ArticleSearch
from jobs.models import Job, JobKind, JobState
from magazine.models import Issue
from magazine.roles import EDITORS
from pagelayout import ocr, pdf_text, reading
from sections.models import Section
from tests import pdf_files
from tests.admin_forms import unchanged_post_data
from tests.jobs_helpers import run_jobs
from tests.print_pages import page, pdf, piece, text
from tests.test_review import account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def drafts_of(pages):
    """What ``drafting.draft`` makes of ``pages`` (``layout.Page``), read from their PDF."""
    data, _ = pdf(pages)
    document = pypdfium2.PdfDocument(data)
    try:
        read = [
            (each.code, reading.read(pdf_text.page_chars(document, index)), "text")
            for index, each in enumerate(pages)
        ]
    finally:
        document.close()
    drafts, _ = drafting.draft(read, ["基层月刊", *(each.name for each in pages)])
    return {d.title: d for d in drafts}


def issue_with(pages):
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [(each.code, each.name) for each in pages])
    return issue


def import_pdf(tmp_path, data, *args):
    path = tmp_path / "issue.pdf"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_pdf", "--issue", "2026-12", str(path), *args, "--language", "en",
        stdout=out, stderr=err,
    )  # fmt: skip
    return out.getvalue() + err.getvalue()


# Drafting, from what the pages print


def test_heads_byline_and_paragraphs_across_columns():
    body = text(30, 240)
    story = piece(
        "从渡口到山村：驻村书记记录岁月变迁的第十二年",  # long: set on two lines
        body,
        kicker="山村见闻·绿水青山",
        subtitle="——记渡口驻村书记王晓芳",
        byline="本刊记者 陈立新 通讯员 刘海燕",
        columns=2,
    )
    drafted = drafts_of([page("03", story)])
    one = drafted[story.title]
    assert one.kicker == ["山村见闻·绿水青山"]
    assert one.subtitle == ["——记渡口驻村书记王晓芳"]
    assert one.byline == "本刊记者 陈立新 通讯员 刘海燕"
    assert one.paragraphs == body  # a paragraph cut where a column ends stays one
    assert one.pages == ["03"]


def test_a_continued_article_is_one_article_without_its_markers():
    body = text(40, 240)
    cut = len(body) // 2
    start = piece("社区网格员的第十年", body[:cut], columns=2, continued_to="05")
    rest = layout.Piece(key=start.title, paragraphs=body[cut:], continued_from="02", columns=2)
    other = piece("学堂里的老党员", text(12, 507), columns=2)
    drafted = drafts_of([page("02", start), page("05", rest, other)])
    one = drafted[start.title]
    assert one.pages == ["02", "05"]
    assert one.paragraphs == body
    assert not any("下转" in p or "上接" in p for p in one.paragraphs)
    assert drafted[other.title].paragraphs == other.paragraphs


def test_text_at_a_page_top_goes_on_with_the_page_before():
    body = text(40, 240)
    cut = len(body) // 2
    start = piece("茶园边的新书屋", body[:cut], columns=2)
    rest = layout.Piece(key=start.title, paragraphs=body[cut:], columns=2, indent_first=True)
    drafted = drafts_of([page("06", start), page("07", rest)])
    assert list(drafted) == [start.title]
    assert drafted[start.title].paragraphs == body
    assert drafted[start.title].pages == ["06", "07"]


def test_running_heads_cover_lines_and_a_contents_page_are_no_articles():
    story = piece("走进山村的乡村教师", text(14, 507), columns=2, byline="文/周海燕")
    cover = page("0001", name="封面")
    cover.notes = [("本期看点", 14.0), (story.title, 26.0), ("渡口边的新故事", 26.0)]
    contents = page("0002", name="封二")
    contents.notes = [("目　录", 16.0), (f"{story.title}　……　01", 10.5)]
    drafted = drafts_of([cover, contents, page("01", story, name="卷首语")])
    assert list(drafted) == [story.title]
    one = drafted[story.title]
    assert one.pages == ["01"] and one.byline == "文/周海燕"
    assert not any("基层月刊" in p or "卷首语" in p for p in one.paragraphs)


def test_a_short_line_alone_under_the_title_is_its_byline_a_sentence_is_not():
    with_name = piece("老街上的手艺人", text(8, 507), byline="王晓芳", columns=2)
    sentence = piece("渡口的清晨", ["清晨的渡口，船工们已经开始忙碌。", *text(8, 507)], columns=2)
    drafted = drafts_of([page("04", with_name, sentence)])
    assert drafted[with_name.title].byline == "王晓芳"
    assert drafted[sentence.title].byline == ""
    assert drafted[sentence.title].paragraphs[0] == "清晨的渡口，船工们已经开始忙碌。"


# The command: a dry run, then for real


def month(pages=None):
    pages = pages or [
        page("01", piece("冬藏里的新希望", text(14, 507), byline="文/周明远", columns=2)),
        page(
            "02",
            piece("护林员的四季", text(10, 240), byline="本刊记者 沈嘉禾", columns=1),
            piece("码头上的网格员", text(10, 240), byline="文/郑晓明", columns=1),
            rows=[[0, 1]],
        ),
    ]
    issue_with(pages)
    data, printed = pdf(pages)
    return pages, data, printed


def test_the_dry_run_lists_each_article_and_writes_nothing(tmp_path):
    _, data, _ = month()
    out = import_pdf(tmp_path, data, "--articles", "--dry-run")
    assert "《冬藏里的新希望》 (page 01): new · 文/周明远 · “" in out
    assert "《护林员的四季》 (page 02): new · 本刊记者 沈嘉禾" in out
    assert "3 articles in the PDF's 2 pages (3 new, 0 replacing, 0 already in the issue)" in out
    assert not Article.objects.exists() and not ArticleArea.objects.exists()
    assert not any(s.scan or s.pdf for s in Section.objects.all())


def test_the_articles_are_made_as_imported_ones_placed_with_their_areas(tmp_path):
    pages, data, _printed = month()
    out = import_pdf(tmp_path, data, "--articles")
    assert "3 articles drafted from their text" in out
    made = Article.objects.get(title="护林员的四季")
    assert made.section.code == "02" and made.byline == "本刊记者 沈嘉禾"
    assert [a.name for a in made.authors.all()] == ["沈嘉禾"]  # the byline's names
    assert made.body == "\n".join(pages[1].pieces[0].paragraphs)
    assert ArticleSearch.objects.filter(article=made).exists()
    assert made.areas.filter(found=True).exists()
    left, right = (Article.objects.get(title=t) for t in ("护林员的四季", "码头上的网格员"))
    assert (left.position, right.position) == (1, 2)  # side by side: left first
    # Run again: nothing twice.
    again = import_pdf(tmp_path, data, "--articles")
    assert Article.objects.count() == 3
    assert "Pages 01、02 have articles already: no article drafted from them" in again


def test_update_replaces_an_article_of_the_same_title(tmp_path):
    _, data, _ = month()
    import_pdf(tmp_path, data, "--articles")
    Article.objects.filter(title="冬藏里的新希望").update(body="编辑改过的正文。")
    out = import_pdf(tmp_path, data, "--articles", "--update")
    assert "replaces the one of this title" in out
    assert Article.objects.count() == 3
    assert Article.objects.get(title="冬藏里的新希望").body != "编辑改过的正文。"


def test_pages_with_articles_are_not_drafted_from(tmp_path):
    _, data, _ = month()
    issue = Issue.objects.get()
    Article.objects.create(
        issue=issue, section=issue.sections.get(code="01"), title="文稿导入的文章", body="正文。"
    )
    out = import_pdf(tmp_path, data, "--articles", "--dry-run")
    assert "Page 01 has articles already: no article drafted from it" in out
    assert "冬藏里的新希望" not in out and "护林员的四季" in out


def test_an_issue_without_pages_gets_them_from_the_pdf(tmp_path):
    _, data, _ = month()
    Section.objects.all().delete()
    out = import_pdf(tmp_path, data, "--articles", "--dry-run")
    would = "2026, No. 12 has no pages: the PDF would make 2 (01–02), named by number"
    assert would in out and "《护林员的四季》 (page 02): new" in out
    assert not Section.objects.exists()  # a dry run makes none
    out = import_pdf(tmp_path, data, "--articles")
    assert "2026, No. 12 had no pages: 2 pages made from the PDF (01–02), named by" in out
    assert list(Section.objects.values_list("code", "name")) == [("01", "第1版"), ("02", "第2版")]
    assert Article.objects.get(title="码头上的网格员").section.code == "02"
    # The next upload covers the pages it made: none made twice.
    again = import_pdf(tmp_path, data)
    assert "had no pages" not in again and Section.objects.count() == 2


def test_dry_run_and_update_need_articles(tmp_path):
    _, data, _ = month()
    with pytest.raises(CommandError, match="go with --articles"):
        import_pdf(tmp_path, data, "--dry-run")


# Bad input: one line each, nothing half-made


def test_a_pdf_without_text_and_without_tesseract_says_so_and_makes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    issue_with([page("01"), page("02")])
    out = import_pdf(tmp_path, pdf_files.pdf_bytes(2), "--articles")
    said = [line for line in out.splitlines() if "Tesseract" in line]
    assert said == [
        "Pages 01、02 are scans without text and were not read: Tesseract (OCR) is not "
        "installed here"
    ]
    assert not Article.objects.exists()
    assert Job.objects.get().state == JobState.DONE


def test_a_page_of_pictures_only_prints_no_text(tmp_path):
    if not ocr.available():
        pytest.skip("Tesseract with chi_sim is not installed (make install-ocr)")
    issue_with([page("01")])
    out = import_pdf(tmp_path, pdf_files.pdf_bytes(1), "--articles")
    assert "Page 01 prints no text: no area" in out
    assert not Article.objects.exists()


def outlined_pdf(pages):
    """The pages with their text drawn as shapes (vector outlines, no text layer): each
    page drawn, and every run of dark pixels a filled rectangle."""
    data, printed = pdf(pages)
    document = pypdfium2.PdfDocument(data)
    output = io.BytesIO()
    drawing = canvas.Canvas(output, pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT))
    scale = 3
    for index in range(len(pages)):
        image = document[index].render(scale=scale, grayscale=True).to_pil().convert("L")
        width, height = image.size
        pixels = image.load()
        for y in range(height):
            x = 0
            while x < width:
                if pixels[x, y] < 128:
                    start = x
                    while x < width and pixels[x, y] < 128:
                        x += 1
                    drawing.rect(
                        start / scale,
                        layout.PAGE_HEIGHT - (y + 1) / scale,
                        (x - start) / scale,
                        1 / scale,
                        stroke=0,
                        fill=1,
                    )
                x += 1
        drawing.showPage()
    document.close()
    drawing.save()
    return output.getvalue(), printed


def test_text_in_vector_outlines_is_read_by_ocr_and_marked(tmp_path):
    if not ocr.available():
        pytest.skip("Tesseract with chi_sim is not installed (make install-ocr)")
    story = piece("林场里的护林员", text(12, 507), byline="文/王立新", columns=2)
    pages = [page("01", story)]
    issue_with(pages)
    data, _ = outlined_pdf(pages)
    document = pypdfium2.PdfDocument(data)
    assert pdf_text.page_chars(document, 0) == []  # no text layer: shapes only
    document.close()
    out = import_pdf(tmp_path, data, "--articles")
    assert "read by OCR: check it against the scan" in out
    made = Article.objects.get()
    assert made.from_ocr and made.section.code == "01"
    assert made.title == story.title


# The admin: upload, dry run, confirm; the OCR note


def test_the_admin_upload_drafts_after_a_confirmed_dry_run(
    tmp_path, django_capture_on_commit_callbacks
):
    _, data, _ = month()
    issue = Issue.objects.get()
    editor = account("bianji", EDITORS)
    url = reverse("admin:magazine_issue_print_pdf", args=[issue.pk])
    assert 'name="articles"' in editor.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            url,
            {
                "pdf": SimpleUploadedFile("issue.pdf", data, "application/pdf"),
                "articles": "on",
                "find_areas": "on",
            },
        )
    check = Job.objects.get(kind=JobKind.PDF_CHECK)
    assert response["Location"].endswith(f"/{check.pk}/change/")
    run_jobs()
    check.refresh_from_db()
    assert check.state == JobState.DONE, check.error
    assert not Article.objects.exists()
    page_html = editor.get(reverse("admin:jobs_job_change", args=[check.pk])).content.decode()
    assert "护林员的四季" in page_html and "确认生成文章" in page_html
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(reverse("admin:jobs_job_confirm", args=[check.pk]))
    run_jobs()
    job = Job.objects.get(kind=JobKind.PRINT_PDF)
    assert job.state == JobState.DONE, job.error
    assert Article.objects.count() == 3
    assert all(a.section_id for a in Article.objects.all())
    assert Article.objects.get(title="冬藏里的新希望").history.first().history_user == editor.user
    # No longer offered once every page has its articles.
    assert 'name="articles"' not in editor.get(url).content.decode()


def test_an_article_read_by_ocr_says_so_until_an_editor_saves_it():
    issue = Issue.objects.create(year=2026, number=12)
    made = Article.objects.create(issue=issue, title="扫描来的文章", body="正文。", from_ocr=True)
    editor = account("bianji", EDITORS)
    url = reverse("admin:articles_article_change", args=[made.pk])
    form = editor.get(url)
    assert "ocr-note" in form.content.decode()
    response = editor.post(url, unchanged_post_data(form))
    assert response.status_code == 302
    made.refresh_from_db()
    assert not made.from_ocr
    assert "ocr-note" not in editor.get(url).content.decode()
