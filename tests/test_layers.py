"""The import contract holds, and breaks on an upward import (import-linter)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ["magazine", "jobs", "sections", "articles", "editorial", "reader"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root):
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def copy_of_the_project(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            PROJECT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "jinja2", "static"),
        )
    shutil.copy(PROJECT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_apps_import_downwards_only(copy_of_the_project):
    result = lint_imports(copy_of_the_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, upward",
    [
        ("sections/models.py", "from articles import search"),
        ("magazine/models.py", "    from reader import page_cache"),  # inside a function too
        ("articles/models.py", "from editorial.admin import common"),
    ],
)
def test_an_upward_import_breaks_the_contract(copy_of_the_project, module, upward):
    path = copy_of_the_project / module
    if upward.startswith(" "):
        path.write_text(path.read_text() + f"\n\ndef later():\n{upward}\n")
    else:
        path.write_text(path.read_text() + f"\n{upward}  # noqa\n")
    result = lint_imports(copy_of_the_project)
    assert result.returncode != 0
    assert "Broken contracts" in result.stdout and "is not allowed to import" in result.stdout
