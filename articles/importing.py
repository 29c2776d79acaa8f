"""Importing article files into an issue, and exporting an issue back to files.

The ``import_text`` and ``export_text`` commands are thin shells over this
module; the rules live here and in the models (``Section.objects.merge``,
``Article.save_and_index``), which the admin uses too.
"""

import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext_lazy as _

from articles import proofing_runs, reading_order
from articles.models import Article
from articles.textformat import MAX_BYTES, ParsedArticle, Refusal, format_article, parse
from infra.characters import printable
from magazine.models import Issue
from sections.models import PageListError, Section

logger = logging.getLogger(__name__)

IMPORTED, UPDATED, SKIPPED, REFUSED = "imported", "updated", "skipped", "refused"
# How the admin names them (the report lines stay those of import_text).
STATUS_LABELS = {
    IMPORTED: _("imported"),
    UPDATED: _("updated"),
    SKIPPED: _("skipped"),
    REFUSED: _("refused"),
    "found": _("areas"),  # the articles' areas found in a print PDF or scans
}
# A dry run's lines say what would be done: nothing was.
DRY_RUN_LABELS = {
    **STATUS_LABELS,
    IMPORTED: _("would import"),
    UPDATED: _("would update"),
    SKIPPED: _("would skip"),
    REFUSED: _("would refuse"),
}
UNPLACED_FOLDER = "unplaced"


@dataclass
class FileResult:
    """What became of one file: its ``status``, the English ``message`` (logs), and the
    same as ``code`` and ``params`` to say it in the reader's language
    (``articles.said``); ``line``, where in the file a refusal's reason is."""

    path: Path
    status: str
    message: str = ""
    article: Article | None = None
    code: str = ""
    params: dict = field(default_factory=dict)
    line: int | None = None

    def __str__(self):
        # One line, as a terminal shows it: a name or title holding a newline
        # or a right-to-left override cannot break or turn the report around.
        line = f"{self.status}: {self.path}" + (f": {self.message}" if self.message else "")
        return printable(line)

    @classmethod
    def refused(cls, path, refusal):
        return cls(
            path,
            REFUSED,
            str(refusal),
            code=refusal.code or "",
            params=dict(refusal.params),
            line=refusal.line,
        )

    def line_params(self, dry_run=False):
        """The parameters of its job line (``articles.said.file_line``)."""
        params = {
            "status": self.status,
            "dry_run": dry_run,
            "file": printable(str(self.path)),
            "code": self.code,
            "params": self.params,
            "line": self.line,
            "message": printable(self.message),
        }
        if self.article is not None:
            params["title"] = printable(self.article.title)
        return params


def one_line(error):
    """An exception as one short line: its kind and the first line of its message."""
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {first}"[:300]


def find_text_files(paths):
    """Yield ``(path, None)`` for each file to import, or ``(path, FileResult)`` to report.

    Folders are searched recursively for ``*.txt``; other files found there,
    symlinks that lead out of the folder given, and anything that is not a
    regular file, are skipped, each with its reason.
    """
    for given in map(Path, paths):
        if given.is_dir():
            root = given.resolve()
            for folder, dirnames, filenames in os.walk(given):
                dirnames.sort()
                for name in sorted(filenames):
                    path = Path(folder) / name
                    if name.lower().endswith(".txt"):
                        yield path, _unsafe(path, root)
                    else:
                        yield path, FileResult(path, SKIPPED, "not a .txt file", code="not_txt")
        elif given.exists() or given.is_symlink():
            if not given.name.lower().endswith(".txt"):
                yield given, FileResult(given, SKIPPED, "not a .txt file", code="not_txt")
            else:
                yield given, _unsafe(given, None)
        else:
            yield given, FileResult(given, REFUSED, "no such file or folder", code="no_such_file")


def _unsafe(path, root):
    """A FileResult saying why ``path`` must not be read, or None if it may."""
    try:
        if root is not None and path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                return FileResult(
                    path,
                    SKIPPED,
                    "symlink pointing outside the folder given",
                    code="symlink_outside",
                )
        mode = path.stat().st_mode
    except OSError as error:
        reason = str(error.strerror or error)
        return FileResult(
            path, REFUSED, f"cannot read: {reason}", code="cannot_read", params={"error": reason}
        )
    except RuntimeError:  # Python 3.11's resolve() on a symlink loop
        return FileResult(path, REFUSED, "cannot read: a loop of symlinks", code="symlink_loop")
    if not stat.S_ISREG(mode):
        return FileResult(path, SKIPPED, "not a regular file", code="not_regular")
    return None


