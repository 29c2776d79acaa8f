"""Benchmark cutting an issue's print PDF into pages: time, pages/s, peak memory.

    .venv/bin/python bench/print_bench.py [--pages 68] [--small 17] [--articles 200]

It makes a PDF here, each page a full-page photograph-like image (noise over a
gradient, as JPEG: what a scanned or image-heavy page costs) and a line of
real PDF text, about 1.5 MB a page (68 pages: ~100 MB). On a fresh PostgreSQL
database with an issue of as many pages, ``import_pdf`` (the job's own code,
run in that process, as a worker runs it) splits it with pypdf and draws each
page with PDFium at 1,600 px, with the renditions every scan gets. It reports
the seconds, pages per second and the process's peak RSS, for ``--pages`` and
for ``--small`` pages (the memory must not grow with the page count).

Then a magazine: a made-up issue of ``--pages`` pages and ``--articles``
articles set with a real text layer (tests/print_issues.py), its text files
imported first, then its print PDF cut by ``import_pdf``, which finds the
articles' areas: the job's time and peak RSS, the areas found, and the time
to find alone (each page's text read and matched, in this process), per page.
Then the same PDF on an issue that has its page list and no articles:
``import_pdf --articles`` drafts the articles from the pages' text, makes them
and finds their areas (pages a second, peak RSS, articles made and placed).
Writes bench/out/print.json.
"""

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.import_bench import run_child  # noqa: E402
from bench.jobs_bench import environment, migrate  # noqa: E402

DB = "magazine_bench_print"
PAGE_PIXELS = (1240, 1754)  # A4 at 150 dpi


def make_pdf(pages, path):
    import random

    from PIL import Image, ImageDraw
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    rng = random.Random(7)
    noise = Image.effect_noise(PAGE_PIXELS, 60).convert("RGB")
    output = io.BytesIO()
    images = []
    for index in range(pages):
        image = Image.new("RGB", PAGE_PIXELS, (rng.randrange(256), 180, 120))
        image = Image.blend(image, noise.rotate(index * 7), 0.5)
        ImageDraw.Draw(image).rectangle((100, 100 + index * 10, 1100, 400 + index * 10), fill=40)
        images.append(image)
    images[0].save(
        output, "PDF", save_all=True, append_images=images[1:], resolution=150, quality=97
    )
    del images
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(output.getvalue())))
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for index, page in enumerate(writer.pages):
        resources = page["/Resources"].get_object()
        resources[NameObject("/Font")] = DictionaryObject({NameObject("/F1"): font})
        text = f"BT /F1 28 Tf 60 60 Td (Benchmark issue, page {index + 1}) Tj ET".encode()
        stream = ContentStream(None, writer)
        stream.set_data(page.get_contents().get_data() + b"\n" + text)
        page.replace_contents(stream)
    with open(path, "wb") as handle:
        writer.write(handle)


def fresh_database():
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DB], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{DB}"


def cut(pages, workdir):
    pdf = workdir / f"issue-{pages}.pdf"
    # Made in a process of its own: a child forked from a parent that holds the
    # images would count the parent's memory as its own peak.
    subprocess.run(
        [sys.executable, __file__, "--make", str(pages), str(pdf)], cwd=PROJECT, check=True
    )
    env = {**environment(fresh_database(), workdir), "MEDIA_ROOT": str(workdir / f"media-{pages}")}
    migrate(env)
    setup = (
        "import django; django.setup()\n"
        "from magazine.models import Issue\n"
        "from sections.models import Section\n"
        "issue = Issue.objects.create(year=2026, number=12)\n"
        f"Section.objects.merge(issue, [(f'{{n:02d}}', '版面') for n in range(1, {pages} + 1)])\n"
    )
    subprocess.run(
        [sys.executable, "-c", setup],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=PROJECT,
        check=True,
    )
    seconds, rss, status = run_child(
        [sys.executable, "manage.py", "import_pdf", "--issue", "2026-12", str(pdf)], env
    )
    if status:
        raise SystemExit(f"import_pdf failed ({status})")
    return {
        "pages": pages,
        "pdf_mb": round(pdf.stat().st_size / 1024 / 1024, 1),
        "seconds": round(seconds, 1),
        "pages_per_s": round(pages / seconds, 2),
        "peak_rss_mb": round(rss, 1),
    }


MAGAZINE_SEED = 606  # not one the tests or bench/areas_bench.py use


def make_magazine(pages, articles, folder):
    """The made-up issue's PDF and text files, and the time to find its areas."""
    import django

    django.setup()
    import pypdfium2

    from articles.finding import Printed, find
    from pagelayout import pdf_text, reading
    from tests import print_issues

    spec = print_issues.make(seed=MAGAZINE_SEED, pages=pages, articles=articles)
    data = spec.pdf()
    (folder / "issue.pdf").write_bytes(data)
    spec.write_text_files(folder / "texts")
    printed = [
        Printed(number, a.title, a.kicker, a.subtitle, a.byline, a.body)
        for number, a in enumerate(spec.articles)
    ]
    document = pypdfium2.PdfDocument(data)
    started = time.perf_counter()
    read = [
        (code, reading.read(pdf_text.page_chars(document, index)))
        for index, (code, _) in enumerate(spec.pages)
    ]
    find(printed, read)
    seconds = time.perf_counter() - started
    document.close()
    (folder / "find.json").write_text(json.dumps({"seconds_a_page": seconds / pages}))
    (folder / "pages.json").write_text(json.dumps(spec.pages, ensure_ascii=False))


