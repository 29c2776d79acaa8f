"""The printed page in a real browser: an editor uploads the issue's PDF, a worker
cuts it, the editor draws two areas on a scan and gives them their articles;
a reader clicks an area, turns pages with the arrow keys and downloads a page."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from articles.models import Article, ArticleArea
from jobs.models import Job, JobState
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests import pdf_files
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.print_upload import open_print_upload, submit_and_wait
from tests.browser.test_editorial import snap, staff
from tests.browser.test_page_zoom import ready
from tests.jobs_helpers import start_worker

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_served(settings):
    settings.SERVE_MEDIA = True


def drag(page, box, start, end):
    """A mouse drag over ``box`` (a bounding box) between two fractions of it."""
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    steps = 8
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
    page.mouse.up()


def test_an_editor_uploads_the_pdf_and_draws_two_areas(
    live_server, transactional_db, page_factory, tmp_path
):
    staff("bianji", EDITORS)
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "本期策划")])
    page_one = Section.objects.get(issue=issue, code="01")
    first, second = (
        Article.objects.create(issue=issue, section=page_one, title=title, body="正文")
        for title in ("冬藏里的新希望", "护林员的四季")
    )
    Article.objects.create(issue=issue, title="别处的文章", body="正文")
    pdf = tmp_path / "2026-12.pdf"
    pdf.write_bytes(pdf_files.pdf_bytes(2))

    worker = start_worker()
    try:
        editor = open_print_upload(page_factory, live_server, issue)
        editor.set_input_files("#id_pdf", str(pdf))
        snap(editor, "print-pdf-form")
        submit_and_wait(editor)
        assert Job.objects.get().state == JobState.DONE
        page_one.refresh_from_db()
        assert page_one.scan and page_one.pdf
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    editor.set_viewport_size({"width": 1200, "height": 1500})  # the whole scan in view
    editor.goto(f"{live_server.url}/admin/sections/section/{page_one.pk}/change/")
    scan = editor.locator(".area-editor__scan")
    scan.scroll_into_view_if_needed()
    editor.wait_for_function("() => document.querySelector('.area-editor__scan').naturalWidth > 0")
    # The page's own articles come first among the choices.
    editor.get_by_role("button", name="画出热区").click()
    drag(editor, scan.bounding_box(), (0.1, 0.1), (0.9, 0.45))
    editor.locator("#id_areas-0-article").select_option(str(first.pk))
    options = editor.locator("#id_areas-0-article option").all_inner_texts()
    assert options[1:3] == ["冬藏里的新希望", "护林员的四季"] and options[3] == "别处的文章"
    editor.get_by_role("button", name="画出热区").click()
    drag(editor, scan.bounding_box(), (0.1, 0.55), (0.5, 0.9))
    editor.locator("#id_areas-1-article").select_option(str(second.pk))
    x = float(editor.locator("#id_areas-1-x").input_value())
    assert 0.08 < x < 0.12
    snap(editor, "page-areas", full_page=True)
    editor.locator("input[name=_continue]").click()
    editor.wait_for_selector(".messagelist .success")

    areas = list(ArticleArea.objects.filter(section=page_one).order_by("y"))
    assert [area.article_id for area in areas] == [first.pk, second.pk]
    top = areas[0]
    assert abs(top.x - 0.1) < 0.02 and abs(top.y - 0.1) < 0.02
    assert abs(top.w - 0.8) < 0.02 and abs(top.h - 0.35) < 0.02

    # Moved with the keyboard: the numbers step with the arrow keys.
    editor.locator("#id_areas-0-x").focus()
    start = float(editor.locator("#id_areas-0-x").input_value())
    editor.keyboard.press("ArrowUp")
    assert float(editor.locator("#id_areas-0-x").input_value()) == pytest.approx(start + 0.001)

    # The preview shows the areas to the editor before the issue is published.
    editor.goto(live_server.url + page_one.get_absolute_url())
    assert editor.locator(".page-area").count() == 2
    assert editor.get_by_role("link", name="护林员的四季").count() == 2  # the area, the title


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reader_clicks_an_area_turns_pages_and_downloads_one(
    live_server, demo_content, page_factory, screenshots, viewport
):
    size = "desktop" if viewport is DESKTOP else "phone"
    reader = page_factory(viewport=viewport)
    reader.goto(live_server.url + "/issues/2026/11/pages/03/")
    ready(reader)
    area = reader.locator(".page-scan").get_by_role("link", name="护林员的四季")
    # Placed over the zoomable scan, at this width too.
    scan = reader.locator(".page-zoom").bounding_box()
    box = area.bounding_box()
    assert box["x"] >= scan["x"] - 1 and box["x"] + box["width"] <= scan["x"] + scan["width"] + 1
    assert box["width"] > scan["width"] * 0.5
    area.focus()
    assert (
        reader.locator(".page-area:focus .page-area__title").evaluate(
            "e => getComputedStyle(e).opacity"
        )
        == "1"
    )
    reader.screenshot(path=screenshots / f"{size}-page-areas.png", full_page=True)
    area.click()
    reader.wait_for_url("**/articles/*/")
    assert reader.locator("h1").inner_text() == "护林员的四季"
    assert reader.locator(".on-page__area").count() == 1
    reader.screenshot(path=screenshots / f"{size}-article-on-page.png", full_page=True)

    reader.goto(live_server.url + "/issues/2026/11/pages/03/")
    reader.keyboard.press("ArrowRight")
    reader.wait_for_url("**/issues/2026/11/pages/04/")
    reader.keyboard.press("ArrowLeft")
    reader.wait_for_url("**/issues/2026/11/pages/03/")

    with reader.expect_download() as download:
        reader.get_by_role("link", name="下载本版 PDF").click()
    assert download.value.suggested_filename == "基层月刊-2026年第11期-03版.pdf"
    path = download.value.path()
    assert len(PdfReader(path).pages) == 1
    size = reader.locator(".downloads .download-size").first.inner_text()
    assert size == f"约 {round(Path(path).stat().st_size / 1024)} KB"


def test_the_scan_prints_alone(live_server, demo_content, page_factory):
    reader = page_factory()
    reader.goto(live_server.url + "/issues/2026/11/pages/03/")
    ready(reader)
    reader.emulate_media(media="print")
    assert reader.locator(".page-scan__image").is_visible()  # the page, not the zoom
    assert not reader.locator(".page-zoom").is_visible()
    assert not reader.locator(".page-areas").is_visible()
    assert not reader.locator(".downloads").is_visible()
