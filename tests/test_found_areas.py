"""The print PDF finds its articles: areas found in the text layer (or a scan's
reading), matched to the issue's articles, placed, reported, and kept apart from
the areas editors draw. Each PDF is set here (articles.print_layout) with text
written here, and knows where it printed each article."""

import io

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from articles import print_layout as layout
from articles.models import Article, ArticleArea
from jobs.models import Job, JobState
from magazine.models import Issue
from magazine.roles import EDITORS
from pagelayout import ocr
from pagelayout.model import Box
from sections import tasks
from sections.models import Section
from tests import pdf_files
from tests.admin_forms import unchanged_post_data
from tests.jobs_helpers import run_jobs
from tests.print_pages import page, piece, text
from tests.test_review import account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def issue_of(pages, articles=(), extra=()):
    """The issue with ``pages`` (``layout.Page``) and the articles their pieces print
    (``articles``: ``{title: fields}`` overrides; ``extra``: articles not printed)."""
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [(each.code, each.name) for each in pages])
    printed = {}
    for each in pages:
        for part in each.pieces:
            entry = printed.setdefault(
                part.key,
                {"title": part.key, "kicker": "", "subtitle": "", "byline": "", "body": []},
            )
            for field in ("kicker", "subtitle", "byline"):
                entry[field] = entry[field] or getattr(part, field)
            entry["body"] += part.paragraphs
    overrides = dict(articles)
    for title, fields in [*printed.items(), *[(t, {"title": t}) for t in extra]]:
        fields = {**fields, **overrides.get(title, {})}
        if title in overrides.get("__skip__", ()):
            continue
        body = fields.pop("body", [])
        Article.objects.create(
            issue=issue,
            body="\n".join(body) if isinstance(body, list) else body,
            **fields,
        )
    return issue


def upload(tmp_path, pages, *args, data=None):
    """``import_pdf`` of the PDF of ``pages``: its output, and where each article is
    printed (``{code: {title: [boxes]}}``)."""
    printed = None
    if data is None:
        data, printed = layout.pdf(pages, "基层月刊", "2026年第12期")
    path = tmp_path / "issue.pdf"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_pdf",
        "--issue",
        "2026-12",
        str(path),
        *args,
        "--language",
        "en",
        stdout=out,
        stderr=err,
    )
    return out.getvalue() + err.getvalue(), printed


def areas(title, code=None):
    found = ArticleArea.objects.filter(article__title=title).order_by("section__position", "y")
    if code is not None:
        found = found.filter(section__code=code)
    return list(found)


def union(boxes):
    return Box.around([Box(x, y, x + w, y + h) for x, y, w, h in boxes])


def area_box(found):
    return union([(a.x, a.y, a.w, a.h) for a in found])


def assert_found(printed, code, title, iou=0.8):
    found = areas(title, code)
    assert found, f"no area of {title} on {code}"
    assert all(area.found and 0 < area.confidence <= 1 for area in found)
    overlap = area_box(found).iou(union(printed[code][title]))
    assert overlap >= iou, (title, code, overlap)


def test_headings_of_several_sizes_go_with_their_article(tmp_path):
    first = piece(
        "乡村教师守护一方水土",
        text(12, 507),
        kicker="山村见闻·文化根脉",
        subtitle="——记渡口乡村教师王晓芳",
        byline="文/李明华 图/张海燕",
        columns=2,
    )
    second = piece("码头里的志愿者", text(10, 507), byline="本刊记者 陈立新", columns=2)
    pages = [page("01", first, second)]
    issue_of(pages)
    out, printed = upload(tmp_path, pages)
    assert_found(printed, "01", first.title)
    assert_found(printed, "01", second.title)
    kicker_top = printed["01"][first.title][0][1]
    assert areas(first.title)[0].y <= kicker_top  # the kicker above the title is in it
    assert "the areas of 2 articles found" in out


def test_two_articles_side_by_side_get_an_area_each_and_are_placed_left_first(tmp_path):
    left = piece("护林员点亮邻里温情", text(20, 240), byline="文/赵子墨", columns=1)
    right = piece("小镇里的返乡青年", text(20, 240), byline="文/孙嘉禾", columns=1)
    pages = [page("01", left, right, rows=[[0, 1]])]
    issue_of(pages)
    _, printed = upload(tmp_path, pages)
    assert_found(printed, "01", left.title)
    assert_found(printed, "01", right.title)
    left_area, right_area = areas(left.title)[0], areas(right.title)[0]
    assert left_area.x + left_area.w <= right_area.x  # side by side, not overlapping
    placed = Article.objects.filter(section__code="01").order_by("position")
    assert [a.title for a in placed] == [left.title, right.title]


