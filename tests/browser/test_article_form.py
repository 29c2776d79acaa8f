"""The article form in a real browser: saving changes nothing the editor did not change."""

import pytest

from articles.models import Article
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.browser.test_editorial import ADMIN_VIEWPORT, log_in, staff

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("published", [False, True], ids=["draft", "published"])
def test_saving_a_placed_article_untouched_keeps_it_on_its_page(
    live_server, transactional_db, page_factory, published
):
    staff("bianji", EDITORS)
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划")])
    if published:
        issue.publish()
    page = issue.sections.get(code="10")
    article = Article.objects.create(
        issue=issue, section=page, position=3, title="护林员的四季", body="天刚蒙蒙亮。"
    )

    editor = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(editor, live_server, "bianji")
    # Several loads: the page was lost on most of them, depending on timing.
    for _ in range(3):
        editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
        editor.wait_for_load_state("load")
        editor.wait_for_timeout(300)  # every ready and load handler has run
        shown = editor.locator("#id_section").input_value()
        assert shown == str(page.pk), "the page picker lost the article's page"
        assert "10版" in editor.locator(".field-section .select2-selection__rendered").inner_text()
        editor.locator("input[name=_save]").click()
        editor.wait_for_url("**/admin/articles/article/")
        article.refresh_from_db()
        assert (article.section_id, article.position) == (page.pk, 3)

    # Choosing another issue still empties the page picker (its pages are another issue's).
    other = Issue.objects.create(year=2026, number=11)
    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor.wait_for_load_state("load")
    editor.wait_for_timeout(300)
    editor.evaluate(
        """(id) => {
            const $ = django.jQuery;
            const issue = $('#id_issue');
            issue.append(new Option('2026年第11期', id, true, true)).trigger('change');
        }""",
        str(other.pk),
    )
    assert editor.locator("#id_section").input_value() == ""
