"""The print PDF finds its articles, as an editor sees it in Chromium: uploaded on the
issue's page, the job finds both articles' areas, the page's form shows them as
found (blue, with the legend), and one the editor moves becomes theirs."""

import pytest

from articles import print_layout as layout
from articles.models import Article, ArticleArea
from jobs.models import Job, JobState
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.browser.print_upload import open_print_upload, submit_and_wait
from tests.browser.test_editorial import snap, staff
from tests.jobs_helpers import start_worker

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_served(settings):
    settings.SERVE_MEDIA = True


PIECES = [
    layout.Piece(
        key="护林员的四季",
        title="护林员的四季",
        kicker="山村见闻·绿水青山",
        byline="本刊记者 沈嘉禾",
        columns=2,
        paragraphs=[
            "天刚蒙蒙亮，五十六岁的护林员方国平已经背上水壶和砍刀出了门。" * 3,
            "他负责的三千多亩山林，要走上整整一天才能巡完一遍，二十年来从没断过。" * 3,
        ],
    ),
    layout.Piece(
        key="冬藏里的新希望",
        title="冬藏里的新希望",
        byline="文/周明远",
        columns=2,
        paragraphs=[
            "立冬之后，田野安静下来，可在许多村庄，冬天并不是歇息的季节。" * 3,
            "大棚里的蔬菜正在抽芽，合作社的账本正在盘点，年轻人在规划来年的新路子。" * 3,
        ],
    ),
]


def test_the_uploaded_pdf_finds_the_areas_and_the_editor_takes_one_over(
    live_server, transactional_db, page_factory, tmp_path
):
    staff("bianji", EDITORS)
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语")])
    for piece in PIECES:
        Article.objects.create(
            issue=issue,
            title=piece.title,
            kicker=piece.kicker,
            byline=piece.byline,
            body="\n".join(piece.paragraphs),
        )
    data, _ = layout.pdf([layout.Page("01", "卷首语", PIECES)], "基层月刊", "2026年第12期")
    pdf = tmp_path / "2026-12.pdf"
    pdf.write_bytes(data)

    worker = start_worker()
    try:
        editor = open_print_upload(page_factory, live_server, issue)
        assert editor.get_by_label("自动找出文章热区").is_checked()
        editor.set_input_files("#id_pdf", str(pdf))
        submit_and_wait(editor)
        assert Job.objects.get().state == JobState.DONE
        lines = editor.locator(".job-line").all_inner_texts()
        said = "01版：找到 2 篇文章的热区《护林员的四季》《冬藏里的新希望》"
        assert any(said in line for line in lines)
        snap(editor, "found-areas-job")
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    page_one = Section.objects.get(issue=issue)
    assert [a.title for a in page_one.articles.order_by("position")] == [
        "护林员的四季",
        "冬藏里的新希望",
    ]  # placed by their areas, in printed order
    editor.set_viewport_size({"width": 1280, "height": 1400})
    editor.goto(f"{live_server.url}/admin/sections/section/{page_one.pk}/change/")
    editor.wait_for_function("() => document.querySelector('.area-editor__scan').naturalWidth > 0")
    found = editor.locator(".area-editor__label--sure")
    found.first.wait_for()
    assert found.count() == 2
    assert editor.locator(".area-editor__legend").is_visible()
    snap(editor, "found-areas", full_page=True)

    # The first area moved a step with the keyboard is the editor's from then on.
    rows = editor.locator("#areas-group tr.form-row.has_original")
    first_x = rows.first.locator("input[name$='-x']")
    first_x.focus()
    editor.keyboard.press("ArrowUp")
    assert found.count() == 1
    assert editor.locator(".area-editor__label").count() == 2
    editor.locator("input[name=_continue]").click()
    editor.wait_for_selector(".messagelist .success")
    areas = list(ArticleArea.objects.filter(section=page_one).order_by("y"))
    assert [area.found for area in areas] == [False, True]
    assert areas[0].confidence is None and areas[1].confidence > 0.6
