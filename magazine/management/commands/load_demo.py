"""Load the demo content and create the demo accounts (used by ``make run``).

Each folder of ``demo/`` named ``YEAR-NUMBER`` is imported with ``import_text``
(the same path staff use), the issues are published, the latest is given a
print edition drawn here (``load_demo_print``: page scans, PDFs and article
areas, through ``import_pdf``), and three staff accounts (编辑, 编辑部主任, 主编)
are created or reset with fresh random passwords, printed on the console.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils.translation import gettext as _

from infra.commands import StaffCommand
from magazine.models import Issue, parse_issue_key
from magazine.roles import CHIEF_EDITORS, EDITORS, OFFICE_HEADS

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_ACCOUNTS = [("editor", EDITORS), ("head", OFFICE_HEADS), ("chief", CHIEF_EDITORS)]


class Command(StaffCommand):
    help = "Import the demo issues from demo/, publish them and create demo staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="import the content only")

    def handle(self, *args, no_accounts, verbosity, **options):
        issues = []
        for folder in sorted(p for p in DEMO_DIR.iterdir() if p.is_dir()):
            year, number = parse_issue_key(folder.name)
            call_command(
                "import_text", str(folder), issue=folder.name, verbosity=min(verbosity, 1) - 1
            )
            issues.append(Issue.objects.get(year=year, number=number))
        if issues and not issues[-1].sections.exclude(scan="").exists():
            # The latest issue gets a print edition: page scans, PDFs and article areas,
            # before it is published (made afterwards, each would be a correction).
            call_command("load_demo_print", issue=issues[-1].key, verbosity=verbosity)
        for issue in issues:
            if not issue.is_published():
                issue.publish()
            self.stdout.write(
                _("Demo issue %(issue)s: %(count)s articles")
                % {"issue": issue, "count": issue.articles.count()}
            )
        if not no_accounts:
            self._accounts()

    def _accounts(self):
        User = get_user_model()
        lines = []
        for username, group_name in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = True
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
            lines.append(
                "  "
                + _("%(group)s: username '%(name)s', password '%(password)s'")
                % {"group": group_name, "name": username, "password": password}
            )
        heading = _("Demo accounts (new passwords every run; log in at /%(admin)s):") % {
            "admin": settings.ADMIN_URL
        }
        self.stdout.write(self.style.SUCCESS(heading + "\n" + "\n".join(lines)))