def cut_magazine(pages, articles, workdir):
    folder = workdir / "magazine"
    folder.mkdir()
    env = {**environment(fresh_database(), workdir), "MEDIA_ROOT": str(workdir / "media-mag")}
    subprocess.run(
        [sys.executable, __file__, "--make-magazine", str(pages), str(articles), str(folder)],
        cwd=PROJECT,
        check=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    migrate(env)
    subprocess.run(
        [sys.executable, "manage.py", "import_text", str(folder / "texts"), "--issue", "2026-12"],
        env=env,
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    seconds, rss = import_pdf(env, folder / "issue.pdf")
    areas, placed, _ = count_made(env)
    found = json.loads((folder / "find.json").read_text())
    return {
        "pages": pages,
        "articles": articles,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(rss, 1),
        "areas_found": int(areas),
        "articles_placed": int(placed),
        "find_seconds_a_page": round(found["seconds_a_page"], 4),
    }


def import_pdf(env, pdf, *options):
    """``import_pdf`` of the magazine's issue in a process of its own: seconds, peak RSS."""
    command = ["manage.py", "import_pdf", "--issue", "2026-12", *options, str(pdf)]
    seconds, rss, status = run_child([sys.executable, *command], env)
    if status:
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return seconds, rss


def count_made(env):
    count = (
        "import django; django.setup()\n"
        "from articles.models import Article, ArticleArea\n"
        "print(ArticleArea.objects.filter(found=True).count(),"
        " Article.objects.filter(section__isnull=False).count(), Article.objects.count())"
    )
    return [
        int(n)
        for n in subprocess.run(
            [sys.executable, "-c", count],
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            cwd=PROJECT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    ]


def draft_magazine(pages, workdir):
    """The magazine's PDF alone on an issue with its page list: its articles drafted."""
    folder = workdir / "magazine"
    env = {**environment(fresh_database(), workdir), "MEDIA_ROOT": str(workdir / "media-draft")}
    migrate(env)
    setup = (
        "import django, json, sys; django.setup()\n"
        "from magazine.models import Issue\n"
        "from sections.models import Section\n"
        "issue = Issue.objects.create(year=2026, number=12)\n"
        "Section.objects.merge(issue, [tuple(p) for p in json.load(open(sys.argv[1]))])\n"
    )
    subprocess.run(
        [sys.executable, "-c", setup, str(folder / "pages.json")],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=PROJECT,
        check=True,
    )
    seconds, rss = import_pdf(env, folder / "issue.pdf", "--articles")
    areas, placed, made = count_made(env)
    return {
        "pages": pages,
        "seconds": round(seconds, 1),
        "pages_per_s": round(pages / seconds, 2),
        "peak_rss_mb": round(rss, 1),
        "articles_made": made,
        "articles_placed": placed,
        "areas_found": areas,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=68)
    parser.add_argument("--small", type=int, default=17)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--make", nargs=2, metavar=("PAGES", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--make-magazine", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make_pdf(int(args.make[0]), Path(args.make[1]))
        return
    if args.make_magazine:
        pages, articles, folder = args.make_magazine
        make_magazine(int(pages), int(articles), Path(folder))
        return
    with tempfile.TemporaryDirectory(prefix="print-bench-") as folder:
        workdir = Path(folder)
        small = cut(args.small, workdir)
        large = cut(args.pages, workdir)
        magazine = cut_magazine(args.pages, args.articles, workdir)
        drafted = draft_magazine(args.pages, workdir)
    results = {"small": small, "large": large, "magazine": magazine, "drafted": drafted}
    for run in (small, large):
        print(
            f"{run['pages']} pages ({run['pdf_mb']} MB PDF): {run['seconds']} s, "
            f"{run['pages_per_s']} pages/s, peak {run['peak_rss_mb']} MB"
        )
    results["rss_growth"] = round(large["peak_rss_mb"] / small["peak_rss_mb"], 2)
    print(f"peak memory {args.pages} pages / {args.small} pages: {results['rss_growth']}x")
    print(
        f"magazine of {magazine['pages']} pages, {magazine['articles']} articles: cut and "
        f"areas found in {magazine['seconds']} s, peak {magazine['peak_rss_mb']} MB; "
        f"{magazine['areas_found']} areas found, {magazine['articles_placed']} articles placed; "
        f"finding alone {magazine['find_seconds_a_page']} s a page"
    )
    print(
        f"the same PDF alone, its articles drafted (import_pdf --articles): {drafted['seconds']} s,"
        f" {drafted['pages_per_s']} pages/s, peak {drafted['peak_rss_mb']} MB; "
        f"{drafted['articles_made']} articles made ({args.articles} printed), "
        f"{drafted['articles_placed']} placed, {drafted['areas_found']} areas found"
    )
    out = PROJECT / "bench" / "out" / "print.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
