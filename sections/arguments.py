"""The argument types the management commands share: an issue (YEAR-NUMBER), a page code."""

import argparse
import re

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from magazine.models import Issue, parse_issue_key
from sections.models import CODE_PATTERN


def issue_key(text):
    try:
        return parse_issue_key(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def issue_option(value):
    """The --issue value as ``(year, number)``, also when call_command passes it raw."""
    if isinstance(value, tuple):
        return value
    try:
        return parse_issue_key(value)
    except ValueError as error:
        raise CommandError(str(error)) from None


def existing_issue(value):
    """The issue the --issue value names; ``CommandError`` if there is none."""
    year, number = issue_option(value)
    found = Issue.objects.filter(year=year, number=number).first()
    if found is None:
        raise CommandError(
            _("There is no issue %(issue)s.") % {"issue": Issue.name_of(year, number)}
        )
    return found


def issue_argument(parser):
    parser.add_argument("--issue", required=True, type=issue_key, metavar="YEAR-NUMBER")


def page_code(text):
    if not re.fullmatch(CODE_PATTERN, text):
        raise argparse.ArgumentTypeError(f"a page code is 1-8 letters or digits, not {text!r}")
    return text
