"""How well articles are drafted from a print PDF alone, on made-up issues the product
has never seen (tests/print_issues.py, other seeds than the tests'), from the
text layer and, on some pages, from the pages drawn as images and read by
Tesseract.

    .venv/bin/python bench/drafting_bench.py [--issues 3] [--ocr-pages 8] [--quick]

For each issue: the printed articles made, by their exact title, and the extra
ones; bodies equal to what is printed (0.98 similar or more once white space
is removed); paragraphs kept; bylines, kickers and subtitles exact; articles
placed on the page that prints their title; printed parts given an area (the
areas found for the drafted articles, intersection over union 0.6 or more);
and the time a page. Prints the figures and writes bench/out/drafting.json.
"""

import argparse
import difflib
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
import django

django.setup()

from articles.drafting import draft  # noqa: E402
from articles.finding import Printed, find  # noqa: E402
from bench.areas_bench import each_issue, union  # noqa: E402
from pagelayout import pdf_text, reading  # noqa: E402
from tests import print_issues  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "drafting.json"
SEEDS = (111, 222, 333, 444, 555)  # the tests use others


def squeeze(text):
    return re.sub(r"\s+", "", text)


def similar(a, b):
    return difflib.SequenceMatcher(a=squeeze(a), b=squeeze(b), autojunk=False).ratio()


def score(spec, pages, drafts):
    """The figures of ``drafts`` against what ``spec`` printed on ``pages``."""
    codes = {code for code, _, _ in pages}
    printed = [a for a in spec.articles if a.page in codes]
    by_title = {d.title: d for d in drafts}
    made = [a for a in printed if a.title in by_title]
    titles = {a.title for a in spec.articles}
    extra = [d for d in drafts if d.title not in titles]
    count = len(made) or 1

    def share(test):
        return round(sum(1 for a in made if test(a, by_title[a.title])) / count, 4)

    results = {
        "printed": len(printed),
        "made": len(made),
        "made_share": round(len(made) / max(1, len(printed)), 4),
        "extra": len(extra),
        "extra_share": round(len(extra) / max(1, len(printed)), 4),
        "bodies_equal": share(lambda a, d: similar(d.body, a.body) >= 0.98),
        "paragraphs_kept": share(lambda a, d: len(d.paragraphs) == len(a.paragraphs)),
        "bylines_exact": share(lambda a, d: d.byline == a.byline),
        "kickers_subtitles_exact": share(
            lambda a, d: "\n".join(d.kicker) == a.kicker and "\n".join(d.subtitle) == a.subtitle
        ),
        "placed_on_title_page": share(lambda a, d: d.page == a.page),
        "extra_titles": [d.title for d in extra][:10],
    }
    # Areas: the drafted articles' areas found on the same pages.
    ids = {d.title: number for number, d in enumerate(drafts)}
    found, _ = find(
        [
            Printed(n, d.title, "\n".join(d.kicker), "\n".join(d.subtitle), d.byline, d.body)
            for n, d in enumerate(drafts)
        ],
        [(code, blocks) for code, blocks, _ in pages],
    )
    parts = hit = 0
    for article in spec.articles:
        for code, boxes in article.boxes.items():
            if code not in codes:
                continue
            parts += 1
            finding = found.get(code)
            got = finding.areas.get(ids.get(article.title)) if finding else None
            if got and union([b for b, _ in got]).iou(union(boxes)) >= 0.6:
                hit += 1
    results["parts_with_area"] = round(hit / max(1, parts), 4)
    return results


def run_issue(seed, ocr_pages):
    import pypdfium2

    spec = print_issues.make(seed=seed)
    data = spec.pdf()
    document = pypdfium2.PdfDocument(data)
    names = ["基层月刊", *{name for _, name in spec.pages}]
    started = time.perf_counter()
    pages = [
        (code, reading.read(pdf_text.page_chars(document, index)), "text")
        for index, (code, _) in enumerate(spec.pages)
    ]
    drafts, _ = draft(pages, names)
    seconds = time.perf_counter() - started
    text = score(spec, pages, drafts)
    text["seconds_a_page"] = round(seconds / len(pages), 4)
    ocr = run_ocr(spec, document, ocr_pages, names) if ocr_pages else None
    document.close()
    return text, ocr


def run_ocr(spec, document, count, names):
    """A run of consecutive pages drawn and read by Tesseract (continuations need their
    neighbours)."""
    from pagelayout import ocr

    if not ocr.available():
        return {"skipped": "Tesseract with chi_sim is not installed"}
    codes = [code for code, _ in spec.pages]
    start = codes.index("01") + len(codes) // 3
    chosen = codes[start : start + count]
    started = time.perf_counter()
    pages = []
    for code in chosen:
        image = document[codes.index(code)].render(scale=ocr.SCALE, grayscale=True).to_pil()
        pages.append((code, reading.read_lines(ocr.image_lines(image)), "ocr"))
    drafts, _ = draft(pages, names)
    seconds = time.perf_counter() - started
    # Only the articles whose every part is on these pages can be whole.
    whole = print_issues.IssueSpec(
        spec.year,
        spec.number,
        [(c, n) for c, n in spec.pages if c in chosen],
        [a for a in spec.articles if a.boxes and set(a.boxes) <= set(chosen)],
        [],
    )
    results = score(whole, pages, [d for d in drafts if d.page in chosen])
    results["seconds_a_page"] = round(seconds / len(chosen), 2)
    return results


SHARES_OF_MADE = (
    "bodies_equal",
    "paragraphs_kept",
    "bylines_exact",
    "kickers_subtitles_exact",
    "placed_on_title_page",
)


def overall(runs, source):
    """The issues' figures together: shares of all the printed (or made) articles."""
    runs = [r for r in runs if r and "made" in r]
    if not runs:
        return None
    printed = sum(r["printed"] for r in runs)
    made = sum(r["made"] for r in runs)
    together = {
        "source": source,
        "printed": printed,
        "made": made,
        "made_share": round(made / max(1, printed), 4),
        "extra": sum(r["extra"] for r in runs),
        "extra_share": round(sum(r["extra"] for r in runs) / max(1, printed), 4),
    }
    for name in SHARES_OF_MADE:
        together[name] = round(sum(r[name] * r["made"] for r in runs) / max(1, made), 4)
    # Parts are about as many as articles: weighted by what was printed.
    together["parts_with_area"] = round(
        sum(r["parts_with_area"] * r["printed"] for r in runs) / max(1, printed), 4
    )
    together["seconds_a_page"] = round(sum(r["seconds_a_page"] for r in runs) / len(runs), 4)
    return together


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=8)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.issues, args.ocr_pages = 1, 2
    results = each_issue(run_issue, SEEDS[: args.issues], args.ocr_pages)
    together = {
        "text_layer": overall([r["text_layer"] for r in results], "text layer"),
        "ocr": overall([r["ocr"] for r in results], "OCR"),
    }
    together = {name: figures for name, figures in together.items() if figures}
    for figures in together.values():
        print(f"all issues, {figures['source']}: {figures}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"issues": results, "overall": together}, indent=2, ensure_ascii=False) + "\n"
    )


if __name__ == "__main__":
    main()
