"""What the benchmark and the fault scripts share: a site to serve, gunicorn, wrk.

On PostgreSQL (loopback), a site like a real magazine's: 12 issues, the
newest with 70 pages and 300 articles; gunicorn with the production
settings (gunicorn.conf.py, bench/settings.py); wrk from Debian's package.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
PYTHON = sys.executable
PORT = 8091


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def ensure_tool(command, package):
    """Install Debian's ``package`` if ``command`` is not on this machine."""
    if shutil.which(command):
        return
    print(f"installing {package} (Debian package)")
    sh("apt-get", "update", "-qq")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh("apt-get", "install", "-y", "-qq", package, env=env)


def ensure_wrk():
    ensure_tool("wrk", "wrk")


def database_url(db):
    return f"postgres://postgres@127.0.0.1:5432/{db}"


def recreate_database(db):
    sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", db)
    return database_url(db)


def environment(db, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(db),
        "DJANGO_DEBUG": "0",
        **extra,
    }


def build_site(db):
    """A fresh database with 12 issues; the newest has 70 pages and 300 articles.

    Returns the address of each kind of page, and under "all" every public
    address (for a mix of pages). Sets this process up with Django on ``db``.
    """
    recreate_database(db)
    os.environ.update(environment(db))
    import django

    django.setup()
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article
    from articles.reading_order import renumber
    from articles.search import rebuild
    from magazine.models import Issue
    from sections.models import Section

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    rng = random.Random(5)
    words = (
        "基层 干部 群众 服务 乡村 振兴 数字 经济 社区 治理 文化 教育 医疗 老街 茶园 护林".split()
    )
    names = "王芳 陈晓 林一帆 沈嘉禾 吴子墨 许静怡 李向东 周明远".split()
    for number in range(1, 13):
        issue = Issue.objects.create(year=2026, number=number, published_at=timezone.now())
        pages = [("0001", "封面"), ("0002", "封二")]
        pages += [
            (f"{n:02d}", rng.choice(["本期策划", "基层来信", "文化视窗", "博览 · 读书"]))
            for n in range(1, 67)
        ]
        pages += [("9901", "封三"), ("9902", "封底")]
        sections = Section.objects.bulk_create(
            Section(issue=issue, code=c, name=n, position=i) for i, (c, n) in enumerate(pages)
        )
        count = 300 if number == 12 else 40
        articles = []
        for n in range(count):
            body = "\n".join(
                "".join(rng.choice(words) + rng.choice("的了和是在") for _ in range(40)) + "。"
                for _ in range(rng.randint(3, 8))
            )
            articles.append(
                Article(
                    issue=issue,
                    section=sections[n % len(sections)] if n % 10 else None,
                    position=n,
                    title=f"第{number}期{''.join(rng.sample(words, 3))}{n}",
                    byline=f"文/{rng.choice(names)}",
                    body=body,
                )
            )
        Article.objects.bulk_create(articles)
        renumber({issue.pk})  # bulk_create sends no signal: the reading order, by name
    rebuild()
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum would have done on a live site: the statistics, and the
        # row versions left by numbering the reading order after the inserts.
        cursor.execute("VACUUM ANALYZE")
    issue = Issue.objects.get(year=2026, number=12)
    article = issue.articles.filter(section__isnull=False).order_by("section__position").first()
    give_page_areas(article.section, 30)
    give_authors(issue, 2000)
    everything = ["/", "/issues/", "/feeds/latest/"]
    for each in Issue.objects.prefetch_related("sections"):
        everything.append(each.get_absolute_url())
        everything += [page.get_absolute_url() for page in each.sections.all()]
    everything += [f"/articles/{pk}/" for pk in Article.objects.values_list("pk", flat=True)]
    everything += [f"/search/?q={urllib.parse.quote(word)}" for word in words]
    return {
        "all": everything,
        "bare": "/bench/bare/",
        "home": "/",
        "toc": issue.get_absolute_url(),
        "page": article.section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "article_hant": f"/zh-hant{article.get_absolute_url()}",
        "search": "/search/?q=%E5%B9%B2%E9%83%A8",  # 干部
        "authors": "/authors/",
        "api_issue": f"/api/v1/issues/{issue.year}/{issue.number}/",
        "api_article": f"/api/v1/articles/{article.pk}/",
    }


def give_page_areas(page, count):
    """The page measured has a scan (its renditions named; the view does not read the
    files) and ``count`` article areas over it, as an e-paper page has."""
    from articles.models import Article, ArticleArea
    from sections.models import Section

    stem = "scans/2026/12/bench"
    Section.objects.filter(pk=page.pk).update(
        scan=f"{stem}.jpg",
        pdf="pdf/2026/12/bench.pdf",
        scan_renditions={
            "original": {"name": f"{stem}.jpg", "width": 1132, "height": 1600},
            "web": {"name": f"{stem}-web.jpg", "width": 1132, "height": 1600},
            "thumb": {"name": f"{stem}-thumb.jpg", "width": 320, "height": 452},
        },
    )
    articles = list(Article.objects.filter(section=page))
    ArticleArea.objects.bulk_create(
        ArticleArea(
            article=articles[n % len(articles)],
            section=page,
            x=0.05,
            y=round(n / count, 4),
            w=0.9,
            h=round(0.9 / count, 4),
        )
        for n in range(count)
    )


def give_authors(newest, count):
    """``count`` more authors, each named on one published article of the older issues
    (through the authors table only: the articles and their search rows stay as they are)."""
    from articles.models import Article, Author

    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    given = "一二三明华建国志伟芳秀英敏静丽强磊军洋勇艳杰娟涛超霞平刚桂兰红文辉玉萍"
    names = [f"{s}{a}{b}" for s in surnames for a in given for b in given][:count]
    authors = Author.objects.bulk_create(Author(name=name) for name in names)
    older = list(Article.objects.exclude(issue=newest).values_list("pk", flat=True))
    Link = Article.authors.through
    Link.objects.bulk_create(
        Link(article_id=older[n % len(older)], author_id=author.pk)
        for n, author in enumerate(authors)
    )


def start_gunicorn(db, port=PORT, tree=PROJECT, **env):
    """gunicorn with this tree's settings (``gunicorn.conf.py``) serving ``tree``'s code:
    this one's, or an earlier commit's checked out elsewhere (bench/versus.py)."""
    if tree != PROJECT:
        env["PYTHONPATH"] = str(tree)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            str(PROJECT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=tree,
        env=environment(db, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


MIX_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def wrk(path, duration, connections, port=PORT, mix=None, warm=True):
    """Run wrk on one address, or on a mix of addresses taken in turn.

    Returns requests/s, requests, latency percentiles (ms), the slowest
    request, non-2xx/3xx answers and socket errors.
    """
    url = f"http://127.0.0.1:{port}{path}"
    if warm:  # the cache, the connections, the workers (each of them, most likely)
        for _ in range(16):
            urllib.request.urlopen(url, timeout=10).read()
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "35s"]
    script = None
    if mix:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(MIX_SCRIPT % ", ".join(f'"{p}"' for p in mix))
        script.close()
        command += ["-s", script.name]
    try:
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        if script:
            os.unlink(script.name)
    return parse_wrk(output)


def parse_wrk(output):
    def milliseconds(text):
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)

    latency = {
        f"p{pct}": milliseconds(value)
        for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.MULTILINE)
    }
    slowest = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 1),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "latency_ms": latency,
        "max_ms": milliseconds(slowest.group(1)) if slowest else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }
