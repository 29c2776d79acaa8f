"""A print edition for the demo: an issue's pages set as a magazine sets them
(``articles.print_layout``), as a PDF with a real text layer, and the areas
where each article is printed.

Nothing is copied from a real magazine: each page prints its articles as the
demo has them, two columns a band, a body cut where its band ends. The PDF
then goes through the same job as an editor's upload (``import_pdf``).
"""

from articles import print_layout
from articles.models import Article


def issue_pdf(issue, site_name):
    """``(pdf bytes, areas document)`` for the issue's pages, in page order."""
    pages = list(issue.sections.order_by("position", "id"))
    on_page = {}
    for article in Article.objects.filter(issue=issue, section__isnull=False).order_by(
        "reading_index", "id"
    ):
        on_page.setdefault(article.section_id, []).append(article)
    printed_pages = [page_of(page, on_page.get(page.pk, [])) for page in pages]
    data, printed = print_layout.pdf(printed_pages, site_name, str(issue))
    document = {
        "pages": {
            code: [{"title": title, "box": box} for title, found in boxes.items() for box in found]
            for code, boxes in printed.items()
            if boxes
        }
    }
    return data, document


def page_of(page, articles):
    frame = print_layout.PAGE_HEIGHT - print_layout.MARGIN_TOP - print_layout.MARGIN_BOTTOM
    share = (frame - print_layout.GAP * max(0, len(articles) - 1)) / max(1, len(articles))
    pieces = [
        print_layout.Piece(
            key=article.title,
            kicker=article.kicker,
            title=article.title,
            subtitle=article.subtitle,
            byline=article.byline,
            paragraphs=article.paragraphs,
            columns=2,
            height=share,
        )
        for article in articles
    ]
    return print_layout.Page(page.code, page.name, pieces)
