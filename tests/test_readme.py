"""The README's runnable blocks (a ```sh block after ``<!-- runnable -->``) run as
written, in order, against a scratch copy of what ``make run`` makes: a
migrated database with the demo content. So the README cannot drift from
the commands."""

import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_sqlite

PROJECT = Path(__file__).resolve().parent.parent
RUNNABLE = re.compile(r"<!-- runnable -->\n```sh\n(.*?)```", re.S)
# What a clone holds that the blocks use; what they write goes to the scratch folder.
LINKED = [".venv", "manage.py", "demo", "ops"]


def runnable_blocks():
    return RUNNABLE.findall((PROJECT / "README.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    for name in LINKED:
        (folder / name).symlink_to(PROJECT / name)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(folder),
        # make run's database and media, in the scratch folder.
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
    }
    for args in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        done = subprocess.run(
            [".venv/bin/python", "manage.py", *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    return folder, env


def test_the_readme_has_runnable_blocks():
    blocks = runnable_blocks()
    assert len(blocks) >= 3
    for block in blocks:  # one spelling throughout
        assert not re.search(r"(^|\s)python3? manage\.py", block), block


@pytest.mark.parametrize("number", range(len(runnable_blocks())))
def test_a_runnable_block_runs_as_written(site, number):
    folder, env = site
    block = runnable_blocks()[number]
    done = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{block}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
