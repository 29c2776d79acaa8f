"""The background jobs of articles: importing a batch of files, rebuilding the search index.

Each is a task of Django's task API run by the job worker (``run_worker``);
``jobs.running`` keeps the job's state, heartbeat, progress and lines. The
import runs the same domain code as ``import_text``: each file its own
transaction, the history attributed to the editor who confirmed, a
re-import of an imported article a skip, so that a job whose worker died is
safe to run again (it resumes after the last file it reported).
"""

from contextlib import nullcontext

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from articles import batches, proofing_runs, reading_order, said, search
from articles.importing import IMPORTED, REFUSED, SKIPPED, UPDATED, Importer
from jobs.running import running
from magazine.models import parse_issue_key

STATUSES = (IMPORTED, UPDATED, SKIPPED, REFUSED)


class DryRunRollback(Exception):
    pass


@task(takes_context=True)
def check_import(context, job_id):
    """The dry run of an admin import: every check, nothing written (rolled back)."""
    with running(job_id, context) as progress:
        if progress is not None:
            _import(progress, dry_run=True)


@task(takes_context=True)
def import_batch(context, job_id):
    """The confirmed admin import: the batch's files, then the batch is discarded."""
    with running(job_id, context) as progress:
        if progress is not None:
            _import(progress, dry_run=False)
            batches.discard(progress.job.options["batch"])


def _import(progress, dry_run):
    job = progress.job
    options = job.options
    year, number = parse_issue_key(options["issue"])
    token = options["batch"]
    names = batches.names(token)
    skipped = options.get("skipped", [])
    if dry_run:
        # A dry run is one transaction, rolled back: nothing of an earlier
        # attempt's lines would hold, so it starts over.
        job.lines.all().delete()
        progress.numbers.clear()
        job.done = 0
    progress.begin(total=len(skipped) + len(names), step=_("Importing files"))
    counts = dict.fromkeys(STATUSES, 0)
    for number_, (name, reason) in enumerate(skipped, start=1):
        counts[SKIPPED] += 1
        if not progress.done_before(number_):
            params = {"status": SKIPPED, "dry_run": dry_run, "file": name, "message": reason}
            progress.line(
                SKIPPED,
                f"skipped: {name}: {reason}",
                number=number_,
                code="import.file",
                params=params,
            )
    importer = Importer(
        year=year,
        number=number,
        page_code=options.get("page") or None,
        update=bool(options.get("update")),
        user=get_user_model().objects.filter(pk=job.created_by_id).first(),
    )
    try:
        with (
            proofing_runs.deferred(),
            reading_order.deferred(),
            transaction.atomic() if dry_run else nullcontext(),
        ):
            for offset, name in enumerate(names, start=len(skipped) + 1):
                if progress.done_before(offset):
                    continue  # an earlier attempt reported it
                progress.set_step(name)
                result = importer.import_data(name, batches.read(token, name))
                counts[result.status] += 1
                progress.line(
                    result.status,
                    str(result),
                    number=offset,
                    code="import.file",
                    params=result.line_params(dry_run),
                )
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    params = {**counts, "issue": options["issue"], "files": len(skipped) + len(names)}
    job.summary_message = {"code": "import.summary", "params": {**params, "dry_run": dry_run}}
    with translation.override("en"):
        job.summary = said.import_summary({**params, "dry_run": dry_run})


@task(takes_context=True)
def rebuild_search_index(context, job_id):
    """``rebuild_search_index`` as a job, with its progress."""
    from articles.models import Article

    with running(job_id, context) as progress:
        if progress is None:
            return
        progress.begin(total=Article.objects.count(), step=_("Indexing articles"))

        def indexed_so_far(count):
            progress.advance(count - progress.job.done)

        indexed = search.rebuild(progress=indexed_so_far)
        indexed_so_far(indexed)
        progress.job.summary_message = {"code": "search.summary", "params": {"count": indexed}}
        with translation.override("en"):
            progress.job.summary = said.search_summary({"count": indexed})


PROOFREAD_PERMISSION = "articles.change_prooffinding"


def submit_proofread(issue, user):
    """The whole issue's checks as a job (the issue page's 编校检查 button)."""
    from jobs import registry
    from jobs.models import JobKind

    with translation.override("en"):
        title = said.proofread_title({"issue": issue.key})
    return registry.submit(
        JobKind.PROOFREAD,
        title,
        PROOFREAD_PERMISSION,
        user=user,
        options={"issue": issue.key, "issue_id": issue.pk},
        title_message={"code": "proofread.title", "params": {"issue": issue.key}},
    )


@task(takes_context=True)
def proofread_issue(context, job_id):
    """Every article of an issue checked, its consistency too; its rate as the result."""
    from articles import proofing_runs
    from magazine.models import Issue

    with running(job_id, context) as progress:
        if progress is None:
            return
        issue = Issue.objects.filter(pk=progress.job.options["issue_id"]).first()
        if issue is None:
            progress.job.summary = "the issue is gone"
            return
        progress.begin(total=issue.articles.count(), step=_("Checking articles"))

        def checked_so_far(done, total):
            progress.advance(done - progress.job.done)

        rate = proofing_runs.check_issue(issue, progress=checked_so_far)
        params = {
            "issue": issue.key,
            "open": rate.open,
            "errors": rate.errors,
            "characters": rate.characters,
            "rate": rate.rate,
        }
        progress.job.summary_message = {"code": "proofread.summary", "params": params}
        with translation.override("en"):
            progress.job.summary = said.proofread_summary(params)
