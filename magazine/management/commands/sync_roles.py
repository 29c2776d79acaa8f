"""Set the editorial groups' permissions to what ``magazine.roles`` says.

Run after upgrades that add models or permissions; ``migrate`` also does it.
"""

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from magazine.commands import StaffCommand
from magazine.roles import sync_roles


class Command(StaffCommand):
    help = "Create the groups 编辑 and 主编 and set exactly their permissions."

    def handle(self, *args, **options):
        with transaction.atomic():
            groups = sync_roles(apps)
        for group in groups:
            count = group.permissions.count()
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(group)s: %(count)s permissions") % {"group": group.name, "count": count}
                )
            )
