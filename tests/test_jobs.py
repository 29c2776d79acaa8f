"""Jobs: queued, running, done or failed with the reason; dead workers noticed; who sees what."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from jobs import registry
from jobs.models import MAX_ATTEMPTS, Job, JobKind, JobState
from jobs.reaper import reap
from jobs.running import JobFailed, running
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from tests.jobs_helpers import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def jobs_queued_at_once(monkeypatch):
    """A job's task is queued when the transaction that made the job commits; a test's
    transaction never commits, so here it is queued at once."""
    from jobs import registry

    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())


def user(username, group=None):
    account = User.objects.create_user(username, password="pw", is_staff=True)
    if group:
        account.groups.add(Group.objects.get(name=group))
    return account


def test_a_rebuild_of_the_index_runs_from_queued_to_done_with_its_progress(client):
    issue = Issue.objects.create(year=2014, number=5)
    for n in range(3):
        Article(issue=issue, title=f"文章{n}", body="正文。").save_and_index()
    chief = user("zhubian", CHIEF_EDITORS)
    client.force_login(chief)
    response = client.post("/admin/jobs/job/rebuild-search-index/")
    job = Job.objects.get()
    assert response["Location"].endswith(f"/admin/jobs/job/{job.pk}/change/")
    assert (job.kind, job.state, job.created_by) == (JobKind.SEARCH_INDEX, JobState.QUEUED, chief)
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert 'http-equiv="refresh"' in page  # reloads itself while it is not over
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert (job.done, job.total, job.attempts) == (3, 3, 1)
    assert "3" in job.summary and job.error == ""
    assert job.started_at <= job.finished_at
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert 'http-equiv="refresh"' not in page


def test_only_chief_editors_may_rebuild_the_index(client):
    client.force_login(user("bianji", EDITORS))
    assert client.post("/admin/jobs/job/rebuild-search-index/").status_code == 403
    assert "rebuild-search-index" not in client.get("/admin/jobs/job/").content.decode()
    assert not Job.objects.exists()


def test_a_job_that_raises_fails_with_its_reason_in_one_line(client):
    job = Job.objects.create(kind=JobKind.IMPORT, title="导入", permission="articles.add_article")
    with pytest.raises(ZeroDivisionError), running(job.pk) as progress:
        progress.begin(total=2)
        progress.line("imported", "imported: a.txt")
        1 / 0  # noqa: B018
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "ZeroDivisionError: division by zero"
    assert list(job.lines.values_list("text", flat=True)) == ["imported: a.txt"]
    chief = user("bianji", EDITORS)
    client.force_login(chief)
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "ZeroDivisionError: division by zero" in page and "Traceback" not in page


def test_a_job_may_fail_with_a_reason_of_its_own():
    job = Job.objects.create(kind=JobKind.IMPORT, title="导入", permission="articles.add_article")
    with running(job.pk):
        raise JobFailed("the issue 2014-5 was deleted meanwhile")
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "the issue 2014-5 was deleted meanwhile")


def test_a_finished_job_is_not_run_again():
    job = Job.objects.create(
        kind=JobKind.IMPORT, title="导入", permission="x.y", state=JobState.DONE
    )
    with running(job.pk) as progress:
        assert progress is None
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 0)


def silent_running_job(attempts=1):
    job = registry.submit(JobKind.SEARCH_INDEX, "重建", "magazine.publish_issue")
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("dead-worker")
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, attempts=attempts, heartbeat_at=long_ago, worker_id="dead-worker"
    )
    return job, task


def test_a_job_whose_worker_died_is_run_again_then_done():
    job, dead_task = silent_running_job()
    assert reap() == (1, 0)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.step  # says it was started again
    dead_task.refresh_from_db()
    assert dead_task.status == "FAILED" and "stopped answering" in dead_task.traceback
    assert job.task_id != str(dead_task.pk)
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2)


def test_a_job_whose_worker_died_on_its_last_attempt_fails_with_the_reason():
    job, _ = silent_running_job(attempts=MAX_ATTEMPTS)
    assert reap() == (0, 1)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert f"{MAX_ATTEMPTS}" in job.error  # stopped 2 times: not started again
    assert job.finished_at is not None


def test_a_running_job_with_a_recent_heartbeat_is_left_alone():
    job, _ = silent_running_job()
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert reap() == (0, 0)
    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING


def test_each_user_sees_the_jobs_of_the_work_they_may_start(client):
    imported = Job.objects.create(
        kind=JobKind.IMPORT, title="导入一批", permission="articles.add_article"
    )
    rebuilt = Job.objects.create(
        kind=JobKind.SEARCH_INDEX, title="把索引重建一遍", permission="magazine.publish_issue"
    )
    editor, chief, nobody = user("bianji", EDITORS), user("zhubian", CHIEF_EDITORS), user("x")
    assert list(Job.objects.visible_to(editor)) == [imported]
    assert set(Job.objects.visible_to(chief)) == {imported, rebuilt}
    assert list(Job.objects.visible_to(nobody)) == []
    client.force_login(editor)
    listing = client.get("/admin/jobs/job/").content.decode()
    assert "导入一批" in listing and "把索引重建一遍" not in listing
    assert client.get(f"/admin/jobs/job/{rebuilt.pk}/change/").status_code in (302, 404)


def test_the_dashboard_lists_the_latest_jobs(client):
    Job.objects.create(kind=JobKind.IMPORT, title="导入一批稿件", permission="articles.add_article")
    client.force_login(user("bianji", EDITORS))
    assert "导入一批稿件" in client.get("/admin/").content.decode()
