"""The editor's month, counted: an issue from its text files and print PDF to 提交审核,
in Chromium, as an editor would do it, counting every click and typed field.

    .venv/bin/python bench/editors_month.py [--pages 68] [--articles 200] [--quick]

A made-up print issue (tests/print_issues.py: 68 pages, 200 articles, some
continued on another page) is written as text files (one ``.zip``, no page
folders: placing them is the editor's work) and as a print PDF. On
PostgreSQL, gunicorn serves the site (production settings, uploads served)
and a job worker runs beside it; Playwright drives Debian's Chromium through
the admin as an editor:

1. start the issue (开始编辑下一期: last month's page list copied);
2. import the text files (dry run, then 确认导入);
3. upload the print PDF;
4. give every printed article its area on each page that prints it: from the
   first page's form to the last by 下一版, check the areas there (those found
   right are left alone), draw the missing ones, pick their article, save;
5. place every article still not on a page (the list's 排到版面上…);
6. submit the issue for review.

Each action an editor takes counts: a click (links, buttons, a group opened),
a choice in a list, a drag on the scan, a file chosen, a field typed into.
Going from page to page is done with the links the admin offers. It prints the
counts by step and in all, and writes bench/out/editors-month.json. The
browser is steered by the product's own markup: where the admin gives a
shorter way, the count drops by itself.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.serving import PROJECT, PYTHON, environment, recreate_database, start_gunicorn, stop

DB = "magazine_bench_month"
PORT = 8097
OUT = PROJECT / "bench" / "out" / "editors-month.json"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "month-of-work-1"
STEPS = [
    "start the issue",
    "import the text files",
    "upload the print PDF",
    "areas on the pages",
    "place the articles",
    "submit for review",
]


def iou(a, b):
    ax0, ay0, aw, ah = a
    bx0, by0, bw, bh = b
    w = max(0.0, min(ax0 + aw, bx0 + bw) - max(ax0, bx0))
    h = max(0.0, min(ay0 + ah, by0 + bh) - max(ay0, by0))
    inter = w * h
    union = aw * ah + bw * bh - inter
    return inter / union if union else 0.0


class Editor:
    """A browser page whose every action an editor takes is counted, by step."""

    def __init__(self, page, base):
        self.page, self.base = page, base
        self.counts = Counter()
        self.step = ""

    def count(self, kind):
        self.counts[(self.step, kind)] += 1

    def click(self, locator):
        locator.first.click()
        self.count("clicks")

    def fill(self, locator, text):
        locator.fill(text)
        self.count("typed fields")

    def choose(self, locator, **option):
        locator.select_option(**option)
        self.count("clicks")

    def files(self, locator, paths):
        locator.set_input_files(paths)
        self.count("clicks")

    def drag(self, image, box):
        frame = image.bounding_box()
        x, y, w, h = box
        page = self.page
        page.mouse.move(frame["x"] + frame["width"] * x, frame["y"] + frame["height"] * y)
        page.mouse.down()
        for step in range(1, 6):
            page.mouse.move(
                frame["x"] + frame["width"] * (x + w * step / 5),
                frame["y"] + frame["height"] * (y + h * step / 5),
            )
        page.mouse.up()
        self.count("drags")

    def link(self, name, exact=True):
        return self.page.get_by_role("link", name=name, exact=exact)

    def wait_for_job(self):
        # The job's page refreshes itself until the job ends.
        self.page.wait_for_selector(
            ".field-state >> text=/已完成|失败/", timeout=600_000, state="attached"
        )
        if self.page.locator(".field-state >> text=失败").count():
            raise SystemExit("a job failed: " + self.page.locator(".errornote").inner_text())


def build(spec, folder):
    files = spec.write_text_files(Path(folder) / "texts")
    archive = Path(folder) / "texts.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(files.iterdir()):
            bundle.write(path, path.name)
    pdf = Path(folder) / "issue.pdf"
    pdf.write_bytes(spec.pdf())
    return archive, pdf


def prepare_database(media, jobs, spec):
    """An editor, and last month's issue, published, with the same pages."""
    recreate_database(DB)
    env = environment(DB, MEDIA_ROOT=str(media), JOB_FILES_ROOT=str(jobs))
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=PROJECT, env=env, check=True
    )
    script = (
        "from django.contrib.auth.models import Group, User\n"
        "from magazine.models import Issue\n"
        "from magazine.roles import EDITORS\n"
        "from sections.models import Section\n"
        f"u = User.objects.create_user('bianji', password={PASSWORD!r}, is_staff=True)\n"
        "u.groups.add(Group.objects.get(name=EDITORS))\n"
        f"last = Issue.objects.create(year={spec.year}, number={spec.number - 1})\n"
        f"Section.objects.merge(last, {spec.pages!r})\n"
        "last.publish()\n"
    )
    subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=PROJECT, env=env, check=True)
    return env


