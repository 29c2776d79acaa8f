"""The editor's desk in a real browser: review before publication, an issue page that
fits a laptop and a phone, the next issue proposed, and word counts as one types.

Screenshots go to test-output/screenshots/admin/ (and with UPDATE_DOCS_SCREENSHOTS=1
to docs/screenshots/ for the README's editor's guide).
"""

import pytest

from articles.models import Article, ProofRound
from articles.word_count import word_count
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS, OFFICE_HEADS
from sections.models import MAX_PAGES_PER_ISSUE, Section
from tests.browser.conftest import PHONE
from tests.browser.test_editorial import ADMIN_VIEWPORT, log_in, snap, staff
from tests.review_chain import signed_through
from tests.test_word_count import SAMPLES

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PAGE_NAMES = ["卷首语", "本期策划", "本期策划", "基层来信", "文化视窗", "博览 · 读书"]


def monthly(year=2026, number=12, pages=68, articles=106):
    issue = Issue.objects.create(year=year, number=number)
    codes = [("0001", "封面"), ("0002", "封二")]
    codes += [(f"{n:02d}", PAGE_NAMES[n % 6]) for n in range(1, pages - 3)]
    codes += [("9901", "封三"), ("9902", "封底")]
    Section.objects.merge(issue, codes[:pages])
    sections = list(issue.sections.all())
    Article.objects.bulk_create(
        Article(
            issue=issue,
            section=sections[n % len(sections)] if n % 9 else None,
            position=n,
            title=f"文章{n}",
            byline="文/沈嘉禾",
            body="城市的河流过老街。",
        )
        for n in range(articles)
    )
    return issue


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_three_levels_sign_off_send_back_with_a_note_and_publish(
    live_server, transactional_db, page_factory
):
    staff("bianji", EDITORS)
    staff("zhuren", OFFICE_HEADS)
    staff("zhubian", CHIEF_EDITORS)
    issue = monthly()
    change = f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/"

    editor = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(editor, live_server, "bianji")
    editor.goto(change)
    assert editor.get_by_role("link", name="立即发布…").count() == 0
    editor.fill("#id_submit_note", "68 个版面都已校对。")
    snap(editor, "issue-submit")
    editor.get_by_role("button", name="初审通过，送复审").click()
    editor.wait_for_url(change)
    assert "审核通过" in editor.locator(".messagelist").inner_text()
    assert "待审核" in editor.locator(".publication-panel__state").inner_text()

    head = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(head, live_server, "zhuren")
    review = head.locator("#review-dashboard")
    assert "68 个版面都已校对。" in review.inner_text() and "待复审" in review.inner_text()
    review.get_by_role("link", name=str(issue)).click()
    head.wait_for_url(change)
    head.get_by_role("button", name="复审通过，送终审").click()
    head.wait_for_url(change)

    chief = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(chief, live_server, "zhubian")
    snap(chief, "dashboard-review")
    chief.locator("#review-dashboard").get_by_role("link", name=str(issue)).click()
    chief.wait_for_url(change)
    # Sending back without a note is refused by the browser and by the server.
    chief.locator("#id_send_back_note").evaluate("textarea => textarea.required = false")
    chief.get_by_role("button", name="退回修改").click()
    chief.wait_for_url(change)
    assert "退回必须附说明" in chief.locator(".messagelist").inner_text()
    chief.fill("#id_send_back_note", "第 10 版标题有错字。")
    chief.select_option("#id_send_back_to", label="初审（编辑）")
    snap(chief, "issue-send-back")
    chief.get_by_role("button", name="退回修改").click()
    chief.wait_for_url(change)
    issue.refresh_from_db()
    assert (issue.review, issue.review_level.name) == ("returned", "初审")

    editor.goto(live_server.url + "/admin/")
    assert "第 10 版标题有错字。" in editor.locator("#sent-back-dashboard").inner_text()
    editor.goto(change)
    editor.get_by_role("button", name="初审通过，送复审").click()
    editor.wait_for_url(change)
    head.goto(change)
    head.get_by_role("button", name="复审通过，送终审").click()
    head.wait_for_url(change)

    chief.goto(change)
    chief.get_by_role("link", name="立即发布…").click()
    chief.wait_for_url("**/publish/")
    assert "确认立即发布" in chief.locator("h1").inner_text()
    snap(chief, "publish-confirm")
    chief.get_by_role("link", name="不，返回").click()
    chief.wait_for_url(change)
    issue.refresh_from_db()
    assert not issue.is_published()
    chief.get_by_role("link", name="立即发布…").click()
    chief.get_by_role("button", name="是的，立即发布").click()
    chief.wait_for_url(change)
    issue.refresh_from_db()
    assert issue.is_published()
    levels = chief.locator(".review-chain li").all_inner_texts()
    assert [line.split()[0] for line in levels] == ["初审", "复审", "终审"]
    assert "bianji" in levels[0] and "zhuren" in levels[1] and "zhubian" in levels[2]
    steps = chief.locator(".review-steps li").all_inner_texts()
    assert [step.split(" · ")[1] for step in steps][:4] == ["发布", "通过", "通过", "退回修改"]
    assert chief.get_by_role("link", name="立即发布…").count() == 0  # published: not offered
    assert chief.get_by_role("link", name="撤回（改回草稿）…").count() == 1
    snap(chief, "issue-published", full_page=True)

    # The editor corrects a title after publication: the chief editor sees it.
    article = issue.articles.get(title="文章1")
    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor.wait_for_timeout(300)  # the page picker is set up
    editor.fill("#id_title", "护林员的四季")
    editor.locator("input[name=_save]").click()
    editor.wait_for_url("**/admin/articles/article/")
    chief.goto(live_server.url + "/admin/")
    corrections = chief.locator(".corrections").inner_text()
    assert "护林员的四季" in corrections and "bianji" in corrections
    snap(chief, "dashboard-corrections")
    editor.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/contents/")
    assert "106 篇文章" in editor.locator(".word-total").inner_text()
    snap(editor, "issue-contents")