def read_file(path):
    """The file's bytes, refusing an oversized file before reading it whole."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                raise Refusal(
                    f"the file is larger than 5 MiB ({size:,} bytes)",
                    code="too_large",
                    size=f"{size:,}",
                )
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        reason = str(error.strerror or error)
        raise Refusal(f"cannot read: {reason}", code="cannot_read", error=reason) from None
    if len(data) > MAX_BYTES:  # it grew while we read it
        raise Refusal(
            f"the file is larger than 5 MiB (over {MAX_BYTES:,} bytes)",
            code="too_large",
            size=f"{MAX_BYTES:,}",
        )
    return data


class Importer:
    """Imports files into one issue, each file in its own transaction.

    Between files it remembers the issue, the pages it has and the next free
    position on each page, so that a batch whose files repeat the same page
    list costs three queries a file fewer. Whatever a rolled-back file may
    have left stale is forgotten, and a file that meets a concurrent change
    (an IntegrityError) is tried once more with fresh reads.
    """

    def __init__(self, *, year, number, page_code=None, update=False, user=None):
        self.year, self.number = year, number
        self.page_code, self.update = page_code, update
        self.user = user  # whose change the history records (an import from the admin)
        self.forget()
        if connection.vendor == "postgresql":
            # Each file is still atomic; a crash of the database server (not of
            # the import) could lose the last fraction of a second of commits,
            # which running the import again restores (duplicates are skipped).
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")

    def forget(self):
        self.issue = None
        self.known_pages = {}  # code -> name, as the issue has them
        self.page_ids = {}  # code -> section id
        self.next_positions = {}  # section id -> next free position
        self.author_ids = {}  # name -> author id

    def import_file(self, path):
        """Parse and store one file; never raises, for bad input or anything else.

        Whatever goes wrong with one file (a surprise of the database's
        included) is that file's refusal, one line; the batch goes on.
        """
        path = Path(path)
        try:
            data = read_file(path)
        except Refusal as refusal:
            return FileResult.refused(path, refusal)
        return self.import_data(path, data)

    def import_data(self, path, data):
        """Parse and store one file's bytes (``path``: its name, and its folder's, which
        may name a page); never raises."""
        path = Path(path)
        try:
            return self._import_data(path, data)
        except Exception as error:
            logger.info("import of %s failed", printable(path), exc_info=True)
            reason = one_line(error)
            return FileResult(
                path,
                REFUSED,
                f"could not be stored: {reason}",
                code="store_failed",
                params={"error": reason},
            )

    def _import_data(self, path, data):
        try:
            parsed = parse(data)
        except Refusal as refusal:
            return FileResult.refused(path, refusal)
        for attempt in (1, 2):
            try:
                status, article, message, code, params = self.store(
                    parsed, folder_name=path.parent.name
                )
            except Refusal as refusal:
                return FileResult.refused(path, refusal)
            except IntegrityError as error:
                if attempt == 2:
                    reason = one_line(error)
                    return FileResult(
                        path,
                        REFUSED,
                        f"the issue changed meanwhile; run again ({reason})",
                        code="issue_changed",
                        params={"error": reason},
                    )
            else:
                return FileResult(path, status, message, article, code, params)

    def store(self, parsed: ParsedArticle, folder_name=""):
        """Write one parsed article into the issue: all of it or nothing.

        Returns ``(status, article, message, code, params)``; raises :class:`Refusal` when
        the file conflicts with the issue (page names, unknown page code).
        """
        try:
            with transaction.atomic():
                if self.issue is None:
                    self.issue, _created = Issue.objects.get_or_create(
                        year=self.year, number=self.number
                    )
                return self._store(self.issue, parsed, folder_name)
        except BaseException:
            self.forget()
            raise

    def _merge_pages(self, issue, pages):
        if not self.page_ids or any(self.known_pages.get(c) != n for c, n in pages):
            try:
                self.page_ids = Section.objects.merge(issue, pages, user=self.user)
            except PageListError as conflict:
                raise Refusal(str(conflict), line=2, **conflict.said()) from None
            self.known_pages.update(pages)
        return self.page_ids

    def _next_position(self, section_id):
        if section_id is None:
            return 0
        if section_id not in self.next_positions:
            self.next_positions[section_id] = next_position(section_id)
        position = self.next_positions[section_id]
        self.next_positions[section_id] += 1
        return position

    def _store(self, issue, parsed, folder_name):
        page_ids = self._merge_pages(issue, parsed.pages)
        page_code = self.page_code
        if page_code and page_code not in page_ids:
            raise Refusal(
                f"page {page_code} is not in issue {issue.key}",
                code="unknown_page",
                page=page_code,
                issue=issue.key,
            )
        if not page_code and folder_name == UNPLACED_FOLDER:
            folder_name = ""
        section_id = page_ids.get(page_code or folder_name)
        fields = {
            "kicker": parsed.kicker,
            "subtitle": parsed.subtitle,
            "byline": parsed.byline,
            "body": parsed.body,
        }
        # Most files are new: ask for the id first, the whole row only if there is one.
        existing = issue.articles.filter(title=parsed.title).values_list("pk", flat=True)
        article = Article.objects.get(pk=existing[0]) if existing else None
        if article is not None:
            if not self.update:
                return (
                    SKIPPED,
                    article,
                    f"already in issue {issue.key} (--update replaces it)",
                    "already_in_issue",
                    {"issue": issue.key},
                )
            moved = section_id is not None and article.section_id != section_id
            if not moved and all(getattr(article, k) == v for k, v in fields.items()):
                return SKIPPED, article, "unchanged", "unchanged", {}
            for name, value in fields.items():
                setattr(article, name, value)
            if moved:
                article.section_id = section_id
                article.position = self._next_position(section_id)
            article._change_reason = "import_text --update"
            article._history_user = self.user
            article.save_and_index(known_authors=self.author_ids)
            return UPDATED, article, *_placement(article, page_ids)
        article = Article(
            issue=issue,
            title=parsed.title,
            section_id=section_id,
            position=self._next_position(section_id),
            **fields,
        )
        article._change_reason = "import_text"
        article._history_user = self.user
        article.save_and_index(known_authors=self.author_ids)
        return IMPORTED, article, *_placement(article, page_ids)


def import_files(paths, jobs=1, **options):
    """Import ``paths`` (from ``find_text_files``), yielding a FileResult for each.

    With ``jobs`` > 1 (PostgreSQL only) the files are shared out among worker
    processes, each with its own connection and each file still its own
    transaction. All files of one folder go to the same worker, in order, so
    that the articles of a page folder keep their order on the page.
    """
    # The issue's reading order is renumbered once, at the end (or when the
    # caller stops early), not after each of its hundreds of files.
    with proofing_runs.deferred(), reading_order.deferred() as changed:
        if jobs <= 1 or connection.vendor != "postgresql" or len(paths) < 2 * jobs:
            importer = Importer(**options)
            for path, early in paths:
                yield early or importer.import_file(path)
            return
        yield from _import_in_workers(paths, jobs, options)
        # The workers wrote in their own processes.
        changed.update(
            Issue.objects.filter(year=options["year"], number=options["number"]).values_list(
                "pk", flat=True
            )
        )


def _import_in_workers(paths, jobs, options):
    import multiprocessing
    import queue

    # A circle on purpose: the worker's process runs this module's Importer,
    # and must import nothing of Django before it is set up (import_worker.py).
    from articles import import_worker

    shares = [[] for _ in range(jobs)]
    folders = {}
    for path, early in paths:
        if early is not None:
            yield early
        else:
            folders.setdefault(Path(path).parent, []).append(str(path))
    for folder_files in sorted(folders.values(), key=len, reverse=True):
        min(shares, key=len).extend(folder_files)
    # Fresh interpreters, not forks: a forked child would share the parent's
    # database socket. They are told which database the parent uses.
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    database = connection.settings_dict["NAME"]
    workers = [
        context.Process(target=import_worker.run, args=(share, options, results, database))
        for share in shares
        if share
    ]
    for worker in workers:
        worker.start()
    pending = {path for share in shares for path in share}
    while pending:
        try:
            path, status, message, code, params = results.get(timeout=1)
        except queue.Empty:
            if any(worker.is_alive() for worker in workers):
                continue
            break  # every worker is gone and nothing more will come
        pending.discard(path)
        yield FileResult(Path(path), status, message, code=code, params=params)
    for worker in workers:
        worker.join()
    for path in sorted(pending):
        yield FileResult(
            Path(path),
            REFUSED,
            "its import worker stopped; run the import again",
            code="worker_stopped",
        )


def next_position(section_id):
    """After the last article on the page (0 when unplaced)."""
    if section_id is None:
        return 0
    on_page = Article.objects.filter(section_id=section_id).order_by()
    last = on_page.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


def _placement(article, page_ids):
    """``(message, code, params)`` of where an imported article went."""
    codes = {pk: code for code, pk in page_ids.items()}
    page = codes[article.section_id] if article.section_id else ""
    where = f"page {page}" if page else "unplaced"
    return f"{article.title} ({where})", "placed", {"page": page, "title": article.title}


@dataclass
class ExportedFile:
    path: Path
    article: Article
    faithful: bool  # False: the format cannot express the article exactly


def export_issue(issue, outdir):
    """Write each article of ``issue`` under ``outdir/<page code>/`` (or ``unplaced/``)."""
    outdir = Path(outdir)
    pages = list(issue.sections.values_list("code", "name"))
    written = []
    counters = {}
    for article in issue.articles.in_reading_order().select_related("section"):
        folder = article.section.code if article.section else UNPLACED_FOLDER
        counters[folder] = counters.get(folder, 0) + 1
        path = outdir / folder / f"{counters[folder]:03d}_{safe_filename(article.title)}.txt"
        text = format_article(
            title=article.title,
            pages=pages,
            kicker=article.kicker,
            subtitle=article.subtitle,
            byline=article.byline,
            paragraphs=article.paragraphs,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        written.append(ExportedFile(path, article, faithful=_round_trips(data, article)))
    return written


def _round_trips(data, article):
    try:
        parsed = parse(data)
    except Refusal:
        return False
    return (
        parsed.title,
        parsed.kicker,
        parsed.subtitle,
        parsed.byline,
        list(parsed.paragraphs),
    ) == (article.title, article.kicker, article.subtitle, article.byline, article.paragraphs)


_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]')


def safe_filename(title, limit=60):
    name = _UNSAFE_IN_NAMES.sub("_", title).strip(" .")
    return name[:limit] or "article"
