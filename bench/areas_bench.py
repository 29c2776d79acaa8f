"""How well the print PDF's areas are found, on made-up issues the product has never
seen (tests/print_issues.py, other seeds than the tests'), from the text layer
and, on some pages (spread over each issue), from the pages drawn as images and
read by Tesseract.

    .venv/bin/python bench/areas_bench.py [--issues 5] [--ocr-pages 8] [--quick]

For each page that prints an article: is its area found (intersection over union
≥ 0.6 with the box of the printed text), are the areas found right, is the
article placed on the page that prints its title; and the time to find, per
page. Prints the figures and writes bench/out/areas.json.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
import django

django.setup()

from articles.finding import Printed, find  # noqa: E402
from pagelayout import pdf_text, reading  # noqa: E402
from pagelayout.model import Box  # noqa: E402
from tests import print_issues  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "areas.json"
SEEDS = (101, 202, 303, 404, 505)  # the tests use others


def union(boxes):
    return Box.around([Box(x, y, x + w, y + h) for x, y, w, h in boxes])


def score(spec, found, placed_on, titles):
    """The figures of ``found`` against ``spec``'s boxes; ``titles`` names the article
    ids the finding was given."""
    truth = {
        (article.title, code): union(boxes)
        for article in spec.articles
        for code, boxes in article.boxes.items()
    }
    by_title = {article.title: article for article in spec.articles}
    ids = {title: number for number, title in titles.items()}
    hits = right = made = 0
    for (title, code), box in truth.items():
        areas = found.get(code)
        got = areas.areas.get(ids[title]) if areas else None
        if got and union([b for b, _ in got]).iou(box) >= 0.6:
            hits += 1
    for code, finding in found.items():
        for article, boxes in finding.areas.items():
            made += 1
            key = (titles.get(article), code)
            if key in truth and union([b for b, _ in boxes]).iou(truth[key]) >= 0.6:
                right += 1
    placed = sum(1 for t, article in by_title.items() if placed_on.get(t) == article.page)
    return {
        "printed_areas": len(truth),
        "found_right": hits,
        "recall": round(hits / len(truth), 4),
        "areas_made": made,
        "precision": round(right / made, 4) if made else 0.0,
        "placed_right": round(placed / len(by_title), 4),
    }


def placements(spec, found):
    """Where each article would be placed: the first page in order with its area."""
    ids = {number: article.title for number, article in enumerate(spec.articles)}
    placed = {}
    for code, _ in spec.pages:
        finding = found.get(code)
        for article in finding.areas if finding else ():
            placed.setdefault(ids[article], code)
    return placed


def run_issue(seed, ocr_pages):
    import pypdfium2

    spec = print_issues.make(seed=seed)
    data = spec.pdf()
    articles = [
        Printed(number, a.title, a.kicker, a.subtitle, a.byline, a.body)
        for number, a in enumerate(spec.articles)
    ]
    document = pypdfium2.PdfDocument(data)
    started = time.perf_counter()
    pages = []
    for index, (code, _) in enumerate(spec.pages):
        pages.append((code, reading.read(pdf_text.page_chars(document, index))))
    found, nowhere = find(articles, pages)
    seconds = time.perf_counter() - started
    titles = dict(enumerate(a.title for a in spec.articles))
    result = score(spec, found, placements(spec, found), titles)
    result["seconds_a_page"] = round(seconds / len(spec.pages), 4)
    result["printed_nowhere"] = len(nowhere)
    ocr = run_ocr(spec, articles, document, ocr_pages) if ocr_pages else None
    document.close()
    return result, ocr


def run_ocr(spec, articles, document, count):
    from pagelayout import ocr

    if not ocr.available():
        return {"skipped": "Tesseract with chi_sim is not installed"}
    printing = [c for c, _ in spec.pages if any(a.boxes.get(c) for a in spec.articles)]
    codes = printing[:: max(1, len(printing) // count)][:count]  # spread over the issue
    pages, started = [], time.perf_counter()
    for code in codes:
        index = [c for c, _ in spec.pages].index(code)
        image = document[index].render(scale=ocr.SCALE, grayscale=True).to_pil()
        pages.append((code, reading.read_lines(ocr.image_lines(image))))
    found, _ = find(articles, pages)
    seconds = time.perf_counter() - started
    truth_codes = set(codes)
    sub = print_issues.IssueSpec(
        spec.year,
        spec.number,
        [(c, n) for c, n in spec.pages if c in truth_codes],
        [a for a in spec.articles if any(c in truth_codes for c in a.boxes)],
        [],
    )
    for article in sub.articles:
        article.boxes = {c: b for c, b in article.boxes.items() if c in truth_codes}
    result = score(sub, found, {}, dict(enumerate(a.title for a in spec.articles)))
    result.pop("placed_right")
    result["seconds_a_page"] = round(seconds / len(codes), 2)
    return result


def each_issue(run, seeds, ocr_pages):
    """``run(seed, ocr_pages)`` of each seed, printed as it goes."""
    results = []
    for seed in seeds:
        text, ocr = run(seed, ocr_pages)
        results.append({"seed": seed, "text_layer": text, "ocr": ocr})
        print(f"issue {seed}: text layer {text}")
        if ocr:
            print(f"           OCR {ocr}")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=5)
    parser.add_argument("--ocr-pages", type=int, default=8)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.issues, args.ocr_pages = 1, 2
    results = each_issue(run_issue, SEEDS[: args.issues], args.ocr_pages)
    overall = {}
    for name in ("text_layer", "ocr"):
        runs = [r[name] for r in results if r[name] and "printed_areas" in r[name]]
        if not runs:
            continue
        sums = {k: sum(r[k] for r in runs) for k in ("printed_areas", "found_right", "areas_made")}
        sums["recall"] = round(sums["found_right"] / sums["printed_areas"], 4)
        sums["precision"] = round(sums["found_right"] / max(1, sums["areas_made"]), 4)
        sums["seconds_a_page"] = round(sum(r["seconds_a_page"] for r in runs) / len(runs), 4)
        if name == "text_layer":
            sums["placed_right"] = min(r["placed_right"] for r in runs)
        overall[name] = sums
        print(f"{name}: {sums}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"issues": results, "overall": overall}, indent=2, ensure_ascii=False) + "\n"
    )


if __name__ == "__main__":
    main()
