"""Two editors at once, in two browsers on the live server: the second save of an
article, a page and an issue is refused, both inputs survive and the message names
the first editor; an open form names the other editor. And the dashboard puts the
work that waits above the fold, at a laptop's width and a phone's.

Screenshots: concurrent-edit and dashboard-1280 / dashboard-360 (docs/screenshots/
with UPDATE_DOCS_SCREENSHOTS=1).
"""

import pytest
from django.utils import timezone

from articles.models import Article
from jobs.models import Job, JobKind, JobState
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.browser.conftest import PHONE
from tests.browser.test_editorial import log_in, snap, staff
from tests.review_chain import signed_through

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def issue(transactional_db):
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语"), ("03", "本期策划")])
    Article(
        issue=issue,
        section=issue.sections.get(code="03"),
        title="城市的河",
        byline="文/林晓",
        body="第一段。\n第二段。",
    ).save_and_index()
    return issue


def two_editors(live_server, page_factory):
    staff("linxiao", EDITORS)
    staff("wangfang", EDITORS)
    lin, wang = page_factory(viewport=LAPTOP), page_factory(viewport=LAPTOP)
    log_in(lin, live_server, "linxiao")
    log_in(wang, live_server, "wangfang")
    return lin, wang


def test_two_editors_on_one_article_lose_nothing(live_server, issue, page_factory):
    lin, wang = two_editors(live_server, page_factory)
    article = issue.articles.get()
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    wang.goto(url)  # opened first
    lin.goto(url)
    assert "wangfang 正在编辑此文章" in lin.locator(".presence").inner_text()
    lin.fill("#id_body", "第一段。\n第二段，林晓改过。")
    lin.locator("input[name=_save]").click()
    lin.wait_for_selector(".messagelist .success")

    wang.fill("#id_title", "城市里的河")
    wang.locator("input[name=_continue]").click()
    wang.wait_for_selector(".errornote")
    message = wang.locator(".errorlist.nonfield").inner_text()
    assert "linxiao 在你打开后" in message and "第二段，林晓改过。" in message
    assert wang.input_value("#id_title") == "城市里的河"  # Wang's input is there
    snap(wang, "concurrent-edit")
    article.refresh_from_db()
    assert (article.title, article.body) == ("城市的河", "第一段。\n第二段，林晓改过。")

    # Wang takes Lin's paragraph and saves again: both changes are kept.
    wang.fill("#id_body", "第一段。\n第二段，林晓改过。")
    wang.locator("input[name=_save]").click()
    wang.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert (article.title, article.body) == ("城市里的河", "第一段。\n第二段，林晓改过。")


def test_two_editors_on_one_page_and_one_issue(live_server, issue, page_factory):
    lin, wang = two_editors(live_server, page_factory)
    page = issue.sections.get(code="03")
    url = f"{live_server.url}/admin/sections/section/{page.pk}/change/"
    wang.goto(url)
    lin.goto(url)
    lin.fill("#id_name", "本期策划（上）")
    lin.locator("input[name=_save]").click()
    lin.wait_for_url(f"**/magazine/issue/{issue.pk}/change/")
    wang.fill("#id_position", "9")
    wang.locator("input[name=_save]").click()
    wang.wait_for_selector(".errornote")
    assert "linxiao" in wang.locator(".errorlist.nonfield").inner_text()
    assert wang.input_value("#id_position") == "9"
    page.refresh_from_db()
    assert (page.name, page.position) == ("本期策划（上）", 2)

    url = f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/"
    wang.goto(url)
    lin.goto(url)
    lin.fill("#id_cumulative_number", "300")
    lin.locator("input[name=_continue]").click()
    lin.wait_for_selector(".messagelist .success")
    wang.fill("#id_cover_alt", "一条河")
    wang.locator("input[name=_continue]").click()
    wang.wait_for_selector(".errornote")
    assert "总期号：“—” → “300”" in wang.locator(".errorlist.nonfield").inner_text()
    assert wang.input_value("#id_cover_alt") == "一条河"
    issue.refresh_from_db()
    assert (issue.cumulative_number, issue.cover_alt) == (300, "")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_what_waits_is_above_the_fold_with_ten_jobs(live_server, issue, page_factory, viewport):
    editor = staff("bianji", EDITORS)
    staff("zhubian", CHIEF_EDITORS)
    # 初审 and 复审 passed: it waits for the chief editor, with the last level's note.
    signed_through(issue, note="68 个版面都已校对，请审。", by=editor)
    for number in range(10):
        Job.objects.create(
            kind=JobKind.IMPORT,
            title=f"Import {number}",
            title_message={
                "code": "import.title",
                "params": {"issue": issue.key, "count": number + 1},
            },
            permission="articles.add_article",
            created_by=editor,
            state=JobState.DONE,
            finished_at=timezone.now(),
            summary_message={
                "code": "import.summary",
                "params": {
                    "issue": issue.key,
                    "imported": number,
                    "updated": 0,
                    "skipped": 1,
                    "refused": 0,
                    "files": number + 1,
                },
            },
        )
    chief = page_factory(viewport=viewport)
    log_in(chief, live_server, "zhubian")
    waiting = chief.locator("#review-dashboard")
    assert "68 个版面都已校对，请审。" in waiting.inner_text()
    box = waiting.bounding_box()
    assert box["y"] + box["height"] <= viewport["height"], box  # whole, without scrolling
    assert chief.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    jobs = chief.locator("#jobs-dashboard .desk__job")
    assert jobs.count() == 5  # the latest few, a link to all
    assert chief.locator("#jobs-dashboard").get_by_role("link", name="全部 10 个任务").count()
    snap(chief, f"dashboard-{viewport['width']}")
