"""Set the editorial groups' permissions to what ``magazine.roles`` says, and the
default review chain where none is set.

Run after upgrades that add models or permissions; ``migrate`` also does it.
"""

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from infra.commands import StaffCommand
from magazine.roles import sync_roles


class Command(StaffCommand):
    help = (
        "Create the groups 编辑, 编辑部主任 and 主编, set exactly their permissions, and the "
        "default review chain where none is set."
    )

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
