"""Real worker processes: one killed with SIGKILL mid-import, two sharing the queue."""

import os
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from articles import batches
from articles.models import Article, ArticleSearch
from jobs import registry
from jobs.models import Job, JobKind, JobState
from magazine.models import Issue
from tests.jobs_helpers import start_worker, wait_for
from tests.textfiles import article_bytes

FILES = 1500


def kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except Exception:
            kill(process)
    with open(process.log, encoding="utf-8", errors="replace") as log:
        said = log.read()
    os.unlink(process.log)
    return said


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_whole_files_and_the_job_is_finished_by_another():
    issue = Issue.objects.create(year=2014, number=5)
    uploads = [
        SimpleUploadedFile(
            f"{n:04d}.txt", article_bytes(title=f"第{n}篇", paragraphs=["正文。" * 20])
        )
        for n in range(FILES)
    ]
    staged = batches.stage(uploads)
    job = registry.submit(
        JobKind.IMPORT,
        "导入",
        batches.IMPORT_PERMISSION,
        options={"issue": issue.key, "batch": staged.token, "skipped": []},
    )
    first = start_worker()
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).done >= 100, timeout=120)
        kill(first)  # a real SIGKILL, mid-import
    finally:
        stop(first)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.done < FILES  # left running by the dead
    imported_before = Article.objects.count()
    assert 100 <= imported_before < FILES

    second = start_worker()
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, timeout=180)
    finally:
        stop(second)
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 2
    assert Article.objects.count() == FILES
    # Whole files only: every article with its text, search row and history.
    assert not Article.objects.filter(body="").exists()
    assert ArticleSearch.objects.count() == FILES
    assert Article.history.filter(history_type="+").count() == FILES
    assert job.lines.count() == FILES
    statuses = set(job.lines.values_list("status", flat=True))
    assert statuses <= {"imported", "skipped"}
    first_task = DBTaskResult.objects.exclude(pk=job.task_id).get()
    assert first_task.status == "FAILED"  # the dead worker's task, given up by the reaper
    assert batches.names(staged.token) == []  # the batch went with its import


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_never_run_a_job_twice():
    jobs = [
        registry.submit(JobKind.SEARCH_INDEX, f"重建 {n}", "magazine.publish_issue")
        for n in range(50)
    ]
    workers = [start_worker(), start_worker()]
    try:
        wait_for(lambda: all(j.is_finished for j in Job.objects.all()), timeout=120)
    finally:
        for worker in workers:
            stop(worker)
    runs = list(DBTaskResult.objects.values_list("worker_ids", "status"))
    assert len(runs) == len(jobs) == 50
    assert all(len(worker_ids) == 1 and status == "SUCCESSFUL" for worker_ids, status in runs)
    assert set(Job.objects.values_list("state", "attempts")) == {(JobState.DONE, 1)}
    assert 1 <= len({worker_ids[0] for worker_ids, _ in runs}) <= 2
