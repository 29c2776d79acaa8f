"""An editor imports three files (one bad) from the admin, in a real browser, with a real worker."""

import pytest

from articles.models import Article
from jobs.models import Job, JobKind
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.browser.test_editorial import ADMIN_VIEWPORT, log_in, snap, staff
from tests.jobs_helpers import start_worker
from tests.textfiles import article_bytes

pytestmark = pytest.mark.browser


def test_an_editor_checks_and_imports_three_files(
    live_server, transactional_db, page_factory, tmp_path
):
    staff("bianji", EDITORS)
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划")])
    files = []
    for name, data in [
        ("护林员的四季.txt", article_bytes(title="护林员的四季", byline="本刊记者 沈嘉禾")),
        ("一条溪流的回归.txt", article_bytes(title="一条溪流的回归", byline="文/陈思远")),
        ("坏文件.txt", b"\x00\x01 this is no article"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        files.append(str(path))

    worker = start_worker()
    try:
        editor = page_factory(viewport=ADMIN_VIEWPORT)
        log_in(editor, live_server, "bianji")
        editor.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/")
        editor.get_by_role("link", name="导入文稿").click()
        editor.set_input_files("#id_files", files)
        editor.select_option("#id_page", "10")
        snap(editor, "import-form")
        editor.locator("input[type=submit]").click()
        editor.wait_for_url("**/admin/jobs/job/*/change/")
        # The dry run's page reloads itself until the job is over.
        editor.wait_for_selector("text=确认导入", timeout=60_000)
        lines = editor.locator(".job-line").all_inner_texts()
        assert len(lines) == 3
        # What the dry run would do, in the editor's language: nothing is written yet.
        assert any("将拒绝" in line and "坏文件.txt" in line for line in lines)
        assert sum("将导入" in line for line in lines) == 2
        assert not Article.objects.exists()
        snap(editor, "import-check", full_page=True)

        editor.locator("input[type=submit][value='确认导入']").click()
        editor.wait_for_url("**/admin/jobs/job/*/change/")
        editor.wait_for_selector(".field-state >> text=已完成", timeout=60_000)
        lines = editor.locator(".job-line").all_inner_texts()
        assert sum("已导入" in line for line in lines) == 2
        snap(editor, "import-done", full_page=True)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert job.created_by.username == "bianji"
    placed = dict(Article.objects.values_list("title", "section__code"))
    assert placed == {"护林员的四季": "10", "一条溪流的回归": "10"}

    editor.goto(f"{live_server.url}/admin/articles/article/?issue__id__exact={issue.pk}")
    assert "护林员的四季" in editor.content()
