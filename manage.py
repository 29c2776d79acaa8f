#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys

# One rule for the staff's commands: none needs DJANGO_SECRET_KEY. They read
# and write the database and files and sign nothing a browser will send back,
# so without a key they run on one made up for the one run (a development
# machine has none). Serving pages signs sessions and CSRF tokens: runserver,
# like gunicorn, needs the real key (or DJANGO_DEBUG=1 on a developer's machine).
SERVING = {"runserver", "testserver"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] not in SERVING:
        os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