def go_to_issue(editor, issue_name):
    """Back to the issue's page by the shortest way the admin offers from here."""
    page = editor.page
    if page.url.rstrip("/").endswith("/change") and "/magazine/issue/" in page.url:
        return
    direct = page.locator(f"a.issue-link, .breadcrumbs a:text-is('{issue_name}')")
    if direct.count():
        editor.click(direct)
    else:
        editor.click(page.locator(".breadcrumbs a").first)  # the dashboard
        editor.click(page.locator("#editorial-dashboard").get_by_role("link", name=issue_name))
    page.wait_for_url(re.compile(r".*/magazine/issue/\d+/change/.*"))


def open_page(editor, code):
    """From the issue's page to page ``code``'s form."""
    page = editor.page
    label = f"{code}版"
    single = page.locator(".page-overview a.page-overview__single").filter(
        has_text=re.compile(rf"\s{code}$")
    )
    if single.count():  # a group of one page is a link to it
        editor.click(single)
        page.wait_for_url(re.compile(r".*/sections/section/\d+/change/.*"))
        return
    named = page.locator("a").filter(has_text=re.compile(f"^{label}$"))
    link = page.locator(".page-overview").locator(named)
    if not link.is_visible():  # in a group still folded: open it
        group = page.locator(".page-overview details").filter(has=named)
        editor.click(group.locator("summary"))
    editor.click(link)
    page.wait_for_url(re.compile(r".*/sections/section/\d+/change/.*"))


def areas_on(page):
    """The areas the page's form holds: (article title, [x, y, w, h]) each."""
    found = []
    rows = page.locator("#areas-group tr.form-row.has_original, #areas-group tr.form-row")
    for index in range(rows.count()):
        row = rows.nth(index)
        select = row.locator("select[name$='-article']")
        if not select.count():
            continue
        title = select.evaluate("s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : ''")
        values = [row.locator(f"input[name$='-{f}']").input_value() for f in "xywh"]
        if title and all(values):
            found.append((title, [float(v) for v in values]))
    return found


def draw_areas(editor, spec, code):
    page = editor.page
    image = page.locator(".area-editor__scan")
    image.wait_for()
    page.wait_for_function("() => document.querySelector('.area-editor__scan').naturalWidth > 0")
    # Scrolled to the editor (a scroll, not a click): the whole scan in the window.
    page.locator(".area-editor").evaluate("editor => editor.scrollIntoView({block: 'start'})")
    existing = areas_on(page)
    drawn = 0
    for article in spec.articles:
        for box in article.boxes.get(code, []):
            if any(t == article.title and iou(b, box) >= 0.6 for t, b in existing):
                continue  # found already: the editor only checks it
            number = page.locator("#id_areas-TOTAL_FORMS").input_value()
            editor.click(page.get_by_role("button", name="画出热区"))
            editor.drag(image, box)
            # The drawn rectangle's row appears once the drawing ends.
            editor.choose(page.locator(f"#id_areas-{number}-article"), label=article.title)
            drawn += 1
    return drawn


def next_page(editor, code):
    """From one page's form to page ``code``'s, by the 下一版 link (a page at a time:
    the editor checks each)."""
    page = editor.page
    here = re.compile(rf"(^|\s){code}版")
    while not here.search(page.locator(".breadcrumbs").inner_text()):
        editor.click(page.locator("a[rel=next]"))
        page.wait_for_url(re.compile(r".*/sections/section/\d+/change/.*"))
        page.wait_for_load_state()


def save_page(editor, stay=False):
    page = editor.page
    editor.click(page.locator("input[name=_continue]" if stay else "input[name=_save]"))
    page.wait_for_load_state()
    if page.locator(".errornote").count():
        raise SystemExit("the page's form was refused: " + page.locator(".errornote").inner_text())


def place_articles(editor, spec, issue_name):
    """Every article not on a page yet, page by page, with the list's action."""
    page = editor.page
    unplaced = set(spec_titles_unplaced(editor))
    if not unplaced:
        return 0
    # From the dashboard: the issue's count of articles not on a page is a link to them.
    editor.click(page.locator("#site-name a, .breadcrumbs a").first)
    editor.click(page.locator("#editorial-dashboard a[href*='placed=no']").first)
    placed = 0
    by_page = {}
    for article in spec.articles:
        if article.title in unplaced:
            by_page.setdefault(article.page, []).append(article.title)
    for code, titles in by_page.items():
        for title in titles:
            row = page.locator("#result_list tr").filter(has=page.get_by_role("link", name=title))
            editor.click(row.locator("input.action-select"))
        editor.choose(page.locator("select[name=action]"), value="place_on_page")
        editor.click(page.locator("button[name=index], .actions button").first)
        editor.choose(page.locator("#id_section"), label=page_label(spec, code))
        editor.click(page.locator("input[type=submit]"))
        page.wait_for_selector(".messagelist")
        placed += len(titles)
    return placed


