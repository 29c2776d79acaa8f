"""A reader turns the pages of an issue in a real browser, at desktop and phone width."""

import io

import pytest

from articles.models import Article
from magazine.models import Issue
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def page_kinds(live_server):
    """One URL of each kind of public page, on the demo content."""
    issue = Issue.objects.published().latest_first().first()
    section = issue.sections.get(code="03")
    article = section.articles.order_by("position").first()
    kinds = {
        "home": live_server.url + "/",
        "archive": live_server.url + "/issues/",
        "year": live_server.url + f"/issues/{issue.year}/",
        "contents": live_server.url + issue.get_absolute_url(),
        "page": live_server.url + section.get_absolute_url(),
        "article": live_server.url + article.get_absolute_url(),
        "search": live_server.url + "/search/?q=" + "护林",
        "author": live_server.url + "/authors/沈嘉禾/",
        "authors": live_server.url + "/authors/",
        "not-found": live_server.url + "/issues/1999/1/",
    }
    # The same pages in Traditional Chinese (the search as a Traditional reader types it).
    for name in ("home", "page", "article", "authors"):
        kinds[f"{name}-hant"] = kinds[name].replace(
            live_server.url, live_server.url + "/zh-hant", 1
        )
    kinds["search-hant"] = live_server.url + "/zh-hant/search/?q=" + "護林"
    return kinds


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reader_turns_the_pages(live_server, demo_content, page_factory, screenshots, viewport):
    size = "desktop" if viewport is DESKTOP else "phone"
    page = page_factory(viewport=viewport)
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    page.screenshot(path=screenshots / f"{size}-home.png", full_page=True)

    page.get_by_role("link", name="阅读本期").click()
    page.wait_for_url("**/issues/2026/11/")
    assert "2026年第11期" in page.title()
    page.screenshot(path=screenshots / f"{size}-contents.png", full_page=True)

    page.get_by_role("navigation", name="版面导航").get_by_role(
        "link", name="03版 本期策划"
    ).click()
    page.wait_for_url("**/issues/2026/11/pages/03/")
    assert page.locator("h1").inner_text().replace("\n", " ") == "03版 本期策划"
    page.screenshot(path=screenshots / f"{size}-page.png", full_page=True)

    page.locator(".contents__articles").get_by_role("link", name="护林员的四季").click()
    page.wait_for_url("**/articles/*/")
    assert page.locator("h1").inner_text() == "护林员的四季"
    first_indent = page.evaluate(
        "getComputedStyle(document.querySelector('.article__body p')).textIndent"
    )
    assert first_indent.endswith("px") and float(first_indent[:-2]) > 20
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshots / f"{size}-article.png", full_page=True)

    page.get_by_role("link", name="下一篇：一条溪流的回归").click()
    assert page.locator("h1").inner_text() == "一条溪流的回归"
    page.get_by_role("link", name="04版 本期策划").first.click()
    page.wait_for_url("**/issues/2026/11/pages/04/")
    page.get_by_role("link", name="上一版：03版 本期策划").click()
    page.wait_for_url("**/issues/2026/11/pages/03/")
    assert no_horizontal_scroll(page)

    page.goto(live_server.url + "/issues/")
    page.screenshot(path=screenshots / f"{size}-archive.png", full_page=True)
    page.get_by_role("link", name="检索").click()
    page.fill("#id_q", "护林员")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".result__title mark").first.inner_text() == "护林员"
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshots / f"{size}-search.png", full_page=True)
    page.goto(live_server.url + "/issues/1999/1/")
    page.screenshot(path=screenshots / f"{size}-not-found.png", full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reader_switches_to_traditional_and_back(
    live_server, demo_content, page_factory, screenshots, viewport
):
    size = "desktop" if viewport is DESKTOP else "phone"
    page = page_factory(viewport=viewport)
    article = Article.objects.get(title="护林员的四季")
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="繁體").click()
    page.wait_for_url(f"**/zh-hant/articles/{article.pk}/")
    assert page.locator("h1").inner_text() == "護林員的四季"
    assert page.get_attribute("html", "lang") == "zh-TW"
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshots / f"{size}-article-hant.png", full_page=True)
    page.get_by_role("link", name="檢索").first.click()
    page.fill("#id_q", "護林員")
    page.get_by_role("button", name="檢索").click()
    assert page.locator(".result__title mark").first.inner_text() == "護林員"
    page.locator(".result__title").get_by_role("link", name="護林員的四季").click()
    page.wait_for_url(f"**/zh-hant/articles/{article.pk}/")
    page.get_by_role("link", name="简体").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "护林员的四季"


