#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys

# The staff's commands read and write the database and files and sign
# nothing: they run without DJANGO_SECRET_KEY (a development machine has
# none), on a key made up for the one run. Serving, workers and everything
# else still refuse to start without it.
KEYLESS_COMMANDS = {
    "import_text",
    "export_text",
    "import_pdf",
    "import_areas",
    "export_areas",
    "rebuild_search_index",
    "create_staff",
    "export_media",
    "import_media",
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magazine.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