@pytest.mark.parametrize("pages", [68, MAX_PAGES_PER_ISSUE])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_the_issue_page_fits_the_screen(
    live_server, transactional_db, page_factory, pages, viewport
):
    staff("zhubian", CHIEF_EDITORS)
    issue = monthly(pages=pages, articles=106)
    page = page_factory(viewport=viewport)
    log_in(page, live_server, "zhubian")
    page.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/")
    assert fits(page)
    # The publication controls come first, above the issue's fields.
    panel = page.locator(".publication-panel").bounding_box()
    assert panel["y"] < page.locator("#id_year").bounding_box()["y"]
    if pages == 68 and viewport is LAPTOP:
        snap(page, "issue-change", full_page=True)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 2500, height  # was ~5,800 px with the pages table open
    # Opened, the pages table scrolls inside its box: the page itself does not.
    page.locator("#sections-group summary").click()
    assert page.locator("#sections-group tbody tr.has_original").count() == pages
    assert fits(page)
    # A group of pages opens to its pages' links.
    group = page.locator(".page-overview details").nth(2)
    group.locator("summary").click()
    assert group.locator("a").count() >= 1
    assert fits(page)


def test_the_next_issue_is_proposed(live_server, transactional_db, page_factory):
    staff("bianji", EDITORS)
    monthly(year=2026, number=12, pages=68, articles=3)
    Issue.objects.create(year=2025, number=12)
    page = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(page, live_server, "bianji")
    page.goto(live_server.url + "/admin/magazine/issue/add/")
    assert page.locator("#id_year").input_value() == "2027"
    assert page.locator("#id_number").input_value() == "1"
    copy = page.get_by_label("复制2026年第12期的版面列表（68 版）")
    assert copy.is_checked()
    snap(page, "issue-next", full_page=True)
    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/admin/magazine/issue/*/change/")
    new = Issue.objects.get(year=2027, number=1)
    assert new.sections.count() == 68 and not new.articles.exists()
    assert "已添加 68 个版面" in page.locator(".messagelist").inner_text()


def test_the_word_count_follows_the_typing(live_server, transactional_db, page_factory):
    staff("bianji", EDITORS)
    issue = Issue.objects.create(year=2026, number=12)
    article = Article.objects.create(issue=issue, title="字数", body="城市的河")
    page = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(page, live_server, "bianji")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    output = page.locator("#body-word-count")
    assert output.inner_text() == "4"
    for text, count in SAMPLES:
        page.fill("#id_body", text)
        assert output.inner_text() == str(count) == str(word_count(text)), text
    page.fill("#id_body", "“你好，世界！”\n用Python写作，2026年12月。")
    snap(page, "article-word-count")
    assert output.inner_text() == str(word_count(page.locator("#id_body").input_value()))


def changed_admin_pages(live_server):
    """The admin pages this work changed, each in a state that shows what it added."""
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType

    from magazine.models import Correction

    issue = monthly(pages=20, articles=30)
    editor = User.objects.get(username="bianji")
    issue.submit_for_review(editor, "请审")
    signed_through(issue)
    # A finding to decide and a round done: the proofing pages show both kinds of row.
    misprint = Article.objects.create(issue=issue, title="再接再励", body="按装好了。")
    ProofRound.sign([misprint], "1", editor)
    published = monthly(year=2026, number=11, pages=10, articles=5)
    published.publish()
    article = published.articles.first()
    Correction.objects.create(
        issue=published,
        content_type=ContentType.objects.get_for_model(article),
        object_id=article.pk,
        what=f"文章 {article.title}",
        change="changed",
        user=editor,
    )
    admin = live_server.url + "/admin/"
    return {
        "dashboard": admin,
        "issue": f"{admin}magazine/issue/{issue.pk}/change/",
        "issue-published": f"{admin}magazine/issue/{published.pk}/change/",
        "issue-add": f"{admin}magazine/issue/add/",
        "contents": f"{admin}magazine/issue/{issue.pk}/contents/",
        "proofing": f"{admin}magazine/issue/{issue.pk}/proofing/",
        "review-levels": f"{admin}magazine/reviewlevel/",
        "confirm": f"{admin}magazine/issue/{issue.pk}/publish/",
        "article": f"{admin}articles/article/{article.pk}/change/",
        "articles": f"{admin}articles/article/?issue__id__exact={issue.pk}",
        "corrections": f"{admin}magazine/correction/",
        "history": f"{admin}articles/article/{article.pk}/history/",
    }


def test_the_changed_admin_pages_are_valid_and_accessible(
    live_server, transactional_db, page_factory, vnu, axe_source, tmp_path
):
    staff("bianji", EDITORS)
    staff("zhubian", CHIEF_EDITORS)
    pages = changed_admin_pages(live_server)
    page = page_factory(viewport=ADMIN_VIEWPORT, bypass_csp=True)  # axe is injected inline
    log_in(page, live_server, "zhubian")
    files, problems = [], {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        path = tmp_path / f"{name}.html"
        path.write_text(response.text(), encoding="utf-8")
        files.append(path)
        page.wait_for_timeout(300)  # the admin's load handlers (select2) have run
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        if serious:
            problems[name] = serious
    assert problems == {}
    status, report = vnu(files)
    assert status == 0, report


def test_the_article_form_is_readable_in_the_dark_theme(
    live_server, transactional_db, page_factory, axe_source
):
    staff("bianji", EDITORS)
    issue = Issue.objects.create(year=2026, number=12)
    article = Article.objects.create(
        issue=issue, kicker="引题", title="护林员的四季", byline="文/沈嘉禾", body="天刚蒙蒙亮。"
    )
    page = page_factory(viewport=ADMIN_VIEWPORT, bypass_csp=True)
    page.emulate_media(color_scheme="dark")
    log_in(page, live_server, "bianji")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    paper = page.evaluate(
        "getComputedStyle(document.querySelector('.printed-article')).backgroundColor"
    )
    assert paper == "rgb(38, 36, 31)"  # the dark sheet, not the light theme's paper
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => await axe.run('.printed-article', {runOnly: ['color-contrast']})"
    )
    assert result["passes"] and result["violations"] == []
    snap(page, "article-dark")