def test_an_article_in_three_columns_is_one_area(tmp_path):
    wide = piece("从老街到茶园：村医的烟火人间", text(60, 160), columns=3, byline="文/周海燕")
    pages = [page("02", wide)]
    issue_of(pages)
    _, printed = upload(tmp_path, pages)
    assert_found(printed, "02", wide.title, iou=0.9)
    assert len(areas(wide.title)) == 1


def test_a_continued_article_gets_an_area_on_both_pages_and_is_placed_where_it_starts(
    tmp_path,
):
    body = text(40, 240)
    start = piece("社区网格员的第十年", body[: len(body) // 2], columns=2, continued_to="03")
    rest = layout.Piece(
        key=start.title, paragraphs=body[len(body) // 2 :], continued_from="02", columns=2
    )
    other = piece("学堂里的老党员", text(16, 507), columns=2)
    pages = [page("02", start), page("03", rest, other)]
    issue_of(pages)
    _, printed = upload(tmp_path, pages)
    assert_found(printed, "02", start.title)
    assert_found(printed, "03", start.title)
    assert_found(printed, "03", other.title)
    assert Article.objects.get(title=start.title).section.code == "02"
    assert Article.objects.get(title=other.title).section.code == "03"
    # The 下转 line is part of the area it ends.
    marker_bottom = max(y + h for _, y, _, h in printed["02"][start.title])
    found = areas(start.title, "02")
    assert max(a.y + a.h for a in found) >= marker_bottom - 0.002


def test_a_title_set_in_two_lines_is_matched(tmp_path):
    long_title = "从渡口到山村：驻村书记记录岁月变迁的第十二年"
    narrow = piece(long_title, text(18, 240), columns=1)
    beside = piece("林场里的快递小哥", text(18, 240), columns=1)
    pages = [page("01", narrow, beside, rows=[[0, 1]])]
    issue_of(pages)
    _, printed = upload(tmp_path, pages)
    title_lines = layout.wrap(long_title, 250, layout.SIZES["title"])
    assert len(title_lines) == 2  # the layout did set it on two lines
    assert_found(printed, "01", long_title)
    assert areas(long_title)[0].y <= printed["01"][long_title][0][1] + 0.002


def test_a_page_with_no_text_finds_nothing_and_says_so(tmp_path):
    if not ocr.available():
        pytest.skip("Tesseract with chi_sim is not installed (make install-ocr)")
    pages = [page("01", piece("一篇文章", text(5)))]
    issue_of(pages)
    out, _ = upload(tmp_path, pages, data=pdf_files.pdf_bytes(1))
    assert "Page 01 prints no text: no area" in out
    assert not ArticleArea.objects.exists()
    assert Job.objects.get().state == JobState.DONE


def test_without_tesseract_scanned_pages_are_said_not_read_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)  # as on a machine without it
    pages = [page(code, piece(f"文章{code}", text(5))) for code in ("01", "02", "03")]
    issue_of(pages)
    out, _ = upload(tmp_path, pages, data=pdf_files.pdf_bytes(3))
    said = [line for line in out.splitlines() if "Tesseract" in line]
    assert said == [
        "Pages 01、02、03 are scans without text and were not read: Tesseract (OCR) is not "
        "installed here"
    ]
    assert not ArticleArea.objects.exists()
    assert Job.objects.get().state == JobState.DONE


def test_an_article_the_pdf_does_not_print_is_named_and_left_unplaced(tmp_path):
    printed_piece = piece("茶园里的非遗传承人", text(12, 507), columns=2)
    pages = [page("01", printed_piece)]
    issue_of(pages, extra=["没有印出来的文章"])
    out, _ = upload(tmp_path, pages)
    assert "1 article the PDF does not print: 《没有印出来的文章》" in out
    missing = Article.objects.get(title="没有印出来的文章")
    assert missing.section is None and not missing.areas.exists()


def test_a_block_that_matches_no_article_is_reported_with_its_first_words(tmp_path):
    ours = piece("车间里的社区网格员", text(10, 507), columns=2)
    advert = piece("本刊征订启事", ["欢迎广大读者订阅本刊，全年十二期，各地邮局均可办理。" * 3])
    pages = [page("01", ours, advert)]
    issue_of(pages, articles={"__skip__": ["本刊征订启事"]})
    out, printed = upload(tmp_path, pages)
    assert_found(printed, "01", ours.title)
    assert "printed text of no article:" in out and "“本刊征订启事”" in out
    assert ArticleArea.objects.count() == 1


def test_a_cover_line_names_an_article_without_being_its_area(tmp_path):
    story = piece("走进山村的乡村教师", text(14, 507), columns=2)
    cover = page("0001", name="封面")
    cover.notes = [("本期看点", 14.0), (story.title, 26.0), ("基层月刊", 40.0)]
    pages = [cover, page("01", story)]
    issue_of(pages)
    _, printed = upload(tmp_path, pages)
    assert not areas(story.title, "0001")
    assert_found(printed, "01", story.title)
    assert Article.objects.get(title=story.title).section.code == "01"


def test_an_editors_area_is_kept_over_a_re_upload(tmp_path):
    first = piece("老街上的护林员", text(12, 507), columns=2)
    second = piece("社区里的志愿者", text(12, 507), columns=2)
    pages = [page("01", first, second)]
    issue_of(pages)
    upload(tmp_path, pages)
    found = areas(first.title)[0]
    # An editor moves the first article's area on the page's form.
    client = account("bianji", EDITORS)
    url = reverse("admin:sections_section_change", args=[found.section_id])
    data = unchanged_post_data(client.get(url))
    row = next(
        k
        for k, v in data.items()
        if k.startswith("areas-") and k.endswith("-id") and v == str(found.pk)
    )
    prefix = row[: -len("-id")]
    data[f"{prefix}-y"] = str(round(found.y + 0.01, 4))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    moved = ArticleArea.objects.get(pk=found.pk)
    assert not moved.found and moved.confidence is None
    second_before = [a.pk for a in areas(second.title)]

    upload(tmp_path, pages)  # the same PDF again
    kept = areas(first.title)
    assert [(a.pk, a.found, a.y) for a in kept] == [(moved.pk, False, moved.y)]
    again = areas(second.title)
    assert len(again) == len(second_before) and all(a.found for a in again)
    assert {a.pk for a in again}.isdisjoint(second_before)  # found anew


def test_a_text_layer_without_its_unicode_map_finds_nothing_and_says_so(tmp_path):
    story = piece("渡口旁的基层干部", text(10, 507), columns=2)
    pages = [page("01", story)]
    issue_of(pages)
    data, _ = layout.pdf(pages, "基层月刊", "2026年第12期")

    def no_unicode_map(writer):
        for each in writer.pages:
            for font in each["/Resources"]["/Font"].values():
                font.get_object().pop("/ToUnicode", None)

    out, _ = upload(tmp_path, pages, data=pdf_files.rewritten(data, no_unicode_map))
    assert (
        "Page 01: its text layer cannot be read (its font has no Unicode map): no area was "
        "looked for" in out
    )
    assert not ArticleArea.objects.exists()
    job = Job.objects.get()
    assert job.state == JobState.DONE and Section.objects.get(code="01").scan


def test_no_areas_skips_finding(tmp_path):
    story = piece("山村里的快递小哥", text(10, 507), columns=2)
    pages = [page("01", story)]
    issue_of(pages)
    out, _ = upload(tmp_path, pages, "--no-areas")
    assert not ArticleArea.objects.exists()
    assert "area" not in out.lower()
    assert Article.objects.get().section is None


def test_an_article_an_editor_placed_elsewhere_stays_and_the_line_says_where_it_is_printed(
    tmp_path,
):
    story = piece("书屋里的年轻人", text(10, 507), columns=2)
    pages = [page("01", story), page("02", piece("另一篇", text(10, 507), columns=2))]
    issue = issue_of(pages)
    Article.objects.filter(title=story.title).update(
        section=issue.sections.get(code="02"), position=1
    )
    out, _ = upload(tmp_path, pages)
    assert Article.objects.get(title=story.title).section.code == "02"
    assert "printed here, placed by an editor on another page: 《书屋里的年轻人》" in out


def test_found_areas_export_like_any_other(tmp_path):
    story = piece("学堂里的村医", text(10, 507), columns=2)
    pages = [page("01", story)]
    issue_of(pages)
    upload(tmp_path, pages)
    path = tmp_path / "areas.json"
    call_command("export_areas", "--issue", "2026-12", str(path), stdout=io.StringIO())
    exported = path.read_text(encoding="utf-8")
    assert "学堂里的村医" in exported and "found" not in exported
    assert "confidence" not in exported


def scan_pdf(pages):
    """The pages drawn and put back in a PDF as images: a scanned print edition."""
    data, printed = layout.pdf(pages, "基层月刊", "2026年第12期")
    document = pypdfium2.PdfDocument(data)
    images = [document[i].render(scale=2).to_pil().convert("L") for i in range(len(pages))]
    document.close()
    output = io.BytesIO()
    images[0].save(output, "PDF", save_all=True, append_images=images[1:], resolution=144)
    return output.getvalue(), printed


def test_scanned_pages_are_read_by_tesseract_with_lower_confidence(tmp_path):
    if not ocr.available():
        pytest.skip("Tesseract with chi_sim is not installed (make install-ocr)")
    left = piece("林场里的护林员", text(16, 240), byline="文/王立新", columns=1)
    right = piece("茶园边的新书屋", text(16, 240), byline="文/刘秋菊", columns=1)
    pages = [page("01", left, right, rows=[[0, 1]])]
    issue_of(pages)
    data, printed = scan_pdf(pages)
    out, _ = upload(tmp_path, pages, data=data)
    assert "read from the scan (OCR)" in out
    assert_found(printed, "01", left.title, iou=0.7)
    assert_found(printed, "01", right.title, iou=0.7)
    assert all(area.confidence <= 0.9 for area in ArticleArea.objects.all())


def test_page_scans_uploaded_in_bulk_are_read_for_areas(
    tmp_path, django_capture_on_commit_callbacks
):
    if not ocr.available():
        pytest.skip("Tesseract with chi_sim is not installed (make install-ocr)")
    story = piece("码头上的社区网格员", text(20, 507), byline="文/郑晓明", columns=2)
    pages = [page("01", story)]
    issue_of(pages)
    data, printed = layout.pdf(pages, "基层月刊", "2026年第12期")
    document = pypdfium2.PdfDocument(data)
    image = document[0].render(scale=2).to_pil().convert("RGB")
    document.close()
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=90)
    editor = account("bianji", EDITORS)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:magazine_issue_scans", args=[Issue.objects.get().pk]),
            {
                "files": [SimpleUploadedFile("01.jpg", jpeg.getvalue(), "image/jpeg")],
                "find_areas": "on",
            },
        )
    assert response.status_code == 302
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.error
    assert_found(printed, "01", story.title, iou=0.7)
    assert Article.objects.get().section.code == "01"
    with translation.override("en"):
        assert "1 article areas found" in job.display_summary


