"""The e-paper on a phone, as a reader uses it in Chromium with a touch screen at 360 px:
pinch the page to 3× (the zoom rendition is fetched, the areas stay on their
articles) and tap an area; swipe to the next page; tap a thumbnail of the strip.
On a desktop: + − 0 and the buttons. Without JavaScript the page is its scan and
links, as before."""

import pytest

from magazine.models import Issue
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_editorial import snap

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_served(settings):
    settings.SERVE_MEDIA = True


def page_three(live_server):
    issue = Issue.objects.published().latest_first().first()
    section = issue.sections.get(code="03")
    return issue, section, live_server.url + section.get_absolute_url()


def ready(page, touch=False):
    """Wake the zoom as a reader does, reaching for the page (a touch on its blank foot,
    or the mouse over it), and wait until it is drawn."""
    page.wait_for_selector(".page-zoom__buttons")  # page_zoom.js has run
    sheet = page.locator(".page-scan__sheet")
    sheet.scroll_into_view_if_needed()
    box = sheet.bounding_box()
    bottom = min(box["y"] + box["height"], page.viewport_size["height"])
    x, y = box["x"] + 20, bottom - 20  # the page's foot, as far down as it shows
    if touch:
        cdp = page.context.new_cdp_session(page)
        for kind, points in (("touchStart", [{"x": x, "y": y}]), ("touchEnd", [])):
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    else:
        page.mouse.move(x, y)
    page.wait_for_selector(".page-zoom[data-ready]")
    page.wait_for_function("() => document.querySelector('.page-zoom canvas')")


def area_box(page):
    return page.locator(".page-zoom .page-area").first.bounding_box()


def test_a_reader_pinches_the_page_taps_an_article_swipes_and_jumps(
    live_server, demo_content, page_factory
):
    _, section, url = page_three(live_server)
    article = section.articles.order_by("position").first()
    phone = page_factory(viewport=PHONE, touch=True)
    fetched = []
    phone.on("request", lambda request: fetched.append(request.url))
    phone.goto(url)
    phone.wait_for_load_state("load")
    assert not any("openseadragon" in address for address in fetched)  # not with the page
    ready(phone, touch=True)
    assert not phone.locator(".page-scan__image").is_visible()  # the zoom draws it now
    assert (
        phone.locator(".page-zoom").bounding_box()
        == phone.locator(".page-scan__image").bounding_box()
    )  # exactly over the scan, which keeps its place
    zoom_source = phone.locator(".page-scan__sheet").get_attribute("data-zoom")
    before = area_box(phone)
    viewer = phone.locator(".page-zoom").bounding_box()
    assert not any(zoom_source in address for address in fetched)  # not before it is needed

    cdp = phone.context.new_cdp_session(phone)
    cdp.send(
        "Input.synthesizePinchGesture",
        {
            "x": before["x"] + before["width"] / 2,  # on the article
            "y": before["y"] + before["height"] / 2,
            "scaleFactor": 3,
            "relativeSpeed": 600,
            "gestureSourceType": "touch",
        },
    )
    phone.wait_for_timeout(800)  # the animation ends
    after = area_box(phone)
    assert after["width"] > before["width"] * 2.2  # the area grew with the page
    phone.wait_for_function(
        "source => performance.getEntriesByType('resource').some(e => e.name.endsWith(source))",
        arg=zoom_source,
    )  # drawn sharp from the zoom rendition
    snap(phone, "reader-page-zoomed-phone")

    # A tap on the area, where it shows within the viewer, opens its article.
    left = max(after["x"], viewer["x"]) + 10
    top = max(after["y"], viewer["y"]) + 10
    phone.touchscreen.tap(left, top)
    phone.wait_for_url(f"**{article.get_absolute_url()}")

    # Back on the page at its whole size, a swipe to the left turns to the next page
    # (before the zoom has woken too: test_a_swipe_turns_the_page_before_any_zoom).
    phone.goto(url)
    ready(phone, touch=True)
    swipe_left(phone)
    following = section.issue.sections.get(code="04")
    phone.wait_for_url(f"**{following.get_absolute_url()}")

    # The strip of pages: the current one marked, a tap on another goes there.
    strip = phone.locator(".page-strip")
    assert strip.locator('a[aria-current="page"]').get_attribute("href").endswith("/04/")
    strip.locator('a[href$="/01/"]').tap()
    phone.wait_for_url("**/pages/01/")


def swipe_left(page):
    viewer = page.locator(".page-scan__sheet").bounding_box()
    y = viewer["y"] + viewer["height"] / 2
    points = [viewer["x"] + viewer["width"] * f for f in (0.85, 0.7, 0.5, 0.3, 0.15)]
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": points[0], "y": y}]},
    )
    for x in points[1:]:
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_swipe_turns_the_page_before_any_zoom(live_server, demo_content, page_factory):
    issue, _, url = page_three(live_server)
    phone = page_factory(viewport=PHONE, touch=True)
    phone.goto(url)
    phone.wait_for_selector(".page-zoom__buttons")
    swipe_left(phone)
    phone.wait_for_url(f"**{issue.sections.get(code='04').get_absolute_url()}")


def test_keys_and_buttons_zoom_on_a_desktop(live_server, demo_content, page_factory):
    _, _, url = page_three(live_server)
    desktop = page_factory(viewport=DESKTOP)
    desktop.goto(url)
    ready(desktop)
    before = area_box(desktop)
    desktop.keyboard.press("+")
    desktop.keyboard.press("+")
    desktop.wait_for_timeout(800)
    zoomed = area_box(desktop)
    assert zoomed["width"] > before["width"] * 2
    desktop.keyboard.press("0")
    desktop.wait_for_timeout(800)
    assert abs(area_box(desktop)["width"] - before["width"]) < 2
    desktop.get_by_role("button", name="放大").click()
    desktop.wait_for_timeout(800)
    assert area_box(desktop)["width"] > before["width"] * 1.4
    desktop.get_by_role("button", name="整版").click()
    desktop.wait_for_timeout(800)
    assert abs(area_box(desktop)["width"] - before["width"]) < 2
    snap(desktop, "reader-page-zoom")


def test_without_javascript_the_page_is_its_scan_and_links(live_server, demo_content, chromium):
    _, _, url = page_three(live_server)
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        assert page.locator(".page-scan__image").is_visible()
        assert page.locator(".page-zoom").count() == 0
        link = page.locator(".page-area").first
        assert link.get_attribute("href").startswith("/articles/")
        # Nothing on the scan but its articles leads anywhere: not to the bare image.
        assert page.locator(".page-scan a:not(.page-area)").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_issue_is_two_taps_from_home(live_server, demo_content, page_factory, viewport):
    reader = page_factory(viewport=viewport, touch=viewport is PHONE)
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name="往期回顾").first.click()  # one
    reader.wait_for_url("**/issues/")
    calendar = reader.locator(".issue-calendar").first
    assert calendar.locator("li").count() == 12  # the year's numbers, gaps included
    if viewport is DESKTOP:
        snap(reader, "reader-calendar")
    calendar.get_by_role("link", name="2026年第10期").click()  # two
    reader.wait_for_url("**/issues/2026/10/")
    assert "2026年第10期" in reader.locator("h1").inner_text()