def test_every_kind_of_page_is_valid_html(live_server, demo_content, page_factory, vnu, tmp_path):
    page = page_factory()
    files = []
    for name, url in page_kinds(live_server).items():
        response = page.goto(url)
        html = response.text()
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    status, report = vnu(files)
    assert status == 0, report


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations(
    live_server, demo_content, page_factory, axe_source, viewport
):
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe-core is injected inline
    problems = {}
    for name, url in page_kinds(live_server).items():
        page.goto(url)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in result["violations"]
            if v["impact"] in SERIOUS
        ]
        if serious:
            problems[name] = serious
        assert result["passes"], name  # axe really ran
    assert problems == {}


def test_pages_work_without_javascript(live_server, demo_content, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="阅读本期").click()
    page.wait_for_url("**/issues/2026/11/")
    assert (
        page.locator(".contents__articles li").count()
        == Article.objects.filter(issue__year=2026, issue__number=11).count()
    )
    context.close()


def test_print_stylesheet_hides_navigation(live_server, demo_content, page_factory):
    page = page_factory()
    article = Article.objects.filter(section__isnull=False).first()
    page.goto(live_server.url + article.get_absolute_url())
    page.emulate_media(media="print")
    assert page.locator(".page-nav").is_hidden()
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".article__body").is_visible()


@pytest.mark.parametrize("kind", ["contents", "page", "article"])
def test_the_qr_code_takes_a_phone_to_the_page(live_server, demo_content, page_factory, kind):
    import zxingcpp
    from PIL import Image

    page = page_factory(viewport=PHONE)
    url = page_kinds(live_server)[kind]
    page.goto(url)
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    png = page.locator(".share-qr__code").screenshot()
    with Image.open(io.BytesIO(png)) as image:
        # As a phone's camera sees it: bigger than the screenshot's few pixels a module.
        image = image.convert("L").resize((image.width * 4, image.height * 4), Image.NEAREST)
        decoded = zxingcpp.read_barcodes(image)
    assert [code.text for code in decoded] == [canonical]
    assert canonical == url.split("?")[0]
    # In print too.
    page.emulate_media(media="print")
    assert page.locator(".share-qr__code").is_visible()


def test_a_phone_in_hand_is_not_asked_to_scan_its_own_screen(
    live_server, demo_content, page_factory
):
    phone = page_factory(viewport=PHONE, touch=True)
    phone.goto(page_kinds(live_server)["article"])
    assert phone.locator(".article__body").is_visible()
    assert not phone.locator(".share-qr").is_visible()
    phone.emulate_media(media="print")  # printed from the phone, the code is there
    assert phone.locator(".share-qr__code").is_visible()


def test_a_search_sends_only_what_was_asked(live_server, demo_content, page_factory):
    page = page_factory()
    page.goto(f"{live_server.url}/search/")
    page.fill("#id_q", "护林员")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url("**/search/?*")
    assert page.url.split("?", 1)[1] == "q=%E6%8A%A4%E6%9E%97%E5%91%98"  # no year=&issue=…
    assert page.locator(".results li").count() > 0
    # An issue chosen from the list of published issues narrows it.
    page.locator("details.search-form__more summary").click()
    newest = page.locator("#id_issue option").nth(1)
    key = newest.get_attribute("value")
    page.select_option("#id_issue", key)
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url(f"**issue={key}*")
    assert "year=" not in page.url and "author=" not in page.url


def test_a_long_byline_breaks_between_names_never_inside_one(
    live_server, transactional_db, page_factory
):
    from django.utils import timezone

    issue = Issue.objects.create(year=2026, number=12, published_at=timezone.now())
    names = ["沈嘉禾", "欧阳明远", "司马相如", "诸葛孔明", "上官婉儿", "周明远", "郑晓明"]
    article = Article.objects.create(
        issue=issue, title="一篇署名很长的文章", byline="本刊记者 " + " ".join(names), body="正文。"
    )
    page = page_factory(viewport=PHONE, touch=True)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    byline = page.locator(".article__head .byline")
    # Wherever the line ends (the words before the names made longer one character at
    # a time), it ends between names.
    counts = byline.evaluate(
        """node => {
            const lead = node.firstChild, seen = [];
            for (let extra = 0; extra < 12; extra++) {
                lead.textContent = "本刊记者" + "文".repeat(extra) + " ";
                seen.push([...node.querySelectorAll("a")].map(a => a.getClientRects().length));
            }
            return seen;
        }"""
    )
    assert all(len(each) == len(names) for each in counts)
    assert all(count == 1 for each in counts for count in each)  # no name on two lines
    height = byline.evaluate("node => node.getBoundingClientRect().height")
    line = byline.evaluate("node => parseFloat(getComputedStyle(node).lineHeight)")
    assert height > line * 1.5  # it did wrap: between names
