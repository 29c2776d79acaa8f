"""编校 in a real browser: an editor saves an article with errors, accepts one finding
and ignores another on the issue's 编校 page, marks proofing rounds on the
目录与字数 page, at 1280 and 360 px."""

import pytest

from articles.models import Article, ProofFinding, ProofRound
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.browser.conftest import PHONE
from tests.browser.test_editorial import ADMIN_VIEWPORT, log_in, snap, staff

pytestmark = pytest.mark.browser


def issue_with_misprints():
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语"), ("03", "本期策划")])
    page = issue.sections.get(code="03")
    for title, byline, body in [
        ("再接再励，把好事办实", "文/张晓明", "村里去年按装了路灯,晚上出门的人多了。"),
        ("山里的路", "文/李文", "全村共有１２８户人家，这是我的的心愿。"),
    ]:
        Article(issue=issue, section=page, title=title, byline=byline, body=body).save_and_index()
    return issue


@pytest.mark.parametrize("viewport", [ADMIN_VIEWPORT, PHONE], ids=["1280", "360"])
def test_an_editor_accepts_and_ignores_findings_and_marks_rounds(
    live_server, transactional_db, page_factory, viewport
):
    staff("bianji", EDITORS)
    issue = issue_with_misprints()
    page = page_factory(viewport=viewport)
    log_in(page, live_server, "bianji")
    page.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/")
    page.get_by_role("link", name="5 个编校问题待处理").click()
    page.wait_for_url("**/proofing/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rows = page.locator(".proof-findings tbody tr:not(.proof-findings__article)")
    assert rows.count() == 5
    snap(page, f"issue-proofing-{viewport['width']}", full_page=True)
    # 按装 → 安装, written into the article.
    row = rows.filter(has_text="按装").filter(has_text="错词")
    row.get_by_role("button", name="接受修改").click()
    page.wait_for_url("**/proofing/")
    assert "已接受修改" in page.locator(".messagelist").inner_text()
    article = Article.objects.get(title="再接再励，把好事办实")
    assert "安装了路灯" in article.body
    # The half-width comma: not an error here, and not raised again.
    rows.filter(has_text="半角标点").get_by_role("button", name="忽略").click()
    page.wait_for_url("**/proofing/")
    assert page.locator(".proof-findings").inner_text().count("半角标点") == 0
    article.refresh_from_db()
    article.save()
    assert not ProofFinding.objects.open().filter(article=article, rule="punct.half_width")
    assert "万分之" in page.locator(".publication-panel__rate").inner_text()

    # 一校 on both articles, from the contents page.
    page.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/contents/")
    assert "一校 2 篇" in page.locator(".proof-missing").inner_text()
    for box in page.locator("input[name=article]").all():
        box.check()
    page.select_option("#id_round", label="一校")
    page.get_by_role("button", name="标记完成").click()
    page.wait_for_url("**/contents/")
    assert "一校 ✓" in page.locator(".proof-missing").inner_text()
    assert ProofRound.objects.filter(round="1").count() == 2
    # On a phone the table scrolls inside its box, never the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, f"issue-rounds-{viewport['width']}")
