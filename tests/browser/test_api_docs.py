"""The API's interactive docs work in a real browser, under the site's CSP."""

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_list_every_endpoint(live_server, transactional_db, page_factory):
    page = page_factory()
    response = page.goto(live_server.url + "/api/v1/docs")
    assert response.status == 200
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock-summary-method").all_inner_texts() == ["GET"] * 6
    # Tried out from the page: the answer comes from this site.
    page.locator(".opblock").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
