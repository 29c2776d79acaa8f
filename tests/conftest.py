"""Shared fixtures, and the rules that keep CI honest.

* Tests marked ``postgresql`` are deselected (not skipped) when the suite runs
  on SQLite; the PostgreSQL run of CI runs them.
* Under ``CI=true`` any skipped test fails the session: a green CI must not
  hide a test that did not run (``../shared`` missing, PostgreSQL absent...).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from magazine.models import Issue

PROJECT_DIR = Path(__file__).resolve().parent.parent


def find_shared_dir():
    """``MAGAZINE_SHARED_DIR``, else ``../shared``, else beside the checkout this was cloned from.

    A clone made elsewhere (``git clone . /tmp/x``) has no ``../shared`` of its
    own, but its origin, a local checkout, does: its tests read the same samples.
    """
    if os.environ.get("MAGAZINE_SHARED_DIR"):
        return Path(os.environ["MAGAZINE_SHARED_DIR"])
    beside = PROJECT_DIR.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    origin = origin.removeprefix("file://")
    if origin and Path(origin).is_dir():
        return Path(origin).resolve().parent / "shared"
    return beside


SHARED_DIR = find_shared_dir()
SAMPLES_DIR = SHARED_DIR / "samples"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    # Each test runs where it means something: PostgreSQL's only there, and
    # those that make a SQLite database of their own once, in the SQLite run.
    other = "own_sqlite" if connection.vendor == "postgresql" else "postgresql"
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(other) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_report_header(config):
    return f"database: {connection.vendor} ({connection.settings_dict['NAME']}); CI={IN_CI}"


_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if IN_CI and _skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if IN_CI and _skipped:
        terminalreporter.write_line(
            f"CI=true: {len(_skipped)} skipped test(s) count as failures: "
            + ", ".join(_skipped[:10]),
            red=True,
        )


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches: pages cached by another test's data never leak."""
    from django.core.cache import caches

    from reader.page_cache import forget_seen

    for alias in ("default", "coordination"):
        caches[alias].clear()
    forget_seen()
    yield


@pytest.fixture(autouse=True)
def own_job_files(settings, tmp_path):
    """Files kept for jobs (uploads waiting for their job) in a folder of the test's
    own: one test's leftovers are never another's (object storage tests set theirs)."""
    if settings.STORAGES["jobs"]["BACKEND"].endswith("FileSystemStorage"):
        folder = tmp_path / "job-files"
        jobs = {**settings.STORAGES["jobs"]}
        jobs["OPTIONS"] = {**jobs.get("OPTIONS", {}), "location": str(folder)}
        settings.STORAGES = {**settings.STORAGES, "jobs": jobs}
        settings.JOB_FILES_ROOT = folder  # a worker the test starts is given it


@pytest.fixture
def media(settings, tmp_path):
    """A MEDIA_ROOT of the test's own, to see exactly what was stored."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def samples_dir():
    if not SAMPLES_DIR.is_dir():
        pytest.skip(f"the shared samples are absent ({SAMPLES_DIR} not found)")
    return SAMPLES_DIR


@pytest.fixture
def expected_samples(samples_dir):
    return json.loads((samples_dir / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def make_issue(db):
    def make(year=2014, number=5, **fields):
        return Issue.objects.create(year=year, number=number, **fields)

    return make


@pytest.fixture
def issue(make_issue):
    return make_issue()


@pytest.fixture
def editor(client):
    """The test client logged in as an editor (编辑); modules may have their own."""
    from django.contrib.auth.models import Group, User

    from magazine.roles import EDITORS

    user = User.objects.create_user("bianji", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return user
