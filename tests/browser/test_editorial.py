"""An editor and a chief editor make an issue in the admin, in a real browser.

The screenshots of the admin go to test-output/screenshots/admin/; with
UPDATE_DOCS_SCREENSHOTS=1 they are also written, small, to docs/screenshots/
for the README's editor's guide.
"""

import os
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from tests.browser.conftest import OUTPUT, PROJECT
from tests.review_chain import signed_through

pytestmark = pytest.mark.browser

ADMIN_VIEWPORT = {"width": 1200, "height": 800}
PAGE_LIST = "0001版: 封面 01版: 卷首语 10版: 本期策划 11版: 本期策划 9901版: 封底"


def staff(username, group):
    # Browser tests run on a transactional database, which another test may
    # have flushed of the groups that migrate made.
    call_command("sync_roles", stdout=StringIO())
    user = User.objects.create_user(username, password="a-long-demo-password", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-demo-password")
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def snap(page, name, full_page=False):
    """Save a screenshot for the test output, and a small copy for the docs if asked."""
    data = page.screenshot(full_page=full_page)
    folder = OUTPUT / "screenshots" / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.png").write_bytes(data)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        docs = PROJECT / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        with Image.open(BytesIO(data)) as image:
            image = image.convert("RGB")
            image.thumbnail((900, 900))
            image.quantize(colors=64).save(docs / f"{name}.png", optimize=True)


def test_editor_makes_an_issue_and_chief_editor_publishes_it(
    live_server, transactional_db, page_factory
):
    staff("bianji", EDITORS)
    staff("zhubian", CHIEF_EDITORS)

    editor = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(editor, live_server, "bianji")
    snap(editor, "dashboard-empty")

    # A new issue, its pages pasted as a page list.
    editor.goto(live_server.url + "/admin/magazine/issue/add/")
    editor.fill("#id_year", "2026")
    editor.fill("#id_number", "12")
    editor.fill("#id_page_list", PAGE_LIST)
    snap(editor, "issue-add", full_page=True)
    editor.locator("input[name=_continue]").click()
    editor.wait_for_url("**/admin/magazine/issue/*/change/")
    assert "已添加 5 个版面" in editor.content()
    issue = Issue.objects.get(year=2026, number=12)
    assert list(issue.sections.values_list("code", flat=True)) == [
        "0001",
        "01",
        "10",
        "11",
        "9901",
    ]
    assert issue.published_at is None
    assert editor.locator("text=只有主编可以发布").count() == 1
    snap(editor, "issue-change", full_page=True)

    # Two articles already in the issue (entered earlier), placed on page 10.
    first = Article.objects.create(
        issue=issue,
        title="护林员的四季",
        byline="本刊记者 沈嘉禾",
        body="天刚蒙蒙亮，护林员已经出门。\n二十年来，他走遍了山林。",
    )
    second = Article.objects.create(
        issue=issue,
        title="一条溪流的回归",
        byline="文/陈思远",
        body="十年前，白沙溪曾是一条“牛奶河”。",
    )
    editor.goto(f"{live_server.url}/admin/articles/article/?issue__id__exact={issue.pk}")
    editor.check(f"input[name=_selected_action][value='{first.pk}']")
    editor.check(f"input[name=_selected_action][value='{second.pk}']")
    editor.select_option("select[name=action]", "place_on_page")
    snap(editor, "article-list")
    editor.locator(".actions button").click()
    editor.select_option("#id_section", label="10版 本期策划")
    snap(editor, "place-on-page")
    editor.locator("input[type=submit][value='排版']").click()
    editor.wait_for_url("**/admin/articles/article/**")
    assert list(issue.sections.get(code="10").articles.order_by("position")) == [first, second]

    editor.goto(f"{live_server.url}/admin/articles/article/{first.pk}/change/")
    snap(editor, "article-change", full_page=True)

    # The editor previews it; readers cannot see it yet.
    editor.goto(live_server.url + "/issues/2026/12/")
    assert editor.locator(".preview-banner").count() == 1
    snap(editor, "preview")
    anonymous = page_factory()
    assert anonymous.goto(live_server.url + "/issues/2026/12/").status == 404

    # The editor passes 初审; 复审 signs it off as its holder would.
    editor.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/")
    editor.get_by_role("button", name="初审通过，送复审").click()
    editor.wait_for_url("**/admin/magazine/issue/*/change/")
    signed_through(issue)

    # The chief editor publishes it.
    chief = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(chief, live_server, "zhubian")
    snap(chief, "dashboard")
    chief.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/")
    chief.get_by_role("link", name="立即发布…").click()
    chief.wait_for_url("**/admin/magazine/issue/*/publish/")
    issue.refresh_from_db()
    assert not issue.is_published()  # the question alone publishes nothing
    chief.locator("input[type=submit][value='是的，立即发布']").click()
    chief.wait_for_url("**/admin/magazine/issue/*/change/")
    issue.refresh_from_db()
    assert issue.is_published()
    snap(chief, "issue-published", full_page=True)

    # Readers see it, page 10 with both articles in order.
    anonymous.goto(live_server.url + "/")
    assert "2026年第12期" in anonymous.locator("h1").inner_text()
    anonymous.goto(live_server.url + "/issues/2026/12/pages/10/")
    titles = anonymous.locator(".contents__articles li a").all_inner_texts()
    assert titles == ["护林员的四季", "一条溪流的回归"]
    assert anonymous.locator(".preview-banner").count() == 0

    # History: the chief's publication and the editor's placing are recorded.
    chief.goto(f"{live_server.url}/admin/articles/article/{first.pk}/history/")
    assert "bianji" in chief.content()
    snap(chief, "history", full_page=True)