def page_label(spec, code):
    name = dict(spec.pages)[code]
    return f"{code}版 {name}"


def spec_titles_unplaced(editor):
    from articles.models import Article

    return Article.objects.filter(section__isnull=True).values_list("title", flat=True)


def run(args):
    from playwright.sync_api import sync_playwright

    from tests import print_issues

    spec = print_issues.make(seed=args.seed, pages=args.pages, articles=args.articles)
    issue_name = f"{spec.year}年第{spec.number}期"
    with tempfile.TemporaryDirectory(prefix="editors-month-") as folder:
        media, jobs = Path(folder) / "media", Path(folder) / "jobs"
        archive, pdf = build(spec, folder)
        env = prepare_database(media, jobs, spec)
        os.environ.update(env)
        # Playwright's sync API runs an event loop in this thread; the ORM reads
        # made in between are still synchronous.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        import django

        django.setup()
        server = start_gunicorn(
            DB, PORT, MEDIA_ROOT=str(media), JOB_FILES_ROOT=str(jobs), DJANGO_SERVE_MEDIA="1"
        )
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--no-reload"],
            cwd=PROJECT,
            env={**env, "DJANGO_SERVE_MEDIA": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started = time.time()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
                )
                context = browser.new_context(
                    viewport={"width": 1280, "height": 1800}, locale="zh-CN"
                )
                page = context.new_page()
                page.set_default_timeout(60_000)
                editor = Editor(page, f"http://127.0.0.1:{PORT}")
                log_in(page, editor.base)
                try:
                    month(editor, spec, issue_name, archive, pdf)
                except BaseException:
                    OUT.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=OUT.with_suffix(".failed.png"), full_page=True)
                    print(f"stopped at {page.url}; the page is in {OUT.with_suffix('.failed.png')}")
                    raise
                browser.close()
        finally:
            stop(worker)
            stop(server)
    return editor.counts, time.time() - started


def log_in(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "bianji")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def month(editor, spec, issue_name, archive, pdf):
    page = editor.page
    editor.step = STEPS[0]
    editor.click(editor.link("开始编辑下一期"))
    # The next number is proposed, and last month's page list copied (ticked).
    editor.click(page.locator("input[name=_save]"))
    page.wait_for_load_state()
    if "/change/" not in page.url:  # landed on the list of issues
        editor.click(page.locator("#result_list").get_by_role("link", name=issue_name))

    editor.step = STEPS[1]
    editor.click(editor.link("导入文稿"))
    editor.files(page.locator("#id_files"), str(archive))
    editor.click(page.locator("input[type=submit]"))
    page.wait_for_selector("input[type=submit][value='确认导入']", timeout=600_000)
    editor.click(page.locator("input[type=submit][value='确认导入']"))
    editor.wait_for_job()
    go_to_issue(editor, issue_name)

    editor.step = STEPS[2]
    editor.click(editor.link("上传印刷版 PDF"))
    editor.files(page.locator("#id_pdf"), str(pdf))
    editor.click(page.locator("input[type=submit]"))
    editor.wait_for_job()
    go_to_issue(editor, issue_name)

    editor.step = STEPS[3]
    printed = [code for code, _ in spec.pages if any(a.boxes.get(code) for a in spec.articles)]
    open_page(editor, printed[0])
    for number, code in enumerate(printed):
        if number:
            next_page(editor, code)
        if draw_areas(editor, spec, code):
            save_page(editor, stay=True)
    go_to_issue(editor, issue_name)

    editor.step = STEPS[4]
    place_articles(editor, spec, issue_name)
    go_to_issue(editor, issue_name)

    editor.step = STEPS[5]
    editor.click(page.get_by_role("button", name="初审通过，送复审"))  # 提交审核: the first level
    page.wait_for_selector(".messagelist")


def report(counts, seconds, args):
    rows = {}
    for step in STEPS:
        rows[step] = {
            kind: counts[(step, kind)]
            for kind in ("clicks", "drags", "typed fields")
            if counts[(step, kind)]
        }
    total = sum(counts.values())
    print(f"\nthe editor's month: {args.pages} pages, {args.articles} articles")
    for step, kinds in rows.items():
        spelled = ", ".join(f"{n} {kind}" for kind, n in kinds.items()) or "—"
        print(f"  {step:<24} {sum(kinds.values()):>5}   ({spelled})")
    print(f"  {'in all':<24} {total:>5}   ({seconds:.0f} s in the browser)")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "pages": args.pages,
                "articles": args.articles,
                "actions": total,
                "by_step": rows,
                "seconds": round(seconds, 1),
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=68)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--quick", action="store_true", help="12 pages, 24 articles")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.articles = 12, 24
    counts, seconds = run(args)
    report(counts, seconds, args)


if __name__ == "__main__":
    main()
