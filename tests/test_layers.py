"""The import contract holds, and breaks on an upward import (import-linter)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "config",
    "magazine",
    "jobs",
    "sections",
    "articles",
    "editorial",
    "reader",
    "infra",
    "pagelayout",
]
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
        ("infra/images.py", "from magazine import models"),  # helpers know no issue
        ("reader/views.py", "from config import urls"),  # the project sits on top
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


def import_circles():
    """Each set of modules of one app that import each other round, with the lines
    that close it."""
    import grimp

    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(module):  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            circle = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                circle.add(member)
                if member == module:
                    break
            if len(circle) > 1:
                circles.append(circle)

    sys.setrecursionlimit(10_000)
    for module in list(edges):
        if module not in index:
            visit(module)
    return [
        (
            circle,
            [
                detail
                for a in circle
                for b in edges[a] & circle
                for detail in graph.get_import_details(importer=a, imported=b)
            ],
        )
        for circle in circles
    ]


def test_no_circle_of_imports_inside_an_app_unless_a_comment_says_why():
    for circle, imports in import_circles():
        assert len({module.split(".")[0] for module in circle}) == 1, circle
        explained = []
        for detail in imports:
            path = PROJECT / (detail["importer"].replace(".", "/") + ".py")
            lines = path.read_text(encoding="utf-8").splitlines()
            number = detail["line_number"] - 1
            near = " ".join(lines[max(0, number - 3) : number + 1]).lower()
            # Closed inside a function, with a comment saying it is on purpose.
            if lines[number].startswith(" ") and ("circle" in near or "on purpose" in near):
                explained.append(detail)
        assert explained, f"{sorted(circle)}: {imports}"
