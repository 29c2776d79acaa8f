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
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from magazine.roles import CHIEF_EDITORS, EDITORS
from magazine.schema import require_migrated

ROLES = {"chief": CHIEF_EDITORS, "editor": EDITORS}


class Command(BaseCommand):
    help = "Create a staff account as a chief editor (主编) or an editor (编辑)."

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
            raise CommandError(f"the account {username!r} exists already")
        password = self.password(password_from_env)
        user = User(username=username, email=email, is_staff=True)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(f"password refused: {' '.join(error.messages)}") from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=ROLES[role]))
        self.stdout.write(f"created {username}: staff, {ROLES[role]}; log in at the admin")

    @staticmethod
    def password(variable):
        if variable:
            value = os.environ.get(variable, "")
            if not value:
                raise CommandError(f"the variable {variable} is empty or not set")
            return value
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
