"""A print edition for the demo: an issue's pages drawn as a PDF, with the article
areas where the drawing put each article.

Nothing is copied from a real magazine: each page is drawn here (Pillow) with
its code, its name and, for each of its articles, a block with the title and
grey lines standing for the text; the blocks' boxes become the areas. The
PDF then goes through the same job as an editor's upload (``import_pdf``).
"""

from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from articles.models import Article

SIZE = (1240, 1754)  # A4 at 150 dpi
DPI = 150
MARGIN = 0.06
HEAD = 0.11  # the band with the page's code and name
FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
INK, SOFT, ACCENT, PAPER = (29, 29, 27), (170, 166, 158), (155, 28, 20), (251, 250, 246)


def font(size):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)  # no Chinese glyphs: boxes still right


def issue_pdf(issue, site_name):
    """``(pdf bytes, areas document)`` for the issue's pages, in page order."""
    pages = list(issue.sections.order_by("position", "id"))
    articles = {}
    for article in Article.objects.filter(issue=issue, section__isnull=False).order_by(
        "reading_index", "id"
    ):
        articles.setdefault(article.section_id, []).append(article)
    images, document = [], {"pages": {}}
    for page in pages:
        image, boxes = draw_page(page, articles.get(page.pk, []), issue, site_name)
        images.append(image)
        if boxes:
            document["pages"][page.code] = boxes
    output = BytesIO()
    images[0].save(output, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return output.getvalue(), document


def draw_page(page, articles, issue, site_name):
    width, height = SIZE
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    left, right = MARGIN * width, (1 - MARGIN) * width
    draw.text((left, MARGIN * height * 0.6), f"{page.code}  {page.name}", font=font(40), fill=INK)
    draw.text((right, MARGIN * height * 0.6), str(issue), font=font(30), fill=SOFT, anchor="ra")
    draw.line((left, HEAD * height, right, HEAD * height), fill=ACCENT, width=4)
    if not articles:
        middle = height * 0.5
        draw.text((width / 2, middle - 60), site_name, font=font(96), fill=ACCENT, anchor="mm")
        draw.text((width / 2, middle + 60), page.name, font=font(56), fill=INK, anchor="mm")
        return image, []
    top, bottom = HEAD + 0.02, 1 - MARGIN
    share = (bottom - top) / len(articles)
    boxes = []
    for number, article in enumerate(articles):
        y = top + number * share
        box = [MARGIN, round(y, 4), round(1 - 2 * MARGIN, 4), round(share - 0.02, 4)]
        draw_article(draw, article, [v * s for v, s in zip(box, (width, height) * 2, strict=True)])
        boxes.append({"title": article.title, "box": box})
    return image, boxes


def draw_article(draw, article, pixels):
    x, y, w, h = pixels
    draw.text((x, y + 10), article.title, font=font(52), fill=INK)
    if article.byline:
        draw.text((x, y + 84), article.byline, font=font(30), fill=SOFT)
    line_y, column = y + 150, w / 2 - 20
    while line_y < y + h - 30:
        for offset in (0, column + 40):
            draw.line((x + offset, line_y, x + offset + column, line_y), fill=SOFT, width=10)
        line_y += 34