def test_the_admin_upload_can_skip_finding(tmp_path):
    story = piece("村口的老党员", text(10, 507), columns=2)
    pages = [page("01", story)]
    issue = issue_of(pages)
    data, _ = layout.pdf(pages, "基层月刊", "2026年第12期")
    editor = account("bianji", EDITORS)
    url = reverse("admin:magazine_issue_print_pdf", args=[issue.pk])
    form = editor.get(url).content.decode()
    assert 'name="find_areas"' in form and "checked" in form
    response = editor.post(url, {"pdf": SimpleUploadedFile("issue.pdf", data, "application/pdf")})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.options["find_areas"] is False  # an unticked box is not sent
    tasks.run(job.pk)
    assert not ArticleArea.objects.exists()


def test_a_partial_pdf_finds_again_on_its_pages_only(tmp_path):
    first = piece("村医走进老街", text(10, 507), columns=2)
    second = piece("快递小哥的新书屋", text(10, 507), columns=2)
    pages = [page("01", first), page("02", second)]
    issue_of(pages)
    upload(tmp_path, pages)
    before = [(a.pk, a.found) for a in areas(first.title)]
    replaced = [a.pk for a in areas(second.title)]
    data, _ = layout.pdf(pages[1:], "基层月刊", "2026年第12期")
    out, _ = upload(tmp_path, pages, "--first-page", "02", data=data)
    assert [(a.pk, a.found) for a in areas(first.title)] == before  # page 01 not covered
    again = areas(second.title, "02")
    assert again and {a.pk for a in again}.isdisjoint(replaced)
    assert "does not print" not in out
