"""Browser tests: Playwright driving Debian's Chromium against the live server.

They need /usr/bin/chromium (with a CJK font) and the npm tools in
node_modules (``npm ci``); without them they skip with the reason, and under
CI=true a skip fails the run. ``.ci/run`` installs all of it.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
NODE_MODULES = PROJECT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
OUTPUT = PROJECT / "test-output"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make in between are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(chromium):
    """New pages; every test also fails on any Content-Security-Policy violation."""
    contexts, violations = [], []

    def watch(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    def make(viewport=DESKTOP, locale="zh-CN", bypass_csp=False, touch=False):
        # bypass_csp: for pages into which a test injects its own tool (axe-core);
        # touch: a phone's touch screen (coarse pointer, touch events, 2× density).
        phone = {"has_touch": True, "is_mobile": True, "device_scale_factor": 2} if touch else {}
        context = chromium.new_context(
            viewport=viewport, locale=locale, bypass_csp=bypass_csp, **phone
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE} (run npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu():
    if not VNU.exists():
        pytest.skip(f"the Nu HTML Checker not found at {VNU} (run npm ci)")
    if shutil.which("java") is None:
        pytest.skip("java is needed to run the Nu HTML Checker")

    def check(paths):
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "text", *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.returncode, (result.stdout + result.stderr).strip()

    return check


@pytest.fixture
def screenshots():
    folder = OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def demo_content(transactional_db):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", "--no-accounts", stdout=StringIO())
