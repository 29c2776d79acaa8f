"""The steps the print PDF's browser tests share: an editor on the issue's upload page,
and a job page waited on until its job is done."""

from tests.browser.test_editorial import ADMIN_VIEWPORT, log_in


def open_print_upload(page_factory, live_server, issue, username="bianji"):
    """A new page, logged in as ``username``, on ``issue``'s 上传印刷版 PDF form."""
    editor = page_factory(viewport=ADMIN_VIEWPORT)
    log_in(editor, live_server, username)
    editor.goto(f"{live_server.url}/admin/magazine/issue/{issue.pk}/change/")
    editor.get_by_role("link", name="上传印刷版 PDF").click()
    return editor


def submit_and_wait(editor):
    """Submit the form on ``editor`` and wait on the job's page until it is done."""
    editor.locator("input[type=submit]").click()
    editor.wait_for_url("**/admin/jobs/job/*/change/")
    editor.wait_for_selector(".field-state >> text=已完成", timeout=60_000)
