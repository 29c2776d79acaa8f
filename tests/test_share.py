"""Share cards: og tags on issues, pages and articles, the drawn card, the QR code."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleImage
from magazine.models import Issue
from sections.models import Section
from tests.test_uploads import jpeg

pytestmark = pytest.mark.django_db


def meta(page, prop):
    found = re.findall(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', page)
    return found[0] if len(found) == 1 else found


@pytest.fixture
def issue(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    issue = Issue.objects.create(year=2015, number=3, published_at=timezone.now())
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "本期策划")])
    page = issue.sections.get(code="02")
    body = "城市的河流过老街，" * 20 + "\n第二段。"
    Article.objects.create(issue=issue, section=page, title="城市的河", body=body)
    return issue


def test_without_images_every_kind_shares_a_drawn_card(client, issue):
    article = issue.articles.get()
    page = issue.sections.get(code="02")
    for url, card in [
        (issue.get_absolute_url(), f"/share/issue/{issue.pk}.png"),
        (page.get_absolute_url(), f"/share/page/{page.pk}.png"),
        (article.get_absolute_url(), f"/share/article/{article.pk}.png"),
    ]:
        html = client.get(url).content.decode()
        assert meta(html, "og:image") == f"http://testserver{card}", url
        assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
        assert meta(html, "og:url") == f"http://testserver{url}"
        assert meta(html, "og:title")
        assert meta(html, "og:description")
        response = client.get(card)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        with Image.open(io.BytesIO(response.content)) as image:
            assert image.size == (1200, 630)
    description = meta(client.get(article.get_absolute_url()).content.decode(), "og:description")
    assert description.startswith("城市的河流过老街") and len(description) <= 120


def test_an_issue_shares_its_cover_pages_and_articles_their_card(client, issue):
    issue.cover = jpeg(900, 1200)
    issue.save()
    page = issue.sections.get(code="02")
    page.scan = jpeg(1000, 1400, name="02.jpg")
    page.save()
    article = issue.articles.get()
    ArticleImage.objects.create(article=article, image=jpeg(1600, 900, name="photo.jpg"), alt="河")
    issue.refresh_from_db()
    html = client.get(issue.get_absolute_url()).content.decode()
    web = issue.rendition("web")
    assert meta(html, "og:image") == f"http://testserver{web.url}"
    assert int(meta(html, "og:image:height")) == web.height >= 300
    # A portrait scan is cropped badly by social sites: a page and an article share
    # their 1.91:1 card, whatever images they have.
    for url, card in [
        (page.get_absolute_url(), f"/share/page/{page.pk}.png"),
        (article.get_absolute_url(), f"/share/article/{article.pk}.png"),
    ]:
        html = client.get(url).content.decode()
        assert meta(html, "og:image") == f"http://testserver{card}", url
        assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")


def card_text(png, box=None):
    """The words Tesseract reads on a card (Simplified or Traditional)."""
    from pagelayout import ocr

    if not ocr.available():
        pytest.skip("Tesseract with chi_sim is not installed (make install-ocr)")
    import pytesseract

    with Image.open(io.BytesIO(png)) as image:
        part = image.crop(box) if box else image
        languages = "chi_tra" if "chi_tra" in pytesseract.get_languages() else "chi_sim"
        return pytesseract.image_to_string(part, lang=languages).replace(" ", "")


def test_an_articles_card_names_it_and_takes_a_phone_to_it(client, issue):
    import zxingcpp

    article = issue.articles.get()
    article.kicker, article.byline = "江南水乡系列", "本刊记者 沈嘉禾"
    article.save()
    png = client.get(f"/share/article/{article.pk}.png").content
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1200, 630)
        codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [f"http://testserver{article.get_absolute_url()}"]
    read = card_text(png, (0, 0, 840, 630))
    for words in ("城市的河", "江南水乡系列", "沈嘉禾", "2015年第3期"):
        assert words in read, (words, read)


def test_a_card_shared_from_a_traditional_page_is_in_traditional(client, issue):
    import zxingcpp

    article = issue.articles.get()
    html = client.get(f"/zh-hant{article.get_absolute_url()}").content.decode()
    card = f"/share/article/{article.pk}.zh-hant.png"
    assert meta(html, "og:image") == f"http://testserver{card}"
    png = client.get(card).content
    with Image.open(io.BytesIO(png)) as image:
        codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [
        f"http://testserver/zh-hant{article.get_absolute_url()}"
    ]
    assert png != client.get(f"/share/article/{article.pk}.png").content


def test_an_image_too_small_to_share_gives_way_to_the_card(client, issue):
    issue.cover = jpeg(200, 280)
    issue.save()
    html = client.get(issue.get_absolute_url()).content.decode()
    assert meta(html, "og:image").endswith(f"/share/issue/{issue.pk}.png")


def test_cards_of_what_readers_cannot_see_are_404(client, issue):
    draft = Issue.objects.create(year=2015, number=4)
    hidden = Article.objects.create(issue=draft, title="未发布", body="正文")
    assert client.get(f"/share/issue/{draft.pk}.png").status_code == 404
    assert client.get(f"/share/article/{hidden.pk}.png").status_code == 404
    assert client.get("/share/page/999999.png").status_code == 404


def test_every_kind_of_page_shows_its_qr_code(client, issue):
    article = issue.articles.get()
    for url in [issue.get_absolute_url(), article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert html.count('class="share-qr__code"') == 1
        assert "<title>本页地址的二维码</title>" in html


def test_a_long_title_is_cut_to_three_lines_with_an_ellipsis():
    from reader.share import _font, _lines

    font = _font(68)
    lines = _lines("很长的标题" * 20, font, 1040, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1040 + font.getlength("…") for line in lines)
    assert _lines("短标题", font, 1040, 3) == ["短标题"]
