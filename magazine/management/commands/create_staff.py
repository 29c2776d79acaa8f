"""``python manage.py create_staff USERNAME --role chief|editor``: a staff account
in one of the editorial roles, the first chief editor of a new site included.

The password is asked twice (not echoed) and checked by the site's password
validators; ``--password-from-env VAR`` reads it from a variable instead, for
provisioning scripts. Django's ``createsuperuser`` makes an account above
the roles; editors and chief editors need no such thing.
"""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from infra.commands import StaffCommand
from infra.schema import require_migrated
from magazine.roles import CHIEF_EDITORS, EDITORS, OFFICE_HEADS

ROLES = {"chief": CHIEF_EDITORS, "head": OFFICE_HEADS, "editor": EDITORS}


class Command(StaffCommand):
    help = (
        "Create a staff account as a chief editor (主编), a head of the office (编辑部主任) "
        "or an editor (编辑)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from-env", metavar="VAR", help="read the password from this variable"
        )

    def handle(self, *args, username, role, email, password_from_env, **options):
        require_migrated()
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(_("The account “%(name)s” exists already.") % {"name": username})
        password = self.password(password_from_env)
        user = User(username=username, email=email, is_staff=True)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                _("Password refused: %(reason)s") % {"reason": " ".join(error.messages)}
            ) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=ROLES[role]))
        self.stdout.write(
            _("Created %(name)s: staff, %(role)s; log in at the admin.")
            % {"name": username, "role": ROLES[role]}
        )

    @staticmethod
    def password(variable):
        if variable:
            value = os.environ.get(variable, "")
            if not value:
                raise CommandError(
                    _("The variable %(variable)s is empty or not set.") % {"variable": variable}
                )
            return value
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError(_("The two passwords differ."))
        return first
